// Hostile files given to the pages' file inputs (web/kit/limits.js has the limits): each is refused
// or capped with a message that names the limit, in English and in Chinese; no page error, no task
// on the main thread over 200 ms while the page handles it, and the page trains afterwards. Every
// file is made here, in a temporary folder (none is committed).
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, deflateSync } from 'node:zlib';
import { launchContext } from './chromium.js';
import { startServer } from '../../scripts/serve.mjs';
import { buildSite, root } from './site.js';
import { buildAll } from '../../scripts/build-data.mjs';

const dist = join(root, 'build/site-hostile-test');
const MB = 2 ** 20;
const LONG_TASK_MS = 200;

let server;
let context;
let profile;
let files; // the temporary folder of the generated files

// ---------- making the files ----------
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A valid PNG of width × height, grey: 1-bit and all black (a few KB that decode to width·height
 * pixels), or 8-bit with ink(x, y) true for black on white.
 */
function png(width, height, ink) {
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    data.copy(out, 8);
    out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([ink ? 8 : 1, 0, 0, 0, 0], 8); // bit depth, grey, deflate, no filter, not interlaced
  const stride = ink ? 1 + width : 1 + Math.ceil(width / 8);
  const rows = Buffer.alloc(height * stride); // filter 0 on every row; black
  if (ink)
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) rows[y * stride + 1 + x] = ink(x, y) ? 0 : 255;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A zip of entries {name, data (as stored: raw deflate for method 8), method, crc, size (what the
 * headers say it unpacks to)}: the headers may lie.
 */
function zip(entries) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(e.method, 10);
    dir.writeUInt32LE(e.crc, 16);
    dir.writeUInt32LE(e.data.length, 20);
    dir.writeUInt32LE(e.size, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    central.push(dir, name);
    offset += 30 + name.length + e.data.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}

/** A .npy header ('<f4', C order) for `shape`, then `values` floats (as many as given, whatever the shape says). */
function npy(shape, values) {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')},), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  head.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(new Float32Array(values).buffer)]);
}

const write = (name, bytes) => {
  const path = join(files, name);
  writeFileSync(path, bytes);
  return path;
};

let paths;
function makeFiles() {
  files = mkdtempSync(join(tmpdir(), 'dlplay-hostile-'));
  const big = png(20_000, 20_000);
  const zeros = Buffer.alloc(50 * MB);
  const packedZeros = deflateRawSync(zeros, { level: 9 });
  const zerosCrc = crc32(zeros);
  const lines = [];
  for (let i = 0; i < 1_000_000; i++)
    lines.push(`${((i % 97) / 9.7 - 5).toFixed(2)},${((i % 89) / 8.9 - 5).toFixed(2)},${i % 2}`);
  const stroke = (k) => (x, y) => Math.abs(x - 18 - (k % 3)) < 3 && y > 5 && y < 35; // a "1"
  const ones = Array.from({ length: 12 }, (_, k) => png(40, 40, stroke(k)));
  paths = {
    good: write(
      'ones.zip',
      zip(ones.map((p, k) => ({ name: `1/one${k}.png`, data: p, method: 0, crc: crc32(p), size: p.length }))),
    ),
    json100: write('model.json', `{"format":"dlplay-model","version":1,"pad":"${'x'.repeat(100 * MB)}"}`),
    csvMillion: write('million.csv', `x1,x2,label\n${lines.join('\n')}\n`),
    // Two points, then 10⁶ blank lines: under the byte limit, over the line limit.
    csvBlank: write('blank.csv', `1,1,1\n-1,-1,0\n${'\n'.repeat(1_000_000)}`),
    csvPoints: write('points.csv', lines.slice(0, 5000).join('\n')),
    png: write('3_huge.png', big),
    pngZip: write(
      'huge.zip',
      zip([{ name: '3/huge.png', data: big, method: 0, crc: crc32(big), size: big.length }]),
    ),
    // 20 entries of 50 MB of zeros each (1,000 MB), 50 KB apiece packed: its directory tells.
    bomb: write(
      'bomb.zip',
      zip(
        Array.from({ length: 20 }, (_, i) => ({
          name: `1/zeros${i}.png`,
          data: packedZeros,
          method: 8,
          crc: zerosCrc,
          size: zeros.length,
        })),
      ),
    ),
    // 50 MB of zeros whose headers say 1,000 bytes.
    liar: write(
      'liar.zip',
      zip([{ name: '1/liar.png', data: packedZeros, method: 8, crc: zerosCrc, size: 1000 }]),
    ),
    // 20,000 empty images in the directory.
    crowd: write(
      'crowd.zip',
      zip(
        Array.from({ length: 20_000 }, (_, i) => ({
          name: `1/e${i}.png`,
          data: Buffer.alloc(0),
          method: 0,
          crc: 0,
          size: 0,
        })),
      ),
    ),
    // A .npy cut short, and one whose header says [1000, 1000] for 4 floats.
    npyTruncated: write(
      'layer0_dense_weights.npy',
      npy([8, 2], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).subarray(0, 90),
    ),
    npyLying: write('layer2_dense_weights.npy', npy([1000, 1000], [1, 2, 3, 4])),
  };
}

