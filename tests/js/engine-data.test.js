// The binary data path of the JavaScript API: session(spec, {x, y, scale, testRatio}) with typed
// arrays (no JSON), on the WebAssembly engine in Node; and the calls the CNN page makes on it
// (data({x: false}), splitOutputs, activationsAll). Needs `npm run build` (build/wasm).
import { test, expect, beforeAll, describe } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { loadEngine } from 'dlplay';
import { decodeDataset } from '../../web/cnn/dataset.js';

let dl;
beforeAll(async () => {
  dl = await loadEngine();
}, 30000);

const tiny = {
  input: [1, 8, 8],
  layers: [
    { type: 'conv2d', filters: 8, kernel: 3, padding: 1, activation: 'relu' },
    { type: 'maxpool2d', size: 2 },
    { type: 'dense', units: 10 },
    { type: 'softmax' },
  ],
  loss: 'cross_entropy',
  optimizer: { type: 'adam', lr: 0.01 },
  batch: 16,
  seed: 3,
};

// Two classes of 4×4 images: ink on the left half or on the right half.
function halves(n) {
  const x = new Uint8Array(n * 16);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; ++i) {
    y[i] = i % 2;
    for (let j = 0; j < 16; ++j) x[i * 16 + j] = j % 4 < 2 === (y[i] === 0) ? 200 + (i % 50) : i % 7;
  }
  return { x, y };
}
const small = {
  input: [1, 4, 4],
  layers: [
    { type: 'conv2d', filters: 2, kernel: 3, padding: 1, activation: 'relu' },
    { type: 'dense', units: 2, activation: 'softmax' },
  ],
  loss: 'cross_entropy',
  optimizer: { type: 'adam', lr: 0.01 },
  batch: 10,
  seed: 1,
};

describe('session(spec, {x, y}) with typed arrays', () => {
  test('Uint8Array images are scaled by 1/255 and match the same data given inline as JSON', () => {
    const { x, y } = halves(100);
    const s = dl.session(small, { x, y, testRatio: 0.2 });
    const info = s.info();
    expect(info.trainSize).toBe(80);
    expect(info.testSize).toBe(20);
    expect(info.classes).toBe(2);
    const rows = Array.from({ length: 100 }, (_, i) =>
      Array.from(x.subarray(i * 16, i * 16 + 16), (v) => v / 255),
    );
    const inline = dl.session({ ...small, data: { x: rows, y: Array.from(y), test_ratio: 0.2 } });
    const a = s.train(30);
    const b = inline.train(30);
    expect(a.step).toBe(30);
    expect(a.testLoss).toBeCloseTo(b.testLoss, 5);
    expect(a.trainAccuracy).toBeCloseTo(b.trainAccuracy, 6);
    const da = s.data({ x: false });
    const db = inline.data();
    expect(da.x).toBeNull();
    expect(da.xShape).toEqual([100, 1, 4, 4]);
    expect([...da.test]).toEqual([...db.test]);
    expect(db.x[5]).toBeCloseTo(x[5] / 255, 6);
    s.dispose();
    inline.dispose();
  });

  test('Float32Array with a scale; stratified split; the test split is never trained on', () => {
    const { x, y } = halves(60);
    const s = dl.session(small, { x: Float32Array.from(x), y, scale: 1 / 255, testRatio: 0.5 });
    const d = s.data({ x: false });
    const testLabels = [...d.test].map((i) => y[i]);
    expect(testLabels.filter((l) => l === 0).length).toBe(15);
    expect(new Set([...d.test, ...d.train]).size).toBe(60);
    s.dispose();
  });

  test('splitOutputs and activationsAll give the outputs the page draws', () => {
    const { x, y } = halves(100);
    const s = dl.session(small, { x, y, testRatio: 0.2 });
    s.train(200, { evaluate: false });
    const out = s.splitOutputs('test');
    expect(out.length).toBe(20 * 2);
    const { test: idx } = s.data({ x: false });
    const first = Float32Array.from(x.subarray(idx[0] * 16, idx[0] * 16 + 16), (v) => v / 255);
    const [p] = s.predict(first); // a Float32Array is a batch: one row per example
    expect(out[0]).toBeCloseTo(p[0], 6);
    // Accuracy from the outputs agrees with the engine's.
    let correct = 0;
    for (let i = 0; i < 20; ++i) correct += (out[2 * i + 1] > out[2 * i] ? 1 : 0) === y[idx[i]];
    expect(correct / 20).toBeCloseTo(s.train(0).testAccuracy, 6);
    expect(s.splitOutputs('train', 5).length).toBe(10);
    const acts = s.activationsAll(first);
    expect(acts.map((a) => a.length)).toEqual([16, 32, 2]);
    expect(acts[2][0]).toBeCloseTo(p[0], 6);
    expect(() => s.splitOutputs('validation')).toThrow(/"train" or "test"/);
    s.dispose();
  });

  test('errors name what is wrong', () => {
    const { x, y } = halves(10);
    expect(() => dl.session({ ...small, data: 'circle' }, { x, y })).toThrow(/data: given both/);
    expect(() => dl.session(small, { x: x.subarray(0, 15), y })).toThrow(
      /x: 15 values are not whole examples/,
    );
    expect(() => dl.session(small, { x, y: y.subarray(0, 3) })).toThrow(/y: expected one label/);
    expect(() => dl.session(small, { x: [1, 2], y })).toThrow(
      /data.x: expected a Uint8Array or a Float32Array/,
    );
    expect(() => dl.session(small, { x, y, testRatio: 2 })).toThrow(/data.testRatio/);
    expect(() =>
      dl.session(
        { ...small, layers: [{ type: 'conv2d', filters: 2, kernel: 5 }, ...small.layers.slice(1)] },
        { x, y },
      ),
    ).toThrow(/layers\[0\]\.kernel/);
    expect(() => dl.session({ ...small, input: [0] }, { x, y })).toThrow(/input\[0\]/);
    const labels = Float32Array.from(y);
    labels[3] = 1.5;
    expect(() => dl.session(small, { x, y: labels })).toThrow(/data\.y/);
  });

  test('failed sessions do not leak', () => {
    const { x, y } = halves(50);
    for (let i = 0; i < 5; ++i) expect(() => dl.session(small, { x, y: y.subarray(1) })).toThrow();
    const before = dl.memory().allocated;
    for (let i = 0; i < 50; ++i) expect(() => dl.session(small, { x, y: y.subarray(1) })).toThrow();
    for (let i = 0; i < 20; ++i) dl.session(small, { x, y }).dispose();
    expect(dl.memory().allocated).toBeLessThanOrEqual(before + 1024);
  });

  test.skipIf(!existsSync(new URL('../../web/public/data/digits8x8.bin', import.meta.url)))(
    'the tiny CNN learns the 8×8 digits to ≥ 95 % test accuracy',
    () => {
      const set = decodeDataset(
        readFileSync(new URL('../../web/public/data/digits8x8.bin', import.meta.url)),
      );
      const s = dl.session(tiny, { x: set.images, y: set.labels, scale: 1 / set.max, testRatio: 0.2 });
      // Stratified: 20 % of each class, rounded per class.
      expect(Math.abs(s.info().testSize - 360)).toBeLessThanOrEqual(5);
      let m;
      for (let i = 0; i < 10; ++i) m = s.train(100);
      expect(m.testAccuracy).toBeGreaterThanOrEqual(0.95);
      s.dispose();
    },
    30000,
  );
});
