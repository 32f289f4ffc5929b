// The JavaScript API (wasm/dlplay.js) on the WebAssembly engine in Node, and its agreement with the
// native build: the same spec and seed must give the same numbers as the native CLI
// (build/native/dlplay, or $DLPLAY_CLI). Needs `npm run build` (build/wasm) and the native CLI.
import { test, expect, beforeAll, describe } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from 'dlplay';
import { testHooks } from 'dlplay/testing';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = resolve(root, process.env.DLPLAY_CLI ?? 'build/native/dlplay');
const dir = mkdtempSync(join(tmpdir(), 'dlplay-js-'));

let dl;
beforeAll(async () => {
  dl = await loadEngine();
}, 30000);

// docs/lessons.md, lesson 2: the 2-2-2-2 sigmoid network, one row of incoming weights per neuron.
const lessonModel = JSON.parse(
  readFileSync(new URL('../fixtures/lesson-2222.json', import.meta.url), 'utf8'),
);

const round2 = (row) => row.map((v) => Number(v.toFixed(2)));

// Inline points in [-3, 3]² from a fixed formula (no Math.random), labels from `label`.
function points(n, label) {
  const x = [];
  const y = [];
  for (let i = 0; i < n; ++i) {
    const a = Math.fround((((i * 37) % 61) / 61) * 6 - 3);
    const b = Math.fround((((i * 53) % 67) / 67) * 6 - 3);
    x.push([a, b]);
    y.push(label(a, b));
  }
  return { x, y };
}