beforeAll(async () => {
  buildAll({ log: () => {} });
  buildSite(dist);
  makeFiles();
  server = await startServer({ dir: dist, port: 0 });
  ({ context, profile } = await launchContext({ viewport: { width: 1400, height: 1000 }, locale: 'en-US' }));
}, 300_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (files) rmSync(files, { recursive: true, force: true });
});

// ---------- the pages ----------
async function open(url, ready) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('crash', () => errors.push('the tab crashed'));
  await page.goto(url);
  await page.waitForFunction(ready, null, { timeout: 30_000 });
  // Long tasks from here on: while the page handles the files.
  expect(await page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('longtask'))).toBe(true);
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) =>
      window.__long.push(...l.getEntries().map((e) => Math.round(e.duration))),
    ).observe({
      type: 'longtask',
    });
  });
  return { page, errors };
}

const mlpReady = () => /\d/.test(document.getElementById('train-loss').textContent);
const cnnReady = () => window.dlplayCnn?.evaluations > 0;
const notes = (page) => page.locator('#notes').textContent();

/** Gives the input a file and waits until the notes show `expected`; returns the notes' text. */
async function give(page, selector, path, expected) {
  await page.locator(selector).setInputFiles(path);
  await expect.poll(() => notes(page), { timeout: 30_000 }).toMatch(expected);
  return notes(page);
}

async function longTasks(page) {
  // A task still running would be reported when it ends: let one more frame go by first.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  return page.evaluate(() => window.__long);
}

// The MLP page trains: Play moves the epoch on.
async function mlpTrains(page) {
  const epoch = async () => Number((await page.locator('#epoch').textContent()).replace(/,/g, ''));
  const before = await epoch();
  await page.getByRole('button', { name: /^(Play|播放)$/ }).click();
  await expect.poll(epoch, { timeout: 15_000 }).toBeGreaterThan(before);
  await page.getByRole('button', { name: /^(Pause|暂停)$/ }).click();
}

// The CNN page trains: Play moves the epoch its frames report on (dlplayCnn.progress() would pause it).
async function cnnTrains(page) {
  const epoch = () => page.evaluate(() => window.dlplayCnn.epoch);
  const before = await epoch();
  await page.getByRole('button', { name: /^(Play|播放)$/ }).click();
  await expect.poll(epoch, { timeout: 15_000 }).toBeGreaterThan(before);
  await page.getByRole('button', { name: /^(Pause|暂停)$/ }).click();
}

