// The native `dlplay` command: eval, train, bench and its errors.
// Runs the built binary (build/native/dlplay, or $DLPLAY_CLI) with child_process.spawnSync.
import { test, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = resolve(root, process.env.DLPLAY_CLI ?? 'build/native/dlplay');
const dir = mkdtempSync(join(tmpdir(), 'dlplay-cli-'));

function run(args, timeout = 60000) {
  const r = spawnSync(cli, args, { encoding: 'utf8', timeout });
  if (r.error) throw r.error;
  return r;
}

// The same, without blocking the test worker (for the long-running bench).
function runAsync(args, timeout = 120000) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cli, args, { timeout });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolvePromise({ status, signal, stdout, stderr }));
  });
}

function writeJson(name, value) {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

// docs/lessons.md, lesson 2: the 2-2-2-2 sigmoid network, one row of incoming weights per neuron.
const lessonModel = JSON.parse(
  readFileSync(new URL('../fixtures/lesson-2222.json', import.meta.url), 'utf8'),
);
const lessonPath = writeJson('lesson.json', lessonModel);

const round2 = (row) => row.map((v) => Number(v.toFixed(2)));

// A failed run: non-zero status, nothing but one "dlplay: error: ..." line on stderr.
function expectError(r, ...fragments) {
  expect(r.status).not.toBe(0);
  expect(r.signal).toBeNull();
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^dlplay: error: \S/);
  for (const f of fragments) expect(lines[0]).toContain(f);
}

test('the binary exists', () => {
  expect(existsSync(cli)).toBe(true);
});

test('eval: the lesson network gives f([1,-1]) = [0.62, 0.83] and f([0,0]) = [0.51, 0.85]', () => {
  const r = run(['eval', lessonPath, '--input', '[[1,-1],[0,0]]']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.outputs).toHaveLength(2);
  expect(round2(out.outputs[0])).toEqual([0.62, 0.83]);
  expect(round2(out.outputs[1])).toEqual([0.51, 0.85]);
  expect(out.layers).toBeUndefined();
});

test('eval --layers: every intermediate value of the lesson network', () => {
  const r = run(['eval', lessonPath, '--input', '[[1,-1],[0,0]]', '--layers']);
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.layers).toHaveLength(2); // one entry per example
  const first = out.layers[0];
  expect(first).toHaveLength(3); // one entry per layer
  expect(round2(first[0])).toEqual([0.98, 0.12]);
  expect(round2(first[1])).toEqual([0.86, 0.11]);
  expect(round2(first[2])).toEqual([0.62, 0.83]);
  expect(round2(out.layers[1][2])).toEqual([0.51, 0.85]);
  // The last layer's values are the outputs.
  expect(out.layers[0][2]).toEqual(out.outputs[0]);
});

test('eval: --input @file.json', () => {
  const input = writeJson('input.json', [[1, -1]]);
  const r = run(['eval', lessonPath, '--input', `@${input}`]);
  expect(r.status).toBe(0);
  expect(round2(JSON.parse(r.stdout).outputs[0])).toEqual([0.62, 0.83]);
});

