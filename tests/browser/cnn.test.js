// The CNN page (web/cnn.html) in headless Chromium (Debian's /usr/bin/chromium through playwright-core):
// built with Vite into its own directory (build/web-cnn-test, so that it never races the other browser
// tests' dist/), served by scripts/serve.mjs, with the real wasm engine and the real data sets.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { launchContext } from './chromium.js';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { unzipSync, zipSync, strFromU8 } from 'fflate';
import { startServer } from '../../scripts/serve.mjs';
import { buildSite } from './site.js';
import { buildAll } from '../../scripts/build-data.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const out = join(root, 'build/web-cnn-test');
const shots = join(root, 'test-results');
const cli = resolve(root, process.env.DLPLAY_CLI ?? 'build/native/dlplay');

let server;
let context;
let profile;
let base;

beforeAll(async () => {
  buildAll({ log: () => {} });
  buildSite(out);
  server = await startServer({ dir: out, port: 0 });
  base = `${server.url}cnn.html`;
  ({ context, profile } = await launchContext({
    viewport: { width: 1400, height: 1000 },
    locale: 'en-US',
    acceptDownloads: true,
  }));
  mkdirSync(shots, { recursive: true });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function open(hash = '') {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${base}${hash}`);
  // The first evaluation of the test set fills the test accuracy.
  await page.waitForFunction(() => window.dlplayCnn?.evaluations > 0, null, { timeout: 30_000 });
  return { page, errors };
}

// Per canvas: how many distinct colours it has, and a signature of its pixels.
const canvases = (page, selector) =>
  page.$$eval(selector, (list) =>
    list.map((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const colours = new Set();
      let sig = 0;
      for (let i = 0; i < d.length; i += 4) {
        colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        sig = (sig * 31 + d[i] + 3 * d[i + 1] + 7 * d[i + 2]) % 1_000_000_007;
      }
      return { colours: colours.size, sig };
    }),
  );

const probabilities = (page) => page.$$eval('#probs output', (l) => l.map((o) => o.textContent));
const saliency = async (page) => (await canvases(page, '#saliency'))[0];

// A "1": a vertical stroke down the middle of the drawing pad.
async function drawOne(page) {
  const box = await page.locator('#pad').boundingBox();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.15);
  await page.mouse.down();
  for (let i = 1; i <= 10; ++i)
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * (0.15 + 0.07 * i));
  await page.mouse.up();
}

// The confusion matrix as the page shows it: rows of cell counts.
const shownConfusion = (page) =>
  page.$$eval('#confusion tbody tr', (rows) =>
    rows.map((r) => [...r.querySelectorAll('td button')].map((b) => Number(b.textContent))),
  );

describe('CNN page', () => {
  test('the 8×8 preset trains to ≥ 90 % test accuracy; filters and feature maps are drawn and change', async () => {
    const { page, errors } = await open();
    expect(await page.getByLabel('Data set', { exact: true }).inputValue()).toBe('digits8x8');
    // Every block shows its output shape and parameter count, from the engine.
    const shapes = await page.$$eval('#blocks .shape', (l) => l.map((e) => e.textContent));
    expect(shapes).toEqual(['1×8×8', '→ 8×8×8 · 80', '→ 8×4×4 · 0', '→ 10 · 1,290', '→ 10 · 0']);
    await page.waitForFunction(() => document.querySelectorAll('#maps canvas').length > 0);
    await page.waitForFunction(() => window.dlplayCnn.frames > 0);
    const filters0 = await canvases(page, '#filters canvas');
    const maps0 = await canvases(page, '#maps canvas');
    expect(filters0.length).toBe(1);
    expect(maps0.length).toBe(1 + 8 + 8 + 1 + 1);
    expect(filters0.every((c) => c.colours > 1)).toBe(true);

    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
    const t0 = Date.now();
    let accuracy = 0;
    while (Date.now() - t0 < 20_000) {
      await page.waitForTimeout(250);
      accuracy = await page.evaluate(() => window.dlplayCnn.testAccuracy);
      if (accuracy >= 0.9 && Date.now() - t0 > 2000) break;
    }
    const seconds = (Date.now() - t0) / 1000;
    const speed = await page.evaluate(() => window.dlplayCnn.speed);
    console.log(`cnn 8×8: test accuracy ${accuracy} after ${seconds} s, ${Math.round(speed)} examples/s`);
    expect(accuracy).toBeGreaterThanOrEqual(0.9);
    expect(await page.getByLabel('Test accuracy').textContent()).toMatch(/^\d+\.\d%$/);
    await page.screenshot({ path: join(shots, 'cnn.png'), fullPage: true });

    const filters1 = await canvases(page, '#filters canvas');
    const maps1 = await canvases(page, '#maps canvas');
    expect(filters1.every((c) => c.colours > 1)).toBe(true);
    expect(filters1[0].sig).not.toBe(filters0[0].sig);
    // Feature maps: non-blank (the input and most conv maps), and the conv layer's changed.
    expect(maps1.filter((c) => c.colours > 1).length).toBeGreaterThan(10);
    expect(maps1.slice(1, 9).some((c, i) => c.sig !== maps0[1 + i].sig)).toBe(true);
    // The saliency beside the input is drawn (blue and red around white), for the predicted class.
    expect((await saliency(page)).colours).toBeGreaterThan(10);
    // Pausing evaluates once more; then what the page shows is the engine's evaluation of the test
    // split, number for number: the accuracy, and the confusion matrix (whose diagonal it is).
    const evaluations = await page.evaluate(() => window.dlplayCnn.evaluations);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.waitForFunction(
      (n) => window.dlplayCnn.evaluations > n && !window.dlplayCnn.evaluating,
      evaluations,
    );
    const engine = await page.evaluate(() => window.dlplayCnn.evaluate('test'));
    const shown = await page.evaluate(() => window.dlplayCnn.testAccuracy);
    expect(shown).toBe(engine.accuracy);
    expect(await page.getByLabel('Test accuracy').textContent()).toBe(
      `${(engine.accuracy * 100).toFixed(1)}%`,
    );
    const matrix = await shownConfusion(page);
    expect(matrix.length).toBe(10);
    expect(matrix.flat()).toEqual(engine.confusion);
    const total = matrix.flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(engine.count);
    expect(matrix.reduce((a, row, i) => a + row[i], 0) / total).toBeCloseTo(engine.accuracy, 12);
    // The epoch shown is the engine's.
    const epoch = await page.evaluate(() => window.dlplayCnn.epoch);
    expect(epoch).toBeGreaterThan(0);
    expect((await page.evaluate(() => window.dlplayCnn.progress())).epoch).toBe(epoch);
    expect(await page.locator('#epoch').textContent()).toBe(
      epoch < 10 ? epoch.toFixed(2) : String(Math.floor(epoch)),
    );
    // Paused, the last frame stays: its saliency is for the class the probabilities mark best.
    const { values, predicted } = await page.evaluate(() => window.dlplayCnn.saliency());
    expect(values.length).toBe(64);
    expect(values.some((v) => v < 0) && values.some((v) => v > 0)).toBe(true);
    expect(await page.locator('#probs li.best .digit').textContent()).toBe(String(predicted));
    expect(await page.locator('#saliency').getAttribute('aria-label')).toBe(
      `Saliency map: which pixels push the picture towards its predicted class, ${predicted}`,
    );
    await page
      .locator('section[aria-labelledby=input-title]')
      .screenshot({ path: join(shots, 'cnn-saliency.png') });
    // The confusion matrix has a cell per (true, predicted) pair; clicking one lists its images.
    expect(await page.locator('#confusion td button').count()).toBe(100);
    expect(matrix[3][3]).toBeGreaterThan(10);
    await page.getByRole('button', { name: /test images of 3 predicted as 3/ }).click();
    await expect
      .poll(() => page.locator('#cell-examples button.example').count())
      .toBe(Math.min(40, matrix[3][3]));
    expect(await page.locator('#cell-examples button.example').first().getAttribute('aria-label')).toBe(
      'True 3, predicted 3',
    );
    // The most confidently wrong: every caption names a true class other than the predicted one.
    const wrong = await page.$$eval('#wrong figcaption', (l) => l.map((f) => f.textContent));
    expect(wrong.length).toBe(Math.min(16, total - matrix.reduce((a, row, i) => a + row[i], 0)));
    const confidences = wrong.map((w) => {
      const [, y, p, c] = /^True (\d), predicted (\d) \((\d+)%\)$/.exec(w);
      expect(y).not.toBe(p);
      return Number(c);
    });
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a)); // most confident first
    expect(confidences.every((c) => c <= 100)).toBe(true);
    // Clicking one shows that test image as the input.
    if (wrong.length) {
      await page.locator('#wrong button.example').first().click();
      await expect
        .poll(() => page.locator('#seen-caption').textContent())
        .toMatch(new RegExp(`label ${/^True (\d)/.exec(wrong[0])[1]}$`));
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('drawing a stroke updates the probabilities, the feature maps and the saliency', async () => {
    const { page, errors } = await open();
    await page.getByRole('button', { name: 'Step one batch' }).click();
    await page.waitForFunction(() => /\d/.test(document.querySelector('#probs output').textContent));
    const before = await probabilities(page);
    const maps = await canvases(page, '#maps canvas');
    const salient = await saliency(page);
    expect(salient.colours).toBeGreaterThan(1);
    // The probabilities are the engine's: they add up to 1 (within the rounding of the 3 decimals shown).
    expect(Math.abs(before.reduce((a, p) => a + Number(p), 0) - 1)).toBeLessThanOrEqual(0.006);
    await drawOne(page);
    await expect.poll(() => page.locator('#seen-caption').textContent()).toBe('Your drawing');
    await expect.poll(() => probabilities(page)).not.toEqual(before);
    const input = await page.evaluate(() => window.dlplayCnn.input());
    expect(input.length).toBe(64);
    expect(Math.max(...input)).toBeGreaterThanOrEqual(0.5);
    await expect.poll(async () => (await canvases(page, '#maps canvas'))[0].sig).not.toBe(maps[0].sig);
    await expect.poll(async () => (await saliency(page)).sig).not.toBe(salient.sig);
    expect((await saliency(page)).colours).toBeGreaterThan(1);
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.locator('#seen-caption').textContent()).toMatch(/^Test image/);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('drawings added with their class make a data set to train on', async () => {
    const { page, errors } = await open();
    let box;
    const stroke = async (x0, y0, x1, y1) => {
      await page.mouse.move(box.x + box.width * x0, box.y + box.height * y0);
      await page.mouse.down();
      for (let i = 1; i <= 6; ++i)
        await page.mouse.move(
          box.x + box.width * (x0 + ((x1 - x0) * i) / 6),
          box.y + box.height * (y0 + ((y1 - y0) * i) / 6),
        );
      await page.mouse.up();
    };
    await page.getByLabel('Data set', { exact: true }).selectOption('mine');
    await expect.poll(() => page.locator('#notes').textContent()).toContain('Draw at least 10 digits');
    box = await page.locator('#pad').boundingBox(); // below the note
    for (let i = 0; i < 12; ++i) {
      const one = i % 2 === 1;
      if (one) await stroke(0.5 + 0.01 * i, 0.15, 0.48, 0.85);
      else await stroke(0.2, 0.45 + 0.01 * i, 0.8, 0.55);
      await page.getByLabel('Add this drawing to my data set as').selectOption(one ? '1' : '7');
      await page.getByRole('button', { name: 'Add the drawing to my data set' }).click();
      if (i === 0)
        expect(await page.locator('#collect-count').textContent()).toBe('1 drawing in my data set');
    }
    expect(await page.locator('#collect-count').textContent()).toBe('12 drawings in my data set');
    await page.getByLabel('Data set', { exact: true }).selectOption('mine');
    await expect.poll(() => page.locator('#blocks .shape').first().textContent()).toBe('1×28×28');
    await page.waitForFunction(() => window.dlplayCnn.testAccuracy !== null);
    expect(await page.evaluate(() => location.hash)).not.toContain('mine');
    for (let i = 0; i < 5; ++i) await page.getByRole('button', { name: 'Step one batch' }).click();
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('a zip of images with their classes in the folder names joins my data set', async () => {
    const { page, errors } = await open();
    // 12 PNGs drawn in the page: black ink on white, "1" strokes and "7" strokes.
    const pngs = await page.evaluate(async () => {
      const out = [];
      for (let i = 0; i < 12; ++i) {
        const c = new OffscreenCanvas(40, 40);
        const g = c.getContext('2d');
        g.fillStyle = '#fff';
        g.fillRect(0, 0, 40, 40);
        g.strokeStyle = '#000';
        g.lineWidth = 4;
        g.beginPath();
        if (i % 2) (g.moveTo(20 + (i % 3), 5), g.lineTo(19, 35));
        else (g.moveTo(8, 8), g.lineTo(32, 8 + (i % 3)), g.lineTo(18, 34));
        g.stroke();
        out.push([...new Uint8Array(await (await c.convertToBlob()).arrayBuffer())]);
      }
      return out;
    });
    const files = {};
    pngs.forEach((p, i) => (files[`${i % 2 ? 1 : 7}/d${i}.png`] = Uint8Array.from(p)));
    files['readme.txt'] = new Uint8Array([104, 105]);
    const zipPath = join(profile, 'digits.zip');
    writeFileSync(zipPath, zipSync(files));
    await page.locator('#upload').setInputFiles(zipPath);
    await expect.poll(() => page.locator('#notes').textContent()).toContain('Added 12 images');
    expect(await page.locator('#collect-count').textContent()).toBe('12 drawings in my data set');
    await page.getByLabel('Data set', { exact: true }).selectOption('mine');
    await expect.poll(() => page.locator('#blocks .shape').first().textContent()).toBe('1×28×28');
    await page.waitForFunction(() => window.dlplayCnn.testAccuracy !== null);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('save → load gives the same predictions (and the CLI agrees); the zip holds .npy weights', async () => {
    const { page, errors } = await open();
    for (let i = 0; i < 20; ++i) await page.getByRole('button', { name: 'Step one batch' }).click();
    // The engine has taken the 20 steps; then the frame of the last one is drawn.
    await expect.poll(async () => (await page.evaluate(() => window.dlplayCnn.progress())).step).toBe(20);
    await page.waitForTimeout(300);
    const before = await probabilities(page);
    const input = await page.evaluate(() => window.dlplayCnn.input());
    const [json] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save model (JSON)' }).click(),
    ]);
    const jsonPath = join(profile, 'model.json');
    await json.saveAs(jsonPath);
    const model = JSON.parse(readFileSync(jsonPath, 'utf8'));
    expect(model.format).toBe('dlplay-model');
    expect(model.input).toEqual([1, 8, 8]);
    const [zip] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /Save weights/ }).click(),
    ]);
    const zipPath = join(profile, 'weights.zip');
    await zip.saveAs(zipPath);
    const files = unzipSync(readFileSync(zipPath));
    expect(Object.keys(files).sort()).toEqual([
      'layer0_conv2d_bias.npy',
      'layer0_conv2d_weights.npy',
      'layer2_dense_bias.npy',
      'layer2_dense_weights.npy',
      'model.json',
    ]);
    const npy = files['layer0_conv2d_weights.npy'];
    expect(strFromU8(npy.subarray(1, 6))).toBe('NUMPY');
    expect(
      strFromU8(npy.subarray(10, 10 + new DataView(npy.buffer, npy.byteOffset).getUint16(8, true))),
    ).toContain("'shape': (8, 1, 3, 3)");
    await page.close();

    // A fresh page (fresh weights), then the saved model.
    const again = await open();
    expect(await probabilities(again.page)).not.toEqual(before);
    await again.page.locator('#load-model').setInputFiles(jsonPath);
    await expect.poll(() => again.page.locator('#notes').textContent()).toContain('Loaded the model');
    await expect.poll(() => probabilities(again.page)).toEqual(before);

    if (existsSync(cli)) {
      const r = spawnSync(cli, ['eval', jsonPath, '--input', JSON.stringify([input])], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const outputs = JSON.parse(r.stdout);
      const row = (outputs.outputs ?? outputs)[0].flat(Infinity);
      expect(row.map((v) => v.toFixed(3))).toEqual(before);
    }
    expect([...errors, ...again.errors]).toEqual([]);
    await again.page.close();
  }, 90_000);

  test('in Chinese: the saliency view is titled, explained and drawn, and follows the drawing', async () => {
    const { page, errors } = await open('#lang=zh');
    await expect.poll(() => page.getByRole('heading', { name: '显著性' }).count()).toBe(1);
    expect(await page.locator('#saliency-hint').textContent()).toBe('哪些像素把图像推向它的预测类别');
    for (let i = 0; i < 30; ++i) await page.getByRole('button', { name: '单步（一个批次）' }).click();
    await expect.poll(async () => (await saliency(page)).colours).toBeGreaterThan(10);
    const { predicted } = await page.evaluate(() => window.dlplayCnn.saliency());
    expect(
      await page.getByRole('img', { name: `显著性图：哪些像素把图像推向它的预测类别 ${predicted}` }).count(),
    ).toBe(1);
    expect(await page.locator('#saliency-legend').textContent()).toContain(`推向 ${predicted}`);
    const before = await saliency(page);
    await drawOne(page);
    await expect.poll(() => page.locator('#seen-caption').textContent()).toBe('你写的数字');
    await expect.poll(async () => (await saliency(page)).sig).not.toBe(before.sig);
    expect((await saliency(page)).colours).toBeGreaterThan(1);
    await page
      .locator('section[aria-labelledby=input-title]')
      .screenshot({ path: join(shots, 'cnn-saliency-zh.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('the URL keeps the network; zh relabels the page; invalid networks are refused with a message', async () => {
    const { page } = await open();
    await page.getByLabel('Block 1 type').selectOption('conv'); // unchanged
    await page.getByLabel('Kernel').first().fill('11');
    await page.getByLabel('Kernel').first().press('Enter');
    await expect.poll(() => page.locator('#net-error').textContent()).toContain('layers[0].kernel');
    expect(await page.getByRole('button', { name: 'Play' }).isDisabled()).toBe(true);
    expect(decodeURIComponent(await page.evaluate(() => location.hash))).toContain('net=conv-8-11-1-1-relu');
    await page.getByLabel('Kernel').first().fill('3');
    await page.getByLabel('Kernel').first().press('Enter');
    await expect.poll(() => page.locator('#net-error').isHidden()).toBe(true);
    await page.getByLabel('Language').selectOption('zh');
    await expect.poll(() => page.getByRole('button', { name: '播放' }).count()).toBe(1);
    expect(await page.getByLabel('测试准确率').count()).toBe(1);
    expect(await page.evaluate(() => location.hash)).toContain('lang=zh');
    await page.close();
    const mnist = await open('#preset=x&dataset=mnist10k&net=dense-8-relu,dense-10-linear,softmax');
    expect(await mnist.page.locator('#notes').textContent()).toContain('unknown setting');
    expect(await mnist.page.locator('#blocks .shape').first().textContent()).toBe('1×28×28');
    await mnist.page.close();
  }, 60_000);
});

// The control groups of cnn.html a teacher can hide or lock (data-group), as the Share dialog lists them.
const GROUPS = ['play', 'data', 'blocks', 'optimizer', 'cores', 'presets', 'save', 'draw', 'share'];
const DEFAULT_SHAPES = ['1×8×8', '→ 8×8×8 · 80', '→ 8×4×4 · 0', '→ 10 · 1,290', '→ 10 · 0'];
const shapesOf = (page) => page.$$eval('#blocks .shape', (l) => l.map((e) => e.textContent));

// Where an element lies, and whether it is wholly inside the viewport (w × h).
async function placed(page, selector, w, h) {
  const boxes = await page.$$eval(selector, (list) =>
    list.map((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, width: r.width };
    }),
  );
  expect(boxes.length, selector).toBeGreaterThan(0);
  return boxes.map((b) => ({
    ...b,
    inside: b.width > 0 && b.left >= 0 && b.top >= 0 && b.right <= w && b.bottom <= h,
  }));
}

describe('CNN page on the page kit', () => {
  test('a hash changed in the open tab, Back and Forward re-apply the state, with no page error', async () => {
    const { page, errors } = await open();
    expect(await shapesOf(page)).toEqual(DEFAULT_SHAPES);
    // A user's change is a history entry.
    await page.getByLabel('Learning rate').selectOption('0.03');
    expect(await page.evaluate(() => location.hash)).toBe('#lr=0.03');
    await expect
      .poll(async () => Math.round((await page.evaluate(() => window.dlplayCnn.hyper())).optimizer.lr * 1e6))
      .toBe(30_000); // (the engine's float32 0.03)
    // A link pasted into the open tab: another network, optimizer, rate and test image.
    await page.evaluate(() => {
      location.hash = '#net=conv-4-3-1-1-relu,max-2-2,dense-10-linear,softmax&optimizer=sgd&lr=0.1&image=5';
    });
    await expect
      .poll(() => shapesOf(page))
      .toEqual(['1×8×8', '→ 4×8×8 · 40', '→ 4×4×4 · 0', '→ 10 · 650', '→ 10 · 0']);
    expect(await page.locator('#optimizer').inputValue()).toBe('sgd');
    expect(await page.locator('#lr').inputValue()).toBe('0.1');
    await expect.poll(() => page.locator('#maps canvas').count()).toBe(1 + 4 + 4 + 1 + 1);
    await expect.poll(() => page.locator('#seen-caption').textContent()).toMatch(/^Test image 6 of /);
    const hyper = await page.evaluate(() => window.dlplayCnn.hyper());
    expect(hyper.optimizer.type).toBe('sgd');
    expect(hyper.optimizer.lr).toBeCloseTo(0.1, 6);
    // Back: the state before it, the default network with the rate chosen.
    await page.goBack();
    await expect.poll(() => shapesOf(page)).toEqual(DEFAULT_SHAPES);
    expect(await page.locator('#optimizer').inputValue()).toBe('adam');
    expect(await page.locator('#lr').inputValue()).toBe('0.03');
    await expect.poll(() => page.locator('#seen-caption').textContent()).toMatch(/^Test image 1 of /);
    // Back again: the defaults; Forward: the chosen rate again (the network is not rebuilt for it).
    await page.goBack();
    await expect.poll(() => page.locator('#lr').inputValue()).toBe('0.01');
    await page.goForward();
    await expect.poll(() => page.locator('#lr').inputValue()).toBe('0.03');
    await expect
      .poll(async () => Math.round((await page.evaluate(() => window.dlplayCnn.hyper())).optimizer.lr * 1e6))
      .toBe(30_000); // (the engine's float32 0.03)
    // A link with a bad value: it is listed, the rest applies.
    await page.evaluate(() => (location.hash = '#lr=7&dataset=mnist10k'));
    await expect.poll(() => page.locator('#notes').textContent()).toContain('lr = “7”');
    await expect.poll(async () => (await shapesOf(page))[0]).toBe('1×28×28');
    expect(await page.locator('#lr').inputValue()).toBe('0.01');
    // The language from a link.
    await page.evaluate(() => (location.hash = '#lang=zh'));
    await expect.poll(() => page.getByRole('button', { name: '播放' }).count()).toBe(1);
    await expect.poll(async () => (await shapesOf(page))[0]).toBe('1×8×8');
    await page.waitForFunction(() => window.dlplayCnn.testAccuracy !== null);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('Share: the groups to hide, the link and snippets for this state, and the picture as a PNG', async () => {
    const { page, errors } = await open('#lr=0.03');
    await page.getByRole('button', { name: 'Share' }).click();
    const dialog = page.locator('dialog.share');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator('input[name=share-hide]').evaluateAll((l) => l.map((i) => i.value))).toEqual(
      GROUPS,
    );
    await dialog.getByLabel('Block editor').check();
    await dialog.getByLabel('Save and load the model').check();
    const iframe = await page.locator('#share-iframe').inputValue();
    expect(iframe).toContain('embed.html#view=cnn&amp;lr=0.03');
    expect(iframe).toContain('hide=blocks,save');
    expect(await page.locator('#share-link').inputValue()).toMatch(/cnn\.html#lr=0\.03&hide=blocks,save$/);
    expect(await page.locator('#share-element').inputValue()).toContain('view="cnn"');
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#share-save-image').click(),
    ]);
    const path = join(profile, 'cnn-share.png');
    await png.saveAs(path);
    const bytes = readFileSync(path);
    expect([...bytes.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    expect(bytes.readUInt32BE(16)).toBeGreaterThan(300); // the width in its IHDR
    await page.locator('#share-close').click();
    // In Chinese, the groups are named in Chinese.
    await page.getByLabel('Language').selectOption('zh');
    await page.getByRole('button', { name: '分享' }).click();
    await expect.poll(() => dialog.getByLabel('保存和载入模型').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('embedded at 700×480: the input, the probabilities and the first feature maps are in view (en, zh, 320 px)', async () => {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    for (const [w, h, lang, name] of [
      [700, 480, 'en', 'cnn-embed-700x480.png'],
      [700, 480, 'zh', 'cnn-embed-700x480-zh.png'],
      [320, 568, 'en', 'cnn-embed-320x568.png'],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await page.goto('about:blank'); // a fresh load each time (not a change of the hash)
      await page.goto(`${base}?embed=1#dataset=digits8x8${lang === 'zh' ? '&lang=zh' : ''}`);
      await page.waitForFunction(() => window.dlplayCnn?.evaluations > 0 && window.dlplayCnn.frames > 0);
      expect(await page.evaluate(() => document.documentElement.className)).toBe('embed');
      expect(await page.locator('header.site').isVisible()).toBe(false);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(w);
      expect(await page.getByRole('button', { name: lang === 'zh' ? '播放' : 'Play' }).isVisible()).toBe(
        true,
      );
      const where = `${w}×${h} ${lang}`;
      const views =
        w === 700
          ? ['#pad', '#seen', '#probs', '#maps .map-layer[data-layer="1"] canvas']
          : ['#pad', '#seen', '#probs'];
      for (const selector of views)
        for (const box of await placed(page, selector, w, h))
          expect(box.inside, `${selector} at ${where}: ${JSON.stringify(box)}`).toBe(true);
      // The first layer's maps are drawn (not blank).
      const maps = await canvases(page, '#maps .map-layer[data-layer="1"] canvas');
      expect(maps.length).toBe(8);
      expect(maps.filter((c) => c.colours > 1).length).toBeGreaterThan(4);
      // The snapshot (the Share dialog's image, a host's snapshot): the input, probabilities and maps.
      const snap = await page.evaluate(() => {
        const c = window.dlplayEmbed.snapshot();
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const colours = new Set();
        for (let i = 0; i < d.length; i += 4) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        return { width: c.width, height: c.height, colours: colours.size };
      });
      expect(snap.width).toBeGreaterThan(300);
      expect(snap.colours).toBeGreaterThan(20);
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(shots, name) });
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('embedded: hide=, lock= and controls=none act on the data-group marks', async () => {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setViewportSize({ width: 700, height: 480 });
    await page.goto(`${base}?embed=1#dataset=digits8x8&hide=blocks,save,presets&lock=optimizer,draw`);
    await page.waitForFunction(() => window.dlplayCnn?.evaluations > 0);
    const visible = (g) => page.$$eval(`[data-group=${g}]`, (l) => l.map((e) => e.checkVisibility()));
    for (const g of GROUPS) expect((await visible(g)).length, g).toBeGreaterThan(0);
    for (const g of ['blocks', 'save', 'presets'])
      expect(await visible(g), g).toEqual((await visible(g)).map(() => false));
    for (const g of ['play', 'data', 'optimizer', 'draw'])
      expect((await visible(g)).every(Boolean), g).toBe(true);
    for (const id of ['optimizer', 'lr', 'batch', 'clear'])
      expect(await page.locator(`#${id}`).isDisabled(), id).toBe(true);
    expect(await page.locator('#pad').evaluate((c) => getComputedStyle(c).pointerEvents)).toBe('none');
    expect(await page.locator('#play').isDisabled()).toBe(false);
    // The kit keys stay in the address as the state changes.
    await page.locator('#next-image').click();
    expect(decodeURIComponent(await page.evaluate(() => location.hash))).toBe(
      '#image=1&hide=blocks,save,presets&lock=optimizer,draw',
    );
    await page.goto('about:blank'); // a fresh load: the kit keys are read when the page starts
    await page.goto(`${base}?embed=1#controls=none`);
    await page.waitForFunction(() => window.dlplayCnn?.evaluations > 0);
    for (const g of GROUPS) {
      const v = await visible(g);
      expect(
        v.every((x) => x === (g === 'play')),
        g,
      ).toBe(true);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('embedded in a page of another origin: the API, its events, and no drawing while out of sight', async () => {
    const strict = await startServer({ dir: out, port: 0, csp: true }); // the CSP a strict host allows
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const host = `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><body style="margin:0">
<iframe id="f" src="${strict.url}embed.html#view=cnn&dataset=digits8x8" width="700" height="480" style="border:0"></iframe>
<script>
  window.__events = [];
  const pending = new Map();
  let next = 1;
  addEventListener('message', (e) => {
    const m = e.data;
    if (!m || m.dlplay !== 1) return;
    if (m.event) window.__events.push({ event: m.event, detail: m.detail });
    else if (pending.has(m.id)) (pending.get(m.id)(m), pending.delete(m.id));
  });
  const frame = () => document.getElementById('f').contentWindow;
  window.call = (method, ...args) =>
    new Promise((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      frame().postMessage({ dlplay: 1, id, method, args }, '*');
    });
  window.visibility = (...args) => frame().postMessage({ dlplay: 1, method: 'visibility', args }, '*');
</script>`;
    // The course page on another loopback address (another origin, as on a real course site).
    const lesson = mkdtempSync(join(tmpdir(), 'dlplay-cnn-course-'));
    writeFileSync(join(lesson, 'lesson.html'), host);
    const course = await startServer({ dir: lesson, port: 0, host: '127.0.0.2' });
    await page.goto(`${course.url}lesson.html`);
    const events = (name) => page.evaluate((n) => window.__events.filter((e) => e.event === n), name);
    const call = (method, ...args) => page.evaluate(([m, a]) => window.call(m, ...a), [method, args]);
    await expect.poll(async () => (await events('ready')).length, { timeout: 30_000 }).toBe(1);
    expect((await events('ready'))[0].detail).toEqual({ view: 'cnn' });
    const frame = page.frames().find((f) => f.url().includes('cnn.html?embed=1'));
    expect(frame.url()).toContain('cnn.html?embed=1'); // (the default data set leaves no hash)

    const stepped = await call('step', 5);
    expect(stepped.result).toMatchObject({ step: 5, epoch: expect.any(Number) });
    await frame.waitForFunction(() => !window.dlplayCnn.evaluating && window.dlplayCnn.evaluations > 1);
    const state = (await call('getState')).result;
    expect(state.state).toBe('');
    expect(Object.keys(state.metrics).sort()).toEqual(
      ['epoch', 'step', 'testAccuracy', 'testLoss', 'trainAccuracy', 'trainLoss'].sort(),
    );
    expect(state.metrics.step).toBe(5);
    expect(state.metrics.testAccuracy).toBe(await frame.evaluate(() => window.dlplayCnn.testAccuracy));

    // Playing: step events (one per animation frame at most), with the engine's step growing.
    expect((await call('play')).error).toBeUndefined();
    await expect.poll(async () => (await events('step')).length).toBeGreaterThan(5);
    // Out of sight: it pauses and draws nothing; back in sight, it plays again.
    await page.evaluate(() => window.visibility(false));
    await expect.poll(() => frame.locator('#play.playing').count()).toBe(0);
    const drawn = await frame.evaluate(() => window.dlplayCnn.frames);
    await page.waitForTimeout(500);
    expect(await frame.evaluate(() => window.dlplayCnn.frames)).toBe(drawn);
    await page.evaluate(() => window.visibility(true));
    await expect.poll(() => frame.locator('#play.playing').count()).toBe(1);
    // Out of sight but asked to keep training: it trains on, drawing nothing.
    await page.evaluate(() => window.visibility(false, true));
    const before = (await call('getState')).result.metrics.step;
    const drawnHidden = await frame.evaluate(() => window.dlplayCnn.frames);
    await page.waitForTimeout(700);
    expect((await call('getState')).result.metrics.step).toBeGreaterThan(before);
    expect(await frame.evaluate(() => window.dlplayCnn.frames)).toBe(drawnHidden);
    await page.evaluate(() => window.visibility(true));
    await call('pause');
    const steps = (await events('step')).map((e) => e.detail.step);
    expect(steps.every((s, i) => i === 0 || s >= steps[i - 1])).toBe(true);

    // setState: the host's state applies, and a change event (not the user's) says so.
    await call('setState', 'lr=0.1&optimizer=sgd');
    await expect.poll(() => frame.locator('#lr').inputValue()).toBe('0.1');
    expect(await frame.locator('#optimizer').inputValue()).toBe('sgd');
    expect((await events('change')).at(-1).detail).toEqual({
      state: 'optimizer=sgd&lr=0.1',
      userInitiated: false,
    });
    expect((await call('getState')).result.state).toBe('optimizer=sgd&lr=0.1');
    // A change in the frame by its user: userInitiated.
    await frame.getByLabel('Batch size').selectOption('32');
    await expect
      .poll(async () => (await events('change')).at(-1).detail)
      .toEqual({ state: 'optimizer=sgd&lr=0.1&batch=32', userInitiated: true });
    // reset: a fresh model (step 0).
    await call('reset');
    expect((await call('getState')).result.metrics.step).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
    for (const s of [strict, course]) {
      s.server.closeAllConnections(); // (the browser keeps its connections open)
      await s.close();
    }
    rmSync(lesson, { recursive: true, force: true });
  }, 90_000);
});

describe('CNN page speed', () => {
  test('the ConvNetJS MNIST net on mnist10k: examples/s in the page (logged), learning', async () => {
    const { page, errors } = await open('#dataset=mnist10k');
    await page.getByLabel('Preset').selectOption('convnetjs');
    // ConvNetJS's layers (28×28 with padding 2): 208 + 3,216 + 2,570 parameters.
    await expect.poll(() => page.locator('#net-total').textContent()).toBe('5,994 parameters in all');
    await page.waitForFunction(() => window.dlplayCnn.testAccuracy !== null);
    await page.getByRole('button', { name: 'Play' }).click();
    const speeds = [];
    const t0 = Date.now();
    while (Date.now() - t0 < 12_000) {
      await page.waitForTimeout(1000);
      speeds.push(await page.evaluate(() => window.dlplayCnn.speed));
    }
    // Pausing evaluates the test set once more.
    const evaluations = await page.evaluate(() => window.dlplayCnn.evaluations);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.waitForFunction((n) => window.dlplayCnn.evaluations > n, evaluations);
    const { testAccuracy, epoch } = await page.evaluate(() => window.dlplayCnn);
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const median = [...speeds.slice(2)].sort((a, b) => a - b)[Math.floor((speeds.length - 2) / 2)];
    console.log(
      `cnn convnetjs/mnist10k: ${Math.round(median)} examples/s (median over 10 s), epoch ${epoch.toFixed(2)}, ` +
        `test accuracy ${testAccuracy}, load average ${load}`,
    );
    await page.screenshot({ path: join(shots, 'cnn-mnist.png'), fullPage: true });
    expect(median).toBeGreaterThan(200);
    expect(testAccuracy).toBeGreaterThan(0.8);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
