// The binary data path of the JavaScript API: session(spec, {x, y, scale, testRatio}) with typed
// arrays (no JSON), on the WebAssembly engine in Node; and the calls the CNN page makes on it
// (data({x: false}), evaluate, inputGradients, activationsAll). Needs `npm run build` (build/wasm).
import { test, expect, beforeAll, describe } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { loadEngine } from 'dlplay';
import { testHooks } from 'dlplay/testing';
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

  test('typed arrays and inline JSON take the same path: the same numbers to the last bit', () => {
    const { x, y } = halves(60);
    const xf = Float32Array.from(x, (v) => Math.fround(v / 255));
    const rows = Array.from({ length: 60 }, (_, i) => Array.from(xf.subarray(i * 16, i * 16 + 16)));
    const typed = dl.session(small, { x: xf, y, testRatio: 0.25 });
    const inline = dl.session({ ...small, data: { x: rows, y: Array.from(y), test_ratio: 0.25 } });
    for (let i = 0; i < 20; ++i) expect(typed.train(3)).toEqual(inline.train(3));
    expect(typed.toJSON()).toEqual(inline.toJSON());
    typed.dispose();
    inline.dispose();
  });

  test('evaluate: the engine gives loss, accuracy, predictions, probabilities, confusion', () => {
    const { x, y } = halves(100);
    const s = dl.session(small, { x, y, testRatio: 0.2 });
    s.train(200, { evaluate: false });
    const e = s.evaluate('test');
    const m = s.train(0);
    expect(e.count).toBe(20);
    expect(e.classes).toBe(2);
    expect(e.loss).toBe(m.testLoss);
    expect(e.accuracy).toBe(m.testAccuracy);
    const { test: idx } = s.data({ x: false });
    expect([...e.indices]).toEqual([...idx]);
    expect([...e.labels]).toEqual([...idx].map((i) => y[i]));
    const first = Float32Array.from(x.subarray(idx[0] * 16, idx[0] * 16 + 16), (v) => v / 255);
    const [p] = s.predict(first); // a Float32Array is a batch: one row per example
    expect(e.outputs[0]).toBeCloseTo(p[0], 6);
    expect(e.probabilities[1]).toBeCloseTo(p[1], 6); // the softmax's outputs
    expect(e.predicted[0]).toBe(p[1] > p[0] ? 1 : 0);
    const cells = [...e.confusion];
    expect(cells.reduce((a, b) => a + b, 0)).toBe(20);
    expect((cells[0] + cells[3]) / 20).toBe(e.accuracy);
    expect(s.evaluate('train', { limit: 5 }).count).toBe(5);
    const acts = s.activationsAll(first);
    expect(acts.map((a) => a.length)).toEqual([16, 32, 2]);
    expect(acts[2][0]).toBeCloseTo(p[0], 6);
    expect(() => s.evaluate('validation')).toThrow(/"train" or "test"/);
    s.dispose();
  });

  test('inputGradients: ∂L/∂x shaped like the input, pointing where the loss falls', () => {
    const { x, y } = halves(40);
    const s = dl.session(small, { x, y });
    s.train(100, { evaluate: false });
    const img = Float32Array.from(x.subarray(0, 16), (v) => v / 255);
    const [g] = s.inputGradients(img, [y[0]]);
    expect(g).toHaveLength(16);
    const loss = (input) => {
      const [pr] = s.predict(input);
      return -Math.log(pr[y[0]]);
    };
    // A small step against the gradient lowers the loss; along it raises it.
    const step = (sign) => img.map((v, i) => v - sign * 0.05 * g[i]);
    expect(loss(step(1))).toBeLessThan(loss(img));
    expect(loss(step(-1))).toBeGreaterThan(loss(img));
    expect(() => s.inputGradients(img, [1, 0, 1])).toThrow(
      /labels: 3 targets per example but the model has 2 outputs/,
    );
    s.dispose();
  });

  test('classify any input; input gradients for regression take target rows', () => {
    const { x, y } = halves(40);
    const s = dl.session(small, { x, y });
    s.train(100, { evaluate: false });
    const img = Float32Array.from(x.subarray(0, 32), (v) => v / 255);
    const c = s.classify(img);
    const rows = s.predict(img);
    expect(c.count).toBe(2);
    expect(c.classes).toBe(2);
    expect([...c.outputs]).toEqual(rows.flat());
    expect([...c.probabilities]).toEqual(rows.flat()); // a softmax's outputs are the probabilities
    expect([...c.predicted]).toEqual(rows.map((r) => (r[1] > r[0] ? 1 : 0)));
    s.dispose();
    const line = {
      input: [1],
      layers: [{ type: 'dense', units: 1, activation: 'linear', weights: [[2]], bias: [0] }],
      data: { x: [[1], [2]], y: [[2], [4]] },
    };
    const r = dl.session(line);
    expect(r.info().classes).toBe(0);
    // L = (2x − t)², dL/dx = 4·(2x − t): at x = 1, t = 0.5 that is 6.
    expect(r.inputGradients([[1]], [[0.5]])[0][0]).toBeCloseTo(6, 5);
    expect(r.classify([[1]]).predicted).toBeNull();
    r.dispose();
  });

  test('lossSurface: the loss over two weights, the weights left as they were', () => {
    const s = dl.session({
      input: [1],
      layers: [
        { type: 'dense', units: 1, activation: 'tanh' },
        { type: 'dense', units: 1, activation: 'linear' },
      ],
      data: { x: [[-1], [0], [1], [2]], y: [[-0.5], [0], [0.5], [0.8]] },
      seed: 3,
    });
    const before = s.train(0).trainLoss;
    const a = { layer: 0, index: 0 };
    const b = { layer: 1, index: 0 };
    const surface = s.lossSurface(a, b, [-2, 2], [-3, 3], 5);
    expect(surface).toHaveLength(25);
    expect(s.train(0).trainLoss).toBe(before);
    s.setWeights(0, { weights: [[-1]] });
    s.setWeights(1, { weights: [[1.5]] });
    expect(surface[3 * 5 + 1]).toBe(Math.fround(s.train(0).trainLoss));
    expect(() => s.lossSurface(a, a, [0, 1], [0, 1], 3)).toThrow('the same parameter');
    s.dispose();
  });

  test('vocabulary: what the engine accepts, from the engine', () => {
    const v = dl.vocabulary();
    expect(v.optimizers.map((o) => o.type)).toEqual(['sgd', 'adam', 'adagrad', 'rmsprop']);
    expect(v.features).toEqual(['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2']);
    expect(v.layers.find((l) => l.type === 'dropout').fields.rate.default).toBe(0.5);
    expect(v.hyperparameters.batch).toMatchObject({ min: 1, integer: true });
    v.features.push('changed');
    expect(dl.vocabulary().features).toHaveLength(7); // a copy each time
  });

  test('reset keeps the data and the hyper-parameters', () => {
    const { x, y } = halves(40);
    const s = dl.session(small, { x, y });
    const start = s.train(0).trainLoss;
    s.set({ lr: 0.05 });
    s.train(30);
    s.reset();
    expect(s.train(0)).toMatchObject({ step: 0, trainLoss: start });
    expect(s.hyperparameters().optimizer.lr).toBeCloseTo(0.05, 6);
    s.reset({ seed: 12 });
    expect(s.train(0).trainLoss).not.toBe(start);
    s.dispose();
  });

  test('errors name what is wrong', () => {
    const { x, y } = halves(10);
    expect(() => dl.session({ ...small, data: 'circle' }, { x, y })).toThrow(/data: given both/);
    expect(() => dl.session(small, { x: x.subarray(0, 15), y })).toThrow(
      /x: 15 values are not whole examples/,
    );
    expect(() => dl.session(small, { x, y: y.subarray(0, 3) })).toThrow(/data\.y: expected one label/);
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
    expect(() => dl.session(small, { x, y: labels })).toThrow(
      /^data\.y\[3\]: a class index must be a whole number/,
    );
  });

  test('failed sessions do not leak', () => {
    const { x, y } = halves(50);
    for (let i = 0; i < 5; ++i) expect(() => dl.session(small, { x, y: y.subarray(1) })).toThrow();
    const { memory } = testHooks(dl);
    const before = memory().allocated;
    for (let i = 0; i < 50; ++i) expect(() => dl.session(small, { x, y: y.subarray(1) })).toThrow();
    for (let i = 0; i < 20; ++i) dl.session(small, { x, y }).dispose();
    expect(memory().allocated).toBeLessThanOrEqual(before + 1024);
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