test('eval: image-shaped input [1, 4, 4] through conv2d, pool, flatten, dense', () => {
  const model = writeJson('cnn.json', {
    format: 'dlplay-model',
    version: 1,
    input: [1, 4, 4],
    seed: 3,
    layers: [
      { type: 'conv2d', filters: 2, kernel: 3, stride: 1, padding: 1, activation: 'relu' },
      { type: 'maxpool2d', size: 2, stride: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 3, activation: 'softmax' },
    ],
  });
  const image = [
    [0, 1, 2, 3],
    [1, 0, 1, 0],
    [2, 2, 0, 1],
    [3, 0, 1, 2],
  ];
  const r = run(['eval', model, '--input', JSON.stringify([[image], [image]]), '--layers']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout);
  expect(out.outputs).toHaveLength(2);
  expect(out.outputs[0]).toHaveLength(3);
  expect(out.outputs[0].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  expect(out.outputs[1]).toEqual(out.outputs[0]);
  expect(out.layers[0].map((l) => l.length)).toEqual([2 * 4 * 4, 2 * 2 * 2, 8, 3]);
});

test('train: inline data, then eval accepts the written model', () => {
  // A linearly separable toy problem: label 1 when x + y > 0.
  const x = [];
  const y = [];
  for (let i = 0; i < 40; i++) {
    const a = Math.sin(i * 1.7) * 3;
    const b = Math.cos(i * 2.3) * 3;
    x.push([a, b]);
    y.push(a + b > 0 ? 1 : 0);
  }
  const spec = writeJson('train.json', {
    input: [2],
    layers: [
      { type: 'dense', units: 4, activation: 'tanh' },
      { type: 'dense', units: 2, activation: 'softmax' },
    ],
    data: { x, y },
    loss: 'cross_entropy',
    optimizer: { type: 'sgd', lr: 0.1 },
    batch: 8,
    steps: 50,
    seed: 7,
  });
  const outPath = join(dir, 'trained.json');
  const r = run(['train', spec, '--out', outPath]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines.length).toBeGreaterThanOrEqual(2);
  expect(lines.length).toBeLessThanOrEqual(12);
  expect(lines.at(-1).step).toBe(50);
  expect(Number.isFinite(lines.at(-1).train_loss)).toBe(true);
  for (const line of lines) expect(line.gradient_rms).toBeGreaterThan(0);

  const model = JSON.parse(readFileSync(outPath, 'utf8'));
  expect(model.format).toBe('dlplay-model');
  expect(model.layers[0].weights).toHaveLength(4);
  expect(model.layers[0].weights[0]).toHaveLength(2);

  const e = run(['eval', outPath, '--input', '[[2,2],[-2,-2]]']);
  expect(e.status).toBe(0);
  const out = JSON.parse(e.stdout).outputs;
  expect(out).toHaveLength(2);
  expect(out[0][0] + out[0][1]).toBeCloseTo(1, 5);
});

test('train: a built-in data set for a number of epochs, log_every respected', () => {
  const spec = writeJson('circle.json', {
    input: [2],
    layers: [
      { type: 'dense', units: 4, activation: 'tanh' },
      { type: 'dense', units: 2, activation: 'softmax' },
    ],
    data: { name: 'circle', n: 100, noise: 0 },
    loss: 'cross_entropy',
    batch: 10,
    epochs: 3,
    log_every: 10,
    seed: 1,
  });
  const r = run(['train', spec]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const steps = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l).step);
  expect(steps).toEqual([10, 20, 30]);
});

test('bench --quick prints the workloads as JSON', async () => {
  const r = await runAsync(['bench', '--quick']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout);
  const names = out.workloads.map((w) => w.name);
  expect(names).toEqual(
    expect.arrayContaining(['gemm_64', 'gemm_512', 'w1_mlp_2_8_8_1', 'w2_mlp_784_128_64_10', 'w3_cnn_mnist']),
  );
  for (const w of out.workloads) {
    expect(w.median).toBeGreaterThan(0);
    expect(w.min).toBeLessThanOrEqual(w.median);
    expect(w.max).toBeGreaterThanOrEqual(w.median);
    expect(w.runs).toBeGreaterThanOrEqual(5);
    expect(typeof w.unit).toBe('string');
  }
}, 120000);

test('error: a missing model file', () => {
  expectError(run(['eval', join(dir, 'nope.json'), '--input', '[[0,0]]']), 'nope.json');
});

test('error: a missing spec file', () => {
  expectError(run(['train', join(dir, 'nope-spec.json')]), 'nope-spec.json');
});

test('error: invalid JSON in the model file', () => {
  const bad = writeJson('bad.json', '{"input": [2], "layers": [');
  expectError(run(['eval', bad, '--input', '[[0,0]]']), 'bad.json', 'invalid JSON');
});

