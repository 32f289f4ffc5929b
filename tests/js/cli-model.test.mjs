// The native `dlplay` command on saved models: `train --out` writes the model with its "features"
// and "loss", so `eval` and `export --pytorch` on the file take 2-D points as training did.
// Runs the built binary (build/native/dlplay, or $DLPLAY_CLI) with child_process.spawnSync.
import { test, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = resolve(root, process.env.DLPLAY_CLI ?? 'build/native/dlplay');
const dir = mkdtempSync(join(tmpdir(), 'dlplay-cli-model-'));

function run(args) {
  const r = spawnSync(cli, args, { encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  return r;
}

function writeJson(name, value) {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

function expectError(r, message) {
  expect(r.status).toBe(1);
  expect(r.stderr).toBe(`dlplay: error: ${message}\n`);
}

const evalOutputs = (model, input) => {
  const r = run(['eval', model, '--input', JSON.stringify(input)]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout).outputs;
};

// Trained with features computed from the xor points (none with sin, so that the features are
// recomputed exactly below in float32).
const featureSpec = {
  input: [5],
  features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2'],
  layers: [
    { type: 'dense', units: 6, activation: 'tanh' },
    { type: 'dropout', rate: 0.2 },
    { type: 'dense', units: 1, activation: 'tanh' },
  ],
  data: { name: 'xor', n: 100, noise: 0.05 },
  loss: 'mse',
  optimizer: { type: 'sgd', lr: 0.05 },
  steps: 50,
  seed: 6,
};

function trainFeatures() {
  const out = join(dir, 'features-model.json');
  const r = run(['train', writeJson('features-spec.json', featureSpec), '--out', out]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return { path: out, model: JSON.parse(readFileSync(out, 'utf8')) };
}

const points = [
  [1, 2],
  [-3, 0.5],
  [0, 0],
  [4.5, -5],
];
const f = Math.fround;
const featureValues = ([a, b]) => [a, b, f(a * a), f(b * b), f(a * b)];

test('train --out saves the features and the loss; eval on the saved model takes 2-D points', () => {
  const { path, model } = trainFeatures();
  expect(model.format).toBe('dlplay-model');
  expect(model.features).toEqual(featureSpec.features);
  expect(model.loss).toBe('mse');
  expect(model.input).toEqual([5]);
  for (const key of ['data', 'optimizer', 'steps']) expect(model).not.toHaveProperty(key);

  const outputs = evalOutputs(path, points);
  expect(outputs).toHaveLength(points.length);
  expect(evalOutputs(path, [1, 2])).toEqual([outputs[0]]); // one point on its own
  // The same model without its features takes the feature values, and gives the same outputs.
  const { features: _, ...bare } = model;
  const barePath = writeJson('features-bare.json', bare);
  expect(evalOutputs(barePath, points.map(featureValues))).toEqual(outputs);
  // Feature values are not points.
  expectError(
    run(['eval', path, '--input', JSON.stringify(points.map(featureValues))]),
    '--input: example 0 has 5 values, the model takes [2]',
  );
  // --layers: the layers' outputs, the features being the model's input and not a layer.
  const layers = JSON.parse(run(['eval', path, '--input', '[[1,2]]', '--layers']).stdout).layers;
  expect(layers[0]).toHaveLength(3);
  expect(layers[0][2]).toEqual(outputs[0]);
});

test('export --pytorch on the saved model still defines features()', () => {
  const { path } = trainFeatures();
  const r = run(['export', '--pytorch', path]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('def features(points):');
  expect(r.stdout).toContain('print(model(features(x)).tolist())');
  expect(r.stdout).toContain('nn.Linear(5, 6)');
});

const python = (exe, args, input) => spawnSync(exe, args, { encoding: 'utf8', timeout: 120000, input });
const torchPython =
  ['python3', '/usr/bin/python3'].find((exe) => python(exe, ['-c', 'import torch']).status === 0) ?? null;

test.skipIf(!torchPython)(
  "export --pytorch on the saved model: PyTorch's features() and model give eval's outputs on points",
  () => {
    const { path } = trainFeatures();
    const script = join(dir, 'features-model.py');
    expect(run(['export', '--pytorch', path, '-o', script]).status).toBe(0);
    const code = [
      'import json, runpy, sys, torch',
      'ns = runpy.run_path(sys.argv[1])',
      'x = torch.tensor(json.load(sys.stdin), dtype=torch.float32)',
      'with torch.no_grad():',
      '    print(json.dumps(ns["model"](ns["features"](x)).tolist()))',
    ].join('\n');
    const r = python(torchPython, ['-c', code, script], JSON.stringify(points));
    expect(r.stderr).toBe('');
    const ours = evalOutputs(path, points);
    JSON.parse(r.stdout).forEach((row, i) =>
      row.forEach((v, j) => expect(Math.abs(v - ours[i][j])).toBeLessThan(1e-5)),
    );
  },
  120000,
);

test('a model without features is saved with its loss alone', () => {
  const out = join(dir, 'plain-model.json');
  const spec = {
    input: [2],
    layers: [{ type: 'dense', units: 2, activation: 'softmax' }],
    data: 'gaussian',
    loss: 'cross_entropy',
    steps: 5,
  };
  expect(run(['train', writeJson('plain-spec.json', spec), '--out', out]).status).toBe(0);
  const model = JSON.parse(readFileSync(out, 'utf8'));
  expect(model).not.toHaveProperty('features');
  expect(model.loss).toBe('cross_entropy');
  expect(Object.keys(model).sort()).toEqual(['format', 'input', 'layers', 'loss', 'seed', 'version']);
  expect(evalOutputs(out, [[1, 2]])[0]).toHaveLength(2);
});

test('a model JSON with features or a loss is a model, not a training spec without data', () => {
  const model = {
    format: 'dlplay-model',
    input: [3],
    features: ['x2', 'sinx1', 'x1'],
    loss: 'cross_entropy',
    layers: [
      {
        type: 'dense',
        units: 1,
        activation: 'sigmoid',
        weights: [[1, -0.5, 0.25]],
        bias: [0.5],
      },
    ],
  };
  const path = writeJson('model-with-features.json', model);
  // sigmoid(x2 − 0.5·sin x1 + 0.25·x1 + 0.5) at (0, 1): sigmoid(1.5).
  const [[y]] = evalOutputs(path, [[0, 1]]);
  expect(Math.abs(y - 1 / (1 + Math.exp(-1.5)))).toBeLessThan(1e-6);
  // train still wants data.
  expectError(
    run(['train', path]),
    'data: missing (a built-in set like "circle" or inline {"x": [...], "y": [...]})',
  );
});

test('error: a model JSON with bad features or loss names the field', () => {
  const base = {
    input: [2],
    layers: [{ type: 'dense', units: 1 }],
  };
  const cases = [
    [
      { features: ['x1', 'x9'] },
      "features[1]: unknown value 'x9' (expected one of x1, x2, x1sq, x2sq, x1x2, sinx1, sinx2)",
    ],
    [{ features: ['x2', 'x2'] }, "features[1]: feature 'x2' is given twice"],
    [{ features: ['x1', 'x2', 'x1sq'] }, 'input: expected [3], one value per feature, got [2]'],
    [{ loss: 'l1' }, "loss: unknown value 'l1' (expected one of mse, cross_entropy)"],
  ];
  cases.forEach(([extra, message], i) => {
    const path = writeJson(`bad-model-${i}.json`, { ...base, ...extra });
    expectError(run(['eval', path, '--input', '[[1,2]]']), message);
    expectError(run(['export', '--pytorch', path]), message);
  });
});