describe('hostile files', () => {
  test('MLP page: a 100 MB model JSON and CSVs of 10⁶ lines are refused with their limits', async () => {
    const { page, errors } = await open(server.url, mlpReady);
    let text = await give(page, '#load-model', paths.json100, /model files are read up to/);
    expect(text).toContain(
      'Could not use the model file: “model.json” is 100.0 MB; model files are read up to 32.0 MB',
    );
    text = await give(page, '#csv', paths.csvMillion, /CSV files are read up to 2\.0 MB/);
    expect(text).toMatch(/“million\.csv” is 1\d\.\d MB; CSV files are read up to 2\.0 MB/);
    text = await give(page, '#csv', paths.csvBlank, /lines/);
    expect(text).toContain('more than 20,000 lines; CSV files are read up to 20,000 lines');
    text = await give(page, '#csv', paths.csvPoints, /points/);
    expect(text).toContain('Could not read the CSV file: at most 2000 points');
    // The data are the page's own still: the circle's 2 classes.
    const long = await longTasks(page);
    console.log(`MLP page, hostile files: long tasks ${JSON.stringify(long)} ms`);
    expect(long.filter((d) => d > LONG_TASK_MS)).toEqual([]);
    await mlpTrains(page);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  test('MLP page in Chinese: the limits in Chinese', async () => {
    const { page, errors } = await open(`${server.url}#lang=zh`, mlpReady);
    let text = await give(page, '#load-model', paths.json100, /模型文件最多读取/);
    expect(text).toContain('无法使用该模型文件：“model.json”大小为 100.0 MB；模型文件最多读取 32.0 MB');
    text = await give(page, '#csv', paths.csvMillion, /CSV 文件最多读取 2\.0 MB/);
    expect(text).toContain('无法读取 CSV 文件：“million.csv”大小为');
    text = await give(page, '#csv', paths.csvPoints, /数据点/);
    expect(text).toContain('最多 2000 个数据点');
    expect((await longTasks(page)).filter((d) => d > LONG_TASK_MS)).toEqual([]);
    await mlpTrains(page);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  test('CNN page: a 20,000×20,000 PNG, zip bombs, a 100 MB JSON and broken .npy files', async () => {
    const { page, errors } = await open(`${server.url}cnn.html`, cnnReady);
    const count = () => page.locator('#collect-count').textContent();
    const before = await count();
    let text = await give(page, '#upload', paths.png, /pixels a side/);
    expect(text).toContain(
      'Not read: “3_huge.png” is 20,000×20,000 pixels; images are read up to 8,192 pixels a side and 40,000,000 pixels.',
    );
    text = await give(page, '#upload', paths.pngZip, /3\/huge\.png/);
    expect(text).toContain('“3/huge.png” is 20,000×20,000 pixels');
    text = await give(page, '#upload', paths.bomb, /unpack/);
    expect(text).toContain(
      '“bomb.zip” would unpack to 1000.0 MB; zip files are read up to 200.0 MB unpacked',
    );
    text = await give(page, '#upload', paths.liar, /directory says/);
    expect(text).toContain(
      '“liar.zip”: 1/liar.png unpacks to more than the 1000 bytes its directory says; the zip is refused',
    );
    text = await give(page, '#upload', paths.crowd, /files;/);
    expect(text).toContain('“crowd.zip” holds 20,000 files; zip files are read up to 10,000 files');
    expect(await count()).toBe(before); // nothing of them joined my data set
    text = await give(page, '#load-model', paths.json100, /model files are read up to/);
    expect(text).toContain(
      'Could not load the model: “model.json” is 100.0 MB; model files are read up to 32.0 MB',
    );
    // The page reads no .npy (it writes them): given as a model, they are not JSON.
    for (const path of [paths.npyTruncated, paths.npyLying]) {
      await page.evaluate(() => document.getElementById('notes').replaceChildren()); // the last note goes
      text = await give(page, '#load-model', path, /Could not load the model/);
      expect(text).toMatch(/Could not load the model: .*JSON/);
    }
    const long = await longTasks(page);
    console.log(`CNN page, hostile files: long tasks ${JSON.stringify(long)} ms`);
    expect(long.filter((d) => d > LONG_TASK_MS)).toEqual([]);
    await cnnTrains(page);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  test('CNN page: good images beside a huge one join my data set; a note names the limit', async () => {
    const { page, errors } = await open(`${server.url}cnn.html`, cnnReady);
    await page.locator('#upload').setInputFiles([paths.good, paths.png]);
    await expect.poll(() => notes(page)).toContain('Added 12 images');
    expect(await notes(page)).toContain('Not read: “3_huge.png” is 20,000×20,000 pixels');
    expect(await page.locator('#collect-count').textContent()).toBe('12 drawings in my data set');
    expect((await longTasks(page)).filter((d) => d > LONG_TASK_MS)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('CNN page: JPEG, WebP and BMP images pass the header check and join my data set', async () => {
    const { page, errors } = await open(`${server.url}cnn.html`, cnnReady);
    const made = await page.evaluate(async () => {
      const out = [];
      for (const [type, options] of [
        ['image/jpeg', { quality: 0.9 }],
        ['image/webp', { quality: 0.8 }],
        ['image/webp', { quality: 1 }],
        ['image/png', {}],
      ]) {
        const c = new OffscreenCanvas(40, 30);
        const g = c.getContext('2d');
        g.fillStyle = '#fff';
        g.fillRect(0, 0, 40, 30);
        g.strokeStyle = '#000';
        g.lineWidth = 4;
        g.beginPath();
        g.moveTo(20, 3);
        g.lineTo(19, 27);
        g.stroke();
        const blob = await c.convertToBlob({ type, ...options });
        out.push({ type: blob.type, bytes: [...new Uint8Array(await blob.arrayBuffer())] });
      }
      return out;
    });
    // A 24-bit BMP, bottom-up, white with a black column: written here (canvases make none).
    const [w, h] = [40, 30];
    const stride = Math.ceil((w * 3) / 4) * 4;
    const bmp = Buffer.alloc(54 + stride * h, 255);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(bmp.length, 2);
    bmp.writeUInt32LE(54, 10);
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(w, 18);
    bmp.writeInt32LE(h, 22);
    bmp.writeUInt16LE(1, 26);
    bmp.writeUInt16LE(24, 28);
    bmp.writeUInt32LE(0, 30);
    bmp.writeUInt32LE(stride * h, 34);
    for (let y = 3; y < 27; y++)
      for (let x = 18; x < 22; x++) bmp.fill(0, 54 + y * stride + x * 3, 57 + y * stride + x * 3);
    const uploads = made.map((m, k) => ({
      name: `1_${k}.${m.type.split('/')[1]}`,
      mimeType: m.type,
      buffer: Buffer.from(m.bytes),
    }));
    uploads.push({ name: '1_bmp.bmp', mimeType: 'image/bmp', buffer: bmp });
    expect(made.map((m) => m.type)).toEqual(['image/jpeg', 'image/webp', 'image/webp', 'image/png']);
    // The WebP encodings (lossy VP8 or lossless VP8L, VP8X with extras): the header check reads each.
    console.log(
      `WebP chunks: ${made.filter((m) => m.type === 'image/webp').map((m) => String.fromCharCode(...m.bytes.slice(12, 16)))}`,
    );
    await page.locator('#upload').setInputFiles(uploads);
    await expect.poll(() => notes(page)).toContain('Added 5 images to my data set (0 skipped');
    expect(await notes(page)).not.toContain('Not read');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('CNN page in Chinese: the limits in Chinese', async () => {
    const { page, errors } = await open(`${server.url}cnn.html#lang=zh`, cnnReady);
    let text = await give(page, '#upload', paths.png, /像素/);
    expect(text).toContain(
      '未读取：“3_huge.png”为 20,000×20,000 像素；图片每边最多 8,192 像素、总共最多 40,000,000 像素。',
    );
    text = await give(page, '#upload', paths.bomb, /解压后最多读取/);
    expect(text).toContain('“bomb.zip”解压后为 1000.0 MB；zip 文件解压后最多读取 200.0 MB');
    text = await give(page, '#load-model', paths.json100, /模型文件最多读取/);
    expect(text).toContain('无法载入模型：“model.json”大小为 100.0 MB；模型文件最多读取 32.0 MB');
    expect((await longTasks(page)).filter((d) => d > LONG_TASK_MS)).toEqual([]);
    await cnnTrains(page);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