test('error: invalid JSON in --input', () => {
  expectError(run(['eval', lessonPath, '--input', '[[1,-1],']), '--input', 'invalid JSON');
});

test('error: an unknown layer type', () => {
  const bad = writeJson('conv3d.json', { ...lessonModel, layers: [{ type: 'conv3d', filters: 2 }] });
  expectError(run(['eval', bad, '--input', '[[0,0]]']), 'conv3d');
});

test('error: weights of the wrong shape', () => {
  const layers = structuredClone(lessonModel.layers);
  layers[1].weights = [
    [2, -1, 5],
    [-2, -1, 5],
  ];
  const bad = writeJson('badweights.json', { ...lessonModel, layers });
  expectError(run(['eval', bad, '--input', '[[0,0]]']), 'layers[1]', 'weights');
});

test('error: --input of the wrong shape names the example', () => {
  expectError(run(['eval', lessonPath, '--input', '[[1,-1],[1,2,3]]']), 'example 1 has 3 values', '[2]');
  expectError(run(['eval', lessonPath, '--input', '[[1,-1],["a",2]]']), 'example 1');
  expectError(run(['eval', lessonPath, '--input', '{"x": 1}']), '--input');
});

test('error: an unknown data set in a spec', () => {
  const spec = writeJson('foo.json', {
    input: [2],
    layers: [{ type: 'dense', units: 1 }],
    data: { name: 'foo' },
    steps: 1,
  });
  expectError(run(['train', spec]), 'data.name', 'foo');
});

test('error: usage mistakes', () => {
  expectError(run([]));
  expectError(run(['frobnicate']));
  expectError(run(['eval', lessonPath])); // --input is required
  expectError(run(['eval', lessonPath, '--input', '[[0,0]]', '--bogus']));
});

