// Sequence models through the JavaScript API (wasm/dlplay.js) in Node: recurrent layers, the text
// and parity sets, perplexity, encoding and sampling, recurrent weights in and out; and the same
// numbers as the native CLI (build/native/dlplay, or $DLPLAY_CLI) for the same spec and seed.
import { test, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from 'dlplay';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = resolve(root, process.env.DLPLAY_CLI ?? 'build/native/dlplay');

let dl;
beforeAll(async () => {
  dl = await loadEngine();
}, 30000);

const text = 'the cat sat on the mat. the dog sat on the log. ';

function charSpec(cell, steps = 10) {
  const v = dl.textVocabulary(text).length;
  return {
    input: [steps],
    layers: [
      { type: 'embedding', vocab: v, units: 8 },
      { type: cell, units: 24, return_sequences: true },
      { type: 'dense', units: v, activation: 'softmax' },
    ],
    data: { name: 'text', text: text.repeat(4), length: steps, stride: 3 },
    loss: 'cross_entropy',
    optimizer: { type: 'adam', lr: 0.02, clip_norm: 5 },
    batch: 8,
    seed: 5,
  };
}

test('textVocabulary: the distinct characters in code point order, any script', () => {
  expect(dl.textVocabulary('banana')).toEqual(['a', 'b', 'n']);
  expect(dl.textVocabulary('床前明月光，疑是地上霜。')).toEqual([...'。上前地床明是月光疑霜，'].sort());
  expect(() => dl.textVocabulary(42)).toThrow(/expected a string/);
});

test('a character model trains: loss and perplexity fall, samples come from the vocabulary', () => {
  const s = dl.session(charSpec('lstm'));
  const info = s.info();
  expect(info.vocabulary).toEqual(dl.textVocabulary(text));
  expect(info.steps).toBe(10);
  expect(s.outputShape).toEqual([10, info.vocabulary.length]);
  const first = s.train(0);
  expect(first.trainPerplexity).toBeCloseTo(Math.exp(first.trainLoss), 4);
  const after = s.train(200);
  expect(after.trainLoss).toBeLessThan(first.trainLoss * 0.5);
  expect(after.trainPerplexity).toBeLessThan(first.trainPerplexity / 4);
  const sample = s.sample({ prefix: 'the ', length: 30, temperature: 0.8, seed: 3 });
  expect([...sample.text]).toHaveLength(30);
  expect(sample.ids.map((id) => info.vocabulary[id]).join('')).toBe(sample.text);
  expect(s.sample({ prefix: 'the ', length: 30, temperature: 0.8, seed: 3 })).toEqual(sample);
  expect(s.sample({ prefix: 'the c', length: 4, temperature: 0 }).text).toBe('at s');
  // Next-character probabilities at every step, and the hidden states over time.
  const ids = s.encode('the cat sa');
  const probs = s.predict([ids])[0];
  expect(probs).toHaveLength(10 * info.vocabulary.length);
  const last = probs.slice(9 * info.vocabulary.length);
  expect(last.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  expect(info.vocabulary[last.indexOf(Math.max(...last))]).toBe('t');
  expect(s.activations(1, [ids])[0]).toHaveLength(10 * 24);
  expect(() => s.encode('the fox')).toThrow(/the character 'f' is not in the vocabulary/);
  expect(() => s.sample({ prefix: 'the', temperature: -1 })).toThrow(/temperature/);
});

test('recurrent weights go out and back in as PyTorch lays them out', () => {
  for (const [cell, gates] of [
    ['rnn', 1],
    ['lstm', 4],
    ['gru', 3],
  ]) {
    const s = dl.session(charSpec(cell));
    const w = s.weights(1);
    expect(w.shape).toEqual([gates * 24, 8]);
    expect(w.recurrentWeightsShape).toEqual([gates * 24, 24]);
    expect(w.biasShape).toEqual([gates * 24]);
    expect(w.recurrentBias !== undefined).toBe(cell === 'gru');
    const zeros = new Float32Array(w.recurrentWeights.length);
    s.setWeights(1, { recurrentWeights: zeros });
    expect(s.weights(1).recurrentWeights).toEqual(zeros);
    expect(s.weights(1).weights).toEqual(w.weights);
    expect(() => s.setWeights(1, { recurrentWeights: [1, 2] })).toThrow(
      /layers\[1\]\.recurrent_weights: expected/,
    );
    const saved = s.toJSON();
    expect(saved.layers[1].recurrent_weights).toHaveLength(gates * 24);
  }
});

test('the parity toy: an LSTM remembers the bits seen so far', () => {
  const s = dl.session({
    input: [6, 1],
    layers: [
      { type: 'lstm', units: 12, return_sequences: true },
      { type: 'dense', units: 2, activation: 'softmax' },
    ],
    data: { name: 'parity', n: 256, length: 6 },
    loss: 'cross_entropy',
    optimizer: { type: 'adam', lr: 0.02 },
    batch: 32,
    seed: 2,
  });
  expect(s.train(0).trainAccuracy).toBeLessThan(0.75);
  expect(s.train(800).trainAccuracy).toBeGreaterThan(0.97);
});

test("the same spec and seed give the native CLI's numbers", () => {
  const spec = { ...charSpec('gru'), steps: 30, log_every: 10 };
  const dir = mkdtempSync(join(tmpdir(), 'dlplay-seq-'));
  const path = join(dir, 'spec.json');
  writeFileSync(path, JSON.stringify(spec));
  const r = spawnSync(cli, ['train', path, '--out', join(dir, 'model.json')], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const s = dl.session(spec);
  for (const line of lines) {
    const m = s.train(line.step - s.train(0).step);
    expect(m.trainLoss).toBe(line.train_loss);
  }
  const native = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  expect(s.toJSON().layers[1].recurrent_weights).toEqual(native.layers[1].recurrent_weights);
  // dlplay sample on the saved model writes what the page's sample() writes.
  const sampled = spawnSync(
    cli,
    [
      'sample',
      join(dir, 'model.json'),
      '--prefix',
      'the ',
      '--length',
      '40',
      '--temperature',
      '0.8',
      '--seed',
      '3',
    ],
    { encoding: 'utf8' },
  );
  expect(sampled.status, sampled.stderr).toBe(0);
  expect(JSON.parse(sampled.stdout)).toEqual(
    s.sample({ prefix: 'the ', length: 40, temperature: 0.8, seed: 3 }),
  );
  const unknown = spawnSync(cli, ['sample', join(dir, 'model.json'), '--prefix', 'xyz'], {
    encoding: 'utf8',
  });
  expect(unknown.status).toBe(1);
  expect(unknown.stderr).toContain("text: the character 'x' is not in the vocabulary");
  // The saved character model as a PyTorch script that Python compiles.
  const script = join(dir, 'model.py');
  const out = spawnSync(cli, ['export', '--pytorch', join(dir, 'model.json'), '-o', script], {
    encoding: 'utf8',
  });
  expect(out.status, out.stderr).toBe(0);
  expect(readFileSync(script, 'utf8')).toContain(
    'Recurrent(nn.GRU(8, 24, batch_first=True), sequences=True)',
  );
  const compiled = spawnSync('python3', ['-m', 'py_compile', script], { encoding: 'utf8' });
  expect(compiled.status, compiled.stderr).toBe(0);
});

const torchPython =
  ['python3', '/usr/bin/python3'].find(
    (exe) => spawnSync(exe, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0,
  ) ?? null;

// The exported script's model on the same inputs, in PyTorch.
function torchOutputs(script, inputs) {
  const dir = mkdtempSync(join(tmpdir(), 'dlplay-torch-'));
  const path = join(dir, 'model.py');
  writeFileSync(path, script);
  const code = `import json, runpy, sys, torch
model = runpy.run_path(sys.argv[1])['model']
x = torch.tensor(json.load(sys.stdin), dtype=torch.float32)
with torch.no_grad():
    print(json.dumps(model(x).tolist()))`;
  const r = spawnSync(torchPython, ['-c', code, path], { input: JSON.stringify(inputs), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout).map((row) => row.flat(Infinity));
}

test.skipIf(!torchPython)(
  'PyTorch runs the exported recurrent models and gives the engine outputs',
  () => {
    for (const cell of ['rnn', 'lstm', 'gru']) {
      // A trained character model: embedding, two stacked cells, a softmax at every step.
      const spec = charSpec(cell);
      spec.layers.splice(2, 0, { type: cell, units: 6, return_sequences: true });
      const s = dl.session(spec);
      s.train(30);
      const ids = [s.encode('the cat sa'), s.encode('on the mat')];
      const theirs = torchOutputs(s.toPyTorch(), ids);
      s.predict(ids).forEach((row, i) =>
        row.forEach((v, j) => expect(Math.abs(v - theirs[i][j])).toBeLessThan(1e-5)),
      );
      // The last state only, on real-valued sequences, into a dense layer.
      const m = dl.session({
        input: [5, 3],
        seed: 4,
        layers: [
          { type: cell, units: 4, ...(cell === 'rnn' && { activation: 'relu' }) },
          { type: 'dense', units: 2, activation: 'tanh' },
        ],
      });
      const x = [0, 1].map((e) =>
        Array.from({ length: 5 }, (_, t) => [0, 1, 2].map((f) => Math.sin(e * 7 + t * 3 + f))),
      );
      const out = torchOutputs(m.toPyTorch(), x);
      m.predict(x).forEach((row, i) =>
        row.forEach((v, j) => expect(Math.abs(v - out[i][j])).toBeLessThan(1e-5)),
      );
    }
  },
  120_000,
); // six PyTorch start-ups