// Specs for the native/wasm comparisons, every kind a page sends: dense with tanh and MSE; ReLU +
// softmax with cross-entropy and Adam; a small CNN on inline images; features with momentum and
// L2 on a built-in set; own points with 0/1 labels and mse (the MLP page after clicks or a CSV);
// inline multi-class with a test split; inline regression rows with a test split.
const specs = {
  ownPoints: {
    input: [2],
    layers: [
      { type: 'dense', units: 4, activation: 'tanh' },
      { type: 'dense', units: 1, activation: 'tanh' },
    ],
    data: points(30, (a, b) => (a * b > 0 ? 1 : 0)),
    loss: 'mse',
    optimizer: { type: 'sgd', lr: 0.03 },
    batch: 10,
    seed: 1,
  },
  inlineMulticlass: {
    input: [2],
    layers: [
      { type: 'dense', units: 8, activation: 'relu' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
    data: { ...points(60, (a, b) => (a > 1 ? 2 : b > 0 ? 1 : 0)), test_ratio: 0.25 },
    loss: 'cross_entropy',
    optimizer: { type: 'rmsprop', lr: 0.01 },
    batch: 8,
    seed: 2,
  },
  inlineRegression: (() => {
    const { x } = points(40, () => 0);
    return {
      input: [2],
      layers: [
        { type: 'dense', units: 6, activation: 'sigmoid' },
        { type: 'dense', units: 1, activation: 'linear' },
      ],
      data: { x, y: x.map(([a, b]) => [Math.fround(0.3 * a - 0.2 * b)]) },
      test_ratio: 0.2,
      optimizer: { type: 'adagrad', lr: 0.05 },
      regularization: 'l1',
      regularization_rate: 0.001,
      batch: 5,
      seed: 3,
    };
  })(),
  circle: {
    input: [2],
    layers: [
      { type: 'dense', units: 8, activation: 'tanh' },
      { type: 'dense', units: 8, activation: 'tanh' },
      { type: 'dense', units: 1, activation: 'tanh' },
    ],
    data: { name: 'circle', n: 200, noise: 0.1, test_ratio: 0.2 },
    optimizer: { type: 'sgd', lr: 0.03 },
    batch: 10,
    seed: 7,
  },
  spiral: {
    input: [2],
    layers: [
      { type: 'dense', units: 16, activation: 'relu' },
      { type: 'dense', units: 2, activation: 'softmax' },
    ],
    data: { name: 'spiral', n: 300, noise: 0.2 },
    loss: 'cross_entropy',
    optimizer: { type: 'adam', lr: 0.01 },
    batch: 16,
    seed: 3,
  },
  gaussian4: {
    input: [2],
    layers: [
      { type: 'dense', units: 6, activation: 'tanh' },
      { type: 'dense', units: 4, activation: 'softmax' },
    ],
    data: { name: 'gaussian', n: 200, noise: 0.2, classes: 4, test_ratio: 0.2 },
    loss: 'cross_entropy',
    optimizer: { type: 'sgd', lr: 0.1 },
    batch: 10,
    seed: 4,
  },
  features: {
    input: [5],
    features: ['x1', 'x2', 'x1sq', 'x2sq', 'sinx1'],
    layers: [
      { type: 'dense', units: 4, activation: 'sigmoid' },
      { type: 'dense', units: 1, activation: 'tanh' },
    ],
    data: { name: 'xor', n: 200, noise: 0.05 },
    optimizer: { type: 'sgd', lr: 0.05, momentum: 0.9 },
    regularization: 'l2',
    regularization_rate: 0.001,
    batch: 8,
    seed: 11,
  },
  cnn: (() => {
    // 24 images 1×6×6 with a deterministic pattern; class = which half is brighter.
    const x = [];
    const y = [];
    for (let i = 0; i < 24; ++i) {
      const img = [];
      for (let r = 0; r < 6; ++r) {
        const row = [];
        for (let c = 0; c < 6; ++c)
          row.push(((i * 7 + r * 3 + c * 5) % 11) / 10 + (i % 2 === (c < 3 ? 0 : 1) ? 0.5 : 0));
        img.push(row);
      }
      x.push([img]);
      y.push(i % 2);
    }
    return {
      input: [1, 6, 6],
      layers: [
        { type: 'conv2d', filters: 3, kernel: 3, padding: 1, activation: 'relu' },
        { type: 'maxpool2d', size: 2, stride: 2 },
        { type: 'flatten' },
        { type: 'dense', units: 2, activation: 'softmax' },
      ],
      data: { x, y },
      loss: 'cross_entropy',
      optimizer: { type: 'sgd', lr: 0.05 },
      batch: 4,
      seed: 5,
    };
  })(),
};

function runCli(args) {
  const r = spawnSync(cli, args, { encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  return r;
}

// The native CLI's metrics lines (log_every 1) and final model for `spec` trained `steps` steps.
function nativeTrain(name, spec, steps) {
  const specPath = join(dir, `${name}.json`);
  const outPath = join(dir, `${name}.model.json`);
  writeFileSync(specPath, JSON.stringify({ ...spec, steps, log_every: 1 }));
  const r = runCli(['train', specPath, '--out', outPath]);
  if (r.status !== 0) throw new Error(`native CLI failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return { lines, model: JSON.parse(readFileSync(outPath, 'utf8')) };
}

const flat = (v) => (Array.isArray(v) ? v.flat(Infinity) : [v]);

describe('the lessons through the JavaScript API', () => {
  test('lesson 2: f([1,-1]) = [0.62, 0.83], f([0,0]) = [0.51, 0.85]', () => {
    const s = dl.session(lessonModel);
    const out = s.predict([
      [1, -1],
      [0, 0],
    ]);
    expect(out).toHaveLength(2);
    expect(round2(out[0])).toEqual([0.62, 0.83]);
    expect(round2(out[1])).toEqual([0.51, 0.85]);
    // One example on its own gives one row; a Float32Array of examples gives rows.
    expect(round2(s.predict([1, -1]))).toEqual([0.62, 0.83]);
    expect(s.predict(new Float32Array([1, -1, 0, 0]))).toEqual(out);
    // Every intermediate value: layer 1 is [0.98, 0.12], layer 2 [0.86, 0.11].
    expect(round2(s.activations(0, [1, -1]))).toEqual([0.98, 0.12]);
    expect(round2(s.activations(1, [1, -1]))).toEqual([0.86, 0.11]);
    expect(s.activations(2, [[1, -1]])).toEqual([out[0]]);
    expect(s.activations(-1, [[1, -1]])).toEqual([[1, -1]]);
    s.dispose();
  });

  test('the model JSON string works as well as the object, and toJSON round-trips', () => {
    const s = dl.session(JSON.stringify(lessonModel));
    const json = s.toJSON();
    expect(json.format).toBe('dlplay-model');
    expect(json.layers[0].weights).toEqual([
      [1, -2],
      [-1, 1],
    ]);
    const t = dl.session(json);
    expect(t.predict([[1, -1]])).toEqual(s.predict([[1, -1]]));
    s.dispose();
    t.dispose();
  });

  test('a diverged model is not saved: toJSON names the weights that are NaN or infinite', () => {
    const relu = { type: 'dense', units: 16, activation: 'relu' };
    const layers = [relu, relu, { type: 'dense', units: 1, activation: 'linear' }];
    const s = dl.session({ ...specs.circle, layers, optimizer: { type: 'sgd', lr: 1000 } });
    expect(s.train(50).diverged).toBe(true);
    expect(() => s.toJSON()).toThrow(
      /^layers\[\d+\]\.(weights|bias): NaN or infinite values .*cannot be saved/,
    );
    expect(s.toPyTorch()).toContain('float("nan")'); // the script still holds what the model is
    s.dispose();
  });

  test('layers, weights and setWeights', () => {
    const s = dl.session(lessonModel);
    expect(s.layers()).toEqual([
      { type: 'dense', inputShape: [2], outputShape: [2], params: 6, activation: 'sigmoid' },
      { type: 'dense', inputShape: [2], outputShape: [2], params: 6, activation: 'sigmoid' },
      { type: 'dense', inputShape: [2], outputShape: [2], params: 6, activation: 'sigmoid' },
    ]);
    const w = s.weights(2);
    expect(w.weights).toBeInstanceOf(Float32Array);
    expect(Array.from(w.weights)).toEqual([3, -1, -1, 4]);
    expect(Array.from(w.bias)).toEqual([-2, 2]);
    expect(w.shape).toEqual([2, 2]);
    expect(w.biasShape).toEqual([2]);
    s.setWeights(0, {
      weights: [
        [0, 0],
        [0, 0],
      ],
      bias: [0, 0],
    });
    expect(round2(s.activations(0, [1, -1]))).toEqual([0.5, 0.5]);
    expect(() => s.setWeights(0, { weights: [1, 2, 3] })).toThrow(/layers\[0\]\.weights: expected 4 values/);
    s.dispose();
  });

  test('grid: every unit of a layer over an n×n grid in one call', () => {
    const s = dl.session(lessonModel);
    const n = 5;
    const g = s.grid(0, [-1, 1], [2, -2], n);
    expect(g).toBeInstanceOf(Float32Array);
    expect(g.length).toBe(2 * n * n);
    // [unit][row][col]: x = -1 + 2·c/(n-1), y = 2 - 4·r/(n-1).
    for (const [r, c] of [
      [0, 0],
      [2, 3],
      [4, 4],
    ]) {
      const x = -1 + (2 * c) / (n - 1);
      const y = 2 - (4 * r) / (n - 1);
      const a = s.activations(0, [x, y]);
      expect(g[0 * n * n + r * n + c]).toBeCloseTo(a[0], 6);
      expect(g[1 * n * n + r * n + c]).toBeCloseTo(a[1], 6);
    }
    s.dispose();
  });
});

describe('training', () => {
  test('a plain model has no training data', () => {
    const s = dl.session(lessonModel);
    expect(() => s.train(1)).toThrow('this session has no training data');
    expect(() => s.set({ lr: 0.1 })).toThrow('this session has no training data');
    s.dispose();
  });

  test('train returns the metrics and learns the circle', () => {
    const s = dl.session(specs.circle);
    const info = s.info();
    expect(info).toMatchObject({ trainable: true, loss: 'mse', classes: 2, trainSize: 160, testSize: 40 });
    expect(s.train(0).gradientRms).toBe(0); // no step yet
    const first = s.train(1);
    expect(first.gradientRms).toBeGreaterThan(0);
    expect(Object.keys(first).sort()).toEqual(
      [
        'diverged',
        'epoch',
        'examples',
        'gradientRms',
        'loss',
        'step',
        'testAccuracy',
        'testLoss',
        'trainAccuracy',
        'trainLoss',
      ].sort(),
    );
    expect(first.examples).toBe(10);
    expect(first.epoch).toBe(10 / 160);
    expect(first.step).toBe(1);
    let m;
    for (let i = 0; i < 20; ++i) m = s.train(100);
    expect(m.step).toBe(2001);
    expect(m.diverged).toBe(false);
    expect(m.trainLoss).toBeLessThan(first.trainLoss / 2);
    expect(m.testAccuracy).toBeGreaterThan(0.8);
    expect(s.train(10, { evaluate: false })).toEqual({
      step: 2011,
      epoch: (2011 * 10) / 160,
      examples: 20110,
      loss: expect.any(Number),
      gradientRms: expect.any(Number),
      diverged: false,
    });
    s.set({ lr: 0.001, batch: 20 });
    expect(() => s.set({ lr: -1 })).toThrow(/^lr: /);
    expect(s.hyperparameters()).toEqual({
      optimizer: { type: 'sgd', lr: 0.0010000000474974513, momentum: 0, nesterov: false },
      batch: 20,
      regularization: 'none',
      regularization_rate: 0,
    });
    const d = s.data();
    expect(d.xShape).toEqual([200, 2]);
    expect(d.train.length + d.test.length).toBe(200);
    s.dispose();
  });

  test('a built-in set with classes: K labels, info().classes, and the vocabulary says which sets take it', () => {
    const { datasets } = dl.vocabulary();
    expect(datasets.filter((d) => d.classes).map((d) => d.name)).toEqual(['gaussian', 'spiral']);
    expect(datasets.find((d) => d.name === 'spiral').classes).toEqual({
      min: 2,
      max: 6,
      default: 2,
      integer: true,
    });
    const s = dl.session({ ...specs.gaussian4, data: { name: 'spiral', n: 120, classes: 4 } });
    expect(s.info().classes).toBe(4);
    const { y, classes } = s.data({ x: false });
    expect(classes).toBe(4);
    expect([...new Set(y)].sort()).toEqual([0, 1, 2, 3]);
    for (let k = 0; k < 4; ++k) expect(y.filter((v) => v === k).length).toBe(30);
    s.dispose();
    expect(() => dl.session({ ...specs.circle, data: { name: 'circle', classes: 3 } })).toThrow(
      'data.classes: the circle set has two classes of its own (only gaussian and spiral take "classes")',
    );
    expect(() => dl.session({ ...specs.gaussian4, data: { name: 'gaussian', classes: 9 } })).toThrow(
      'data.classes: expected a whole number from 2 to 6, got 9',
    );
  });

  test('features: inputs are 2-D points, the engine computes the features', () => {
    const s = dl.session(specs.features);
    expect(s.inputShape).toEqual([2]);
    expect(s.info().modelInputShape).toEqual([5]);
    s.train(50);
    const [x1, x2] = [0.5, -2];
    expect(s.activations(-1, [x1, x2]).map((v) => Number(v.toFixed(5)))).toEqual(
      [x1, x2, x1 * x1, x2 * x2, Math.sin(x1)].map((v) => Number(Math.fround(v).toFixed(5))),
    );
    expect(s.grid(-1, [-6, 6], [-6, 6], 4).length).toBe(5 * 16);
    s.dispose();
  });
});

// A session saved with toJSON() (the model, its features and its loss) and loaded back predicts as
// the original does, bit for bit, on the same 2-D points.
describe('saved models', () => {
  const featuresSoftmax = {
    input: [4],
    features: ['x1', 'x2', 'x1x2', 'sinx1'],
    layers: [
      { type: 'dense', units: 8, activation: 'relu' },
      { type: 'dropout', rate: 0.3 },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
    data: { name: 'gaussian', n: 90, classes: 3, noise: 0.2 },
    loss: 'cross_entropy',
    optimizer: 'adam',
    lr: 0.02,
    seed: 5,
  };
  const tanhMse = {
    input: [2],
    layers: [
      { type: 'dense', units: 6, activation: 'tanh' },
      { type: 'dense', units: 1, activation: 'tanh' },
    ],
    data: { name: 'circle', n: 100, noise: 0.1 },
    loss: 'mse',
    seed: 8,
  };
  const pts = [
    [1, 2],
    [-3, 0.5],
    [0, 0],
    [5.5, -5.5],
    [-1.25, 4],
  ];

  // Everything a page reads from the reloaded session, against the original.
  function expectSamePredictions(s, t, labels) {
    expect(t.inputShape).toEqual(s.inputShape);
    expect(t.info().features).toEqual(s.info().features);
    expect(t.info().loss).toBe(s.info().loss);
    expect(t.predict(pts)).toEqual(s.predict(pts));
    expect(t.classify(pts)).toEqual(s.classify(pts));
    for (let layer = -1; layer < s.layers().length; ++layer)
      expect(t.grid(layer, [-6, 6], [-6, 6], 9)).toEqual(s.grid(layer, [-6, 6], [-6, 6], 9));
    expect(t.inputGradients(pts, labels)).toEqual(s.inputGradients(pts, labels));
    expect(t.toPyTorch()).toBe(s.toPyTorch());
  }

  test('features, dropout and a softmax over 3 classes', () => {
    const s = dl.session(featuresSoftmax);
    s.train(60);
    const json = s.toJSON();
    expect(json.features).toEqual(featuresSoftmax.features);
    expect(json.loss).toBe('cross_entropy');
    expect(json.input).toEqual([4]);
    expect(Object.keys(json).sort()).toEqual([
      'features',
      'format',
      'input',
      'layers',
      'loss',
      'seed',
      'version',
    ]);
    for (const t of [dl.session(json), dl.session(JSON.stringify(json))]) {
      expect(t.info().trainable).toBe(false);
      expect(t.inputShape).toEqual([2]);
      expect(t.info().modelInputShape).toEqual([4]);
      expect(t.classify(pts).classes).toBe(3);
      expectSamePredictions(s, t, [0, 1, 2, 0, 1]);
      expect(t.toJSON()).toEqual(json);
      t.dispose();
    }
    s.dispose();
  });

  test('one tanh output with mse: the same class probabilities', () => {
    const s = dl.session(tanhMse);
    s.train(100);
    const json = s.toJSON();
    expect(json.loss).toBe('mse');
    expect(json.features).toBeUndefined();
    const t = dl.session(json);
    const c = t.classify(pts);
    expect(c.classes).toBe(2);
    expect(c.probabilities).toEqual(s.classify(pts).probabilities);
    expect(c.probabilities[1]).toBe(Math.min(1, Math.max(0, Math.fround((c.outputs[0] + 1) * 0.5))));
    expectSamePredictions(s, t, [1, 0, 1, 0, 1]);
    // Without its loss, a model alone with one output does not classify (as before).
    const { loss: _, ...bare } = json;
    const u = dl.session(bare);
    expect(u.classify(pts).classes).toBe(0);
    expect(u.info().loss).toBeUndefined();
    expect(u.predict(pts)).toEqual(s.predict(pts));
    [s, t, u].forEach((x) => x.dispose());
  });

  test('the native CLI writes the same model JSON as toJSON()', () => {
    if (!existsSync(cli)) return expect.fail(`the native CLI is missing (${cli})`);
    for (const [name, spec] of Object.entries({ featuresSoftmax, tanhMse })) {
      const { model } = nativeTrain(`saved-${name}`, spec, 30);
      const s = dl.session(spec);
      s.train(30);
      expect(model).toEqual(s.toJSON());
      s.dispose();
    }
  });
});

describe('errors carry the engine message', () => {
  test('bad specs', () => {
    const bad = { ...lessonModel, layers: [{ type: 'dense', units: -1 }] };
    expect(() => dl.session(bad)).toThrow(Error);
    expect(() => dl.session(bad)).toThrow('layers[0].units');
    expect(() => dl.session('{"input": [2], ')).toThrow(/^spec: invalid JSON/);
    expect(() => dl.session({ input: [2], layers: [{ type: 'bogus' }] })).toThrow(
      "layers[0].type: unknown value 'bogus'",
    );
    expect(() => dl.session({ ...specs.circle, data: 'nope' })).toThrow(/^data/);
    expect(() => dl.session(42)).toThrow(TypeError);
  });

  test('the same message as the native CLI', () => {
    if (!existsSync(cli)) return expect.fail(`the native CLI is missing (${cli}): run npm run build-native`);
    const bad = { ...specs.circle, optimizer: { type: 'sgd', lr: 'fast' }, steps: 1 };
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify(bad));
    const r = runCli(['train', path]);
    expect(r.status).not.toBe(0);
    const native = r.stderr.trim().replace(/^dlplay: error: /, '');
    let message;
    try {
      dl.session(bad);
    } catch (e) {
      message = e.message;
    }
    expect(message).toBe(native);
  });

  test('bad inputs and layer indices', () => {
    const s = dl.session(lessonModel);
    expect(() => s.predict([[1, 2, 3]])).toThrow('input: example 0 has 3 values, the model takes [2]');
    expect(() => s.predict([])).toThrow('input: expected at least one example');
    expect(() => s.weights(3)).toThrow('layer: expected an index from 0 to 2, got 3');
    expect(() => s.grid(0, [-1, 1], [-1, 1], 0)).toThrow('grid: n must be between 1 and 2048');
    s.dispose();
    expect(() => s.predict([[1, 2]])).toThrow('session: used after dispose()');
    s.dispose(); // twice is fine
  });
});

describe('memory', () => {
  test('creating and disposing 10,000 sessions does not grow the heap', () => {
    const small = { ...specs.circle, data: { name: 'circle', n: 40 } };
    const cycle = (i) => {
      const s = dl.session(i % 2 ? lessonModel : small);
      s.predict([[1, -1]]);
      if (i % 10 === 0) {
        // Every call once in a while, and a spec that fails half-way (its first layer built).
        s.grid(0, [-6, 6], [-6, 6], 4);
        s.toJSON();
        s.weights(0);
        if (i % 20 === 0) {
          s.train(1);
          s.evaluate('train');
          s.inputGradients([[1, -1]], [1]);
          s.hyperparameters();
          s.reset({ seed: i });
          expect(() => s.inputGradients([[1, -1]], [7])).toThrow('labels');
        }
        expect(() =>
          dl.session({
            input: [2],
            layers: [
              { type: 'dense', units: 3 },
              { type: 'dense', units: -1 },
            ],
          }),
        ).toThrow('layers[1].units');
        expect(() => s.activations(7, [[1, -1]])).toThrow('layer: expected an index');
      }
      s.dispose();
    };
    for (let i = 0; i < 100; ++i) cycle(i); // warm-up: allocator pools, Embind registries
    const { memory } = testHooks(dl);
    const before = memory();
    for (let i = 0; i < 10000; ++i) cycle(i);
    const after = memory();
    expect(after.heapSize).toBe(before.heapSize);
    expect(after.allocated).toBe(before.allocated);
  }, 60000);
});

describe('native and wasm agree', () => {
  test.each(Object.keys(specs))('%s: weights after one step, and gradients', (name) => {
    if (!existsSync(cli)) return expect.fail(`the native CLI is missing (${cli})`);
    const spec = specs[name];
    const { model } = nativeTrain(`${name}-1`, spec, 1);
    const s = dl.session(spec);
    const before = s.layers().map((_, i) => s.weights(i));
    s.train(1);
    model.layers.forEach((layer, i) => {
      const w = s.weights(i);
      if (layer.weights === undefined) {
        expect(w.weights.length).toBe(0);
        return;
      }
      const nw = flat(layer.weights);
      const nb = flat(layer.bias);
      expect(w.weights.length).toBe(nw.length);
      for (let k = 0; k < nw.length; ++k) expect(Math.abs(w.weights[k] - nw[k])).toBeLessThanOrEqual(1e-6);
      for (let k = 0; k < nb.length; ++k) expect(Math.abs(w.bias[k] - nb[k])).toBeLessThanOrEqual(1e-6);
      // Plain SGD: w1 = w0 − lr·g, so the native step gives the gradient back.
      if (spec.optimizer.type === 'sgd' && !spec.optimizer.momentum && !spec.regularization) {
        const g = s.gradients(i);
        const lr = spec.optimizer.lr;
        for (let k = 0; k < nw.length; ++k)
          expect(Math.abs((before[i].weights[k] - nw[k]) / lr - g.weights[k])).toBeLessThanOrEqual(1e-4);
        for (let k = 0; k < nb.length; ++k)
          expect(Math.abs((before[i].bias[k] - nb[k]) / lr - g.bias[k])).toBeLessThanOrEqual(1e-4);
      }
    });
    s.dispose();
  });

  test("toPyTorch() is the CLI's export --pytorch, character for character, before and after training", () => {
    if (!existsSync(cli)) return expect.fail(`the native CLI is missing (${cli})`);
    const exported = (path) => {
      const r = runCli(['export', '--pytorch', path]);
      if (r.status !== 0) throw new Error(`native CLI failed (${r.status}): ${r.stderr}`);
      return r.stdout;
    };
    const specPath = join(dir, 'pytorch-features.json');
    writeFileSync(specPath, JSON.stringify(specs.features));
    const s = dl.session(specs.features);
    const script = s.toPyTorch();
    expect(script).toBe(exported(specPath));
    expect(script).toContain('def features(points):');
    s.dispose();

    const { model } = nativeTrain('pytorch-cnn', specs.cnn, 30);
    const modelPath = join(dir, 'pytorch-cnn.model.json');
    const c = dl.session(specs.cnn);
    c.train(30);
    expect(c.toPyTorch()).toBe(exported(modelPath));
    expect(dl.session(model).toPyTorch()).toBe(c.toPyTorch());
    expect(c.toPyTorch()).toContain('nn.Conv2d(1, 3, kernel_size=3, stride=1, padding=1)');
    c.dispose();
  });

  // The issue asks for 1e-5 relative; we check that, and report (and require) bit-identity, which
  // holds because both builds use 4-wide float SIMD (SSE2 natively, SIMD128 in wasm), the same
  // kernels in the same order, no FP contraction (-ffp-contract=off) and xsimd's own exp/tanh.
  test.each(Object.keys(specs))('%s: the first 100 steps give the same losses', (name) => {
    if (!existsSync(cli)) return expect.fail(`the native CLI is missing (${cli})`);
    const spec = specs[name];
    const { lines, model } = nativeTrain(`${name}-100`, spec, 100);
    expect(lines).toHaveLength(100);
    const s = dl.session(spec);
    let identical = 0;
    let pairsCompared = 0;
    for (const line of lines) {
      const m = s.train(1);
      expect(m.step).toBe(line.step);
      expect(m.gradientRms).toBe(line.gradient_rms);
      // Without a test split there is no test loss on either side.
      if (line.test_loss === undefined) expect(m.testLoss).toBeNull();
      const pairs = [[m.trainLoss, line.train_loss]];
      if (line.test_loss !== undefined) pairs.push([m.testLoss, line.test_loss]);
      for (const [ours, theirs] of pairs) {
        expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(1e-5 * Math.abs(theirs));
        if (ours === theirs) ++identical;
        ++pairsCompared;
      }
    }
    const ours = s.toJSON();
    const same =
      JSON.stringify(flat(ours.layers.map((l) => [l.weights ?? [], l.bias ?? []]))) ===
      JSON.stringify(flat(model.layers.map((l) => [l.weights ?? [], l.bias ?? []])));
    console.log(
      `${name}: ${identical}/${pairsCompared} losses bit-identical to native; final weights ${same ? 'bit-identical' : 'differ'}`,
    );
    expect(identical).toBe(pairsCompared);
    expect(same).toBe(true);
    s.dispose();
  });
});