test('--help succeeds', () => {
  const r = run(['--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('eval');
  expect(r.stdout).toContain('train');
});

// ---------------------------------------------------------------------------------------------
// export --pytorch: the script always compiles; where PyTorch is installed it also runs, and gives
// the engine's outputs.

const python = (exe, args, input) => spawnSync(exe, args, { encoding: 'utf8', timeout: 120000, input });
// The first python with PyTorch (Debian's python3-torch is for /usr/bin/python3), or null.
const torchPython =
  ['python3', '/usr/bin/python3'].find((exe) => python(exe, ['-c', 'import torch']).status === 0) ?? null;

const featureSpec = {
  input: [4],
  features: ['x1', 'x2', 'x2sq', 'sinx1'],
  layers: [
    { type: 'dense', units: 6, activation: 'leaky_relu', alpha: 0.05 },
    { type: 'dense', units: 3, activation: 'softmax' },
  ],
  data: { name: 'spiral', n: 60, classes: 3 },
  loss: 'cross_entropy',
  seed: 9,
};
// Images 2×6×6 through every kind of layer; trained a little by the CLI before export.
const images = Array.from({ length: 12 }, (_, i) =>
  [0, 1].map((c) =>
    Array.from({ length: 6 }, (_, r) =>
      Array.from({ length: 6 }, (_, k) => ((i * 7 + c * 5 + r * 3 + k) % 9) / 8 - 0.5),
    ),
  ),
);
const cnnSpec = {
  input: [2, 6, 6],
  layers: [
    { type: 'conv2d', filters: 3, kernel: 3, padding: 1, activation: 'relu' },
    { type: 'maxpool2d', size: 2 },
    { type: 'conv2d', filters: 4, kernel: 2, stride: 1, activation: 'tanh' },
    { type: 'avgpool2d', size: 2 },
    { type: 'dropout', rate: 0.2 },
    { type: 'dense', units: 5, activation: 'sigmoid' },
    { type: 'leaky_relu', alpha: 0.3 },
    { type: 'dense', units: 2, activation: 'softmax' },
  ],
  data: { x: images, y: images.map((_, i) => i % 2) },
  loss: 'cross_entropy',
  optimizer: { type: 'adam', lr: 0.01 },
  batch: 4,
  steps: 20,
  seed: 4,
};

test('export --pytorch: a script that python3 -m py_compile accepts, to a file or stdout', () => {
  const spec = writeJson('export-spec.json', featureSpec);
  const out = join(dir, 'exported.py');
  const r = run(['export', '--pytorch', spec, '-o', out]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toBe('');
  const script = readFileSync(out, 'utf8');
  expect(script).toContain('model = nn.Sequential(\n    nn.Linear(4, 6),');
  expect(script).toContain('def features(points):');
  expect(run(['export', '--pytorch', spec]).stdout).toBe(script);
  const compiled = python('python3', ['-m', 'py_compile', out]);
  expect(compiled.stderr).toBe('');
  expect(compiled.status).toBe(0);

  const trained = join(dir, 'export-cnn-model.json');
  expect(run(['train', writeJson('export-cnn.json', cnnSpec), '--out', trained]).status).toBe(0);
  const cnnOut = join(dir, 'exported-cnn.py');
  expect(run(['export', '--pytorch', trained, '--out', cnnOut]).status).toBe(0);
  expect(python('python3', ['-m', 'py_compile', cnnOut]).status).toBe(0);
});

test('error: export without a format, or to a folder that does not exist', () => {
  const spec = writeJson('export-spec2.json', featureSpec);
  const r = run(['export', spec]);
  expectError(r, '--pytorch');
  expect(r.status).toBe(2);
  expectError(
    run(['export', '--pytorch', spec, '-o', join(dir, 'no', 'x.py')]),
    '--out: cannot write',
    'no directory',
  );
  expectError(run(['export', '--pytorch', join(dir, 'nope.json')]), 'nope.json');
});

test.skipIf(!torchPython)(
  'export --pytorch: PyTorch runs the script and gives the engine outputs',
  () => {
    const compare = (modelPath, inputs, transform) => {
      const script = join(dir, `${transform ? 'points' : 'raw'}-${inputs.length}.py`);
      expect(run(['export', '--pytorch', modelPath, '-o', script]).status).toBe(0);
      const ours = JSON.parse(run(['eval', modelPath, '--input', JSON.stringify(inputs)]).stdout).outputs;
      const code = [
        'import json, runpy, sys, torch',
        'ns = runpy.run_path(sys.argv[1])',
        'x = torch.tensor(json.load(sys.stdin), dtype=torch.float32)',
        transform ? 'x = ns["features"](x)' : '',
        'with torch.no_grad():',
        '    print(json.dumps(ns["model"](x).tolist()))',
      ].join('\n');
      const r = python(torchPython, ['-c', code, script], JSON.stringify(inputs));
      expect(r.stderr).toBe('');
      const theirs = JSON.parse(r.stdout);
      expect(theirs).toHaveLength(ours.length);
      theirs.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - ours[i][j])).toBeLessThan(1e-5)));
      return script;
    };
    // A training spec with features (its model as eval builds it), its __main__ block included.
    const spec = writeJson('torch-spec.json', featureSpec);
    const script = compare(
      spec,
      [
        [1, -1],
        [0.5, 2],
        [-3, 4.25],
      ],
      true,
    );
    const main = python(torchPython, [script]);
    expect(main.status).toBe(0);
    const first = JSON.parse(run(['eval', spec, '--input', '[[1,-1]]']).stdout).outputs[0];
    JSON.parse(main.stdout)[0].forEach((v, j) => expect(Math.abs(v - first[j])).toBeLessThan(1e-5));
    // A trained CNN with every layer kind, and the lesson network.
    const trained = join(dir, 'torch-cnn-model.json');
    expect(run(['train', writeJson('torch-cnn.json', cnnSpec), '--out', trained]).status).toBe(0);
    compare(trained, images.slice(0, 5), false);
    compare(
      lessonPath,
      [
        [1, -1],
        [0, 0],
      ],
      false,
    );
  },
  120000,
);
