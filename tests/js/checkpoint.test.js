// Session#checkpoint() and Session#restore() on the WebAssembly engine: a checkpoint survives
// structuredClone, and a fresh session restored from it trains on to the last bit as the native
// CLI trains the same spec straight through (and as an uninterrupted wasm session does). Needs
// `npm run build` (build/wasm) and the native CLI (build/native/dlplay, or $DLPLAY_CLI).
import { test, expect, beforeAll, describe } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from 'dlplay';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = resolve(root, process.env.DLPLAY_CLI ?? 'build/native/dlplay');
const dir = mkdtempSync(join(tmpdir(), 'dlplay-checkpoint-'));

let dl;
beforeAll(async () => {
  dl = await loadEngine();
}, 30000);

// tests/native/test_checkpoint.cpp's circle with dropout and Adam: 160 examples to train on in
// batches of 7, so step 137 is in the middle of an epoch.
const spec = {
  input: [2],
  layers: [
    { type: 'dense', units: 8, activation: 'tanh' },
    { type: 'dropout', rate: 0.3 },
    { type: 'dense', units: 6, activation: 'relu' },
    { type: 'dense', units: 1, activation: 'tanh' },
  ],
  data: { name: 'circle', n: 200, noise: 0.1 },
  test_ratio: 0.2,
  optimizer: { type: 'adam', lr: 0.01 },
  batch: 7,
  seed: 3,
};

const flat = (v) => (Array.isArray(v) ? v.flat(Infinity) : [v]);
const bits = (f32) => new Uint32Array(f32.buffer, f32.byteOffset, f32.length);

// The native CLI trained `steps` steps straight: its per-step metrics and its final model.
function nativeTrain(name, steps) {
  const specPath = join(dir, `${name}.json`);
  const outPath = join(dir, `${name}.model.json`);
  writeFileSync(specPath, JSON.stringify({ ...spec, steps, log_every: 1 }));
  const r = spawnSync(cli, ['train', specPath, '--out', outPath], { encoding: 'utf8', timeout: 60000 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`native CLI failed (${r.status}): ${r.stderr}`);
  const lines = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return { lines, model: JSON.parse(readFileSync(outPath, 'utf8')) };
}

// 137 steps, then a checkpoint through structuredClone (as IndexedDB and postMessage store it).
function checkpointAt137() {
  const s = dl.session(spec);
  s.train(137, { evaluate: false });
  const c = structuredClone(s.checkpoint());
  s.dispose();
  return c;
}

describe('checkpoint and restore', () => {
  test('the shape: plain data that structuredClone keeps as it is', () => {
    const s = dl.session(spec);
    s.train(137, { evaluate: false });
    const c = s.checkpoint();
    expect(c.format).toBe('dlplay-checkpoint');
    expect(c.version).toBe(1);
    expect(c.layers.map((l) => l.type)).toEqual(['dense', 'dropout', 'dense', 'dense']);
    expect(c.layers[0].params.map((p) => [p.name, p.shape])).toEqual([
      ['weights', [8, 2]],
      ['bias', [8]],
    ]);
    for (const key of ['value', 'gradient', 'm', 'v']) {
      expect(c.layers[0].params[0][key]).toBeInstanceOf(Float32Array);
      expect(c.layers[0].params[0][key]).toHaveLength(16);
    }
    expect(c.layers[1].params).toEqual([]);
    expect(c.layers[1].rng.state).toHaveLength(2);
    expect(c.layers[0].rng).toBeNull();
    expect(c).toMatchObject({
      features: [],
      loss: 'mse',
      classes: 2,
      trainSize: 160,
      testSize: 40,
      seed: 3,
      optimizerSteps: 137,
      step: 137,
      examples: 137 * 7,
      cursor: (137 % 22) * 7,
      diverged: false,
    });
    expect(c.dataHash).toMatch(/^[0-9a-f]{16}$/);
    expect(c.order).toBeInstanceOf(Uint32Array);
    expect(c.order).toHaveLength(160);
    expect(c.hyperparameters.optimizer.type).toBe('adam');
    expect(c.hyperparameters.batch).toBe(7);
    expect(c.layers[0].params[0].value).toEqual(s.weights(0).weights);
    expect(c.layers[0].params[0].gradient).toEqual(s.gradients(0).weights);

    const clone = structuredClone(c);
    expect(clone).toEqual(c);
    expect(clone.layers[2].params[0].m).toBeInstanceOf(Float32Array);
    expect(clone.order).toBeInstanceOf(Uint32Array);
    s.dispose();
  });

  test('a restored session trains its next 200 steps as the native CLI trains 337 straight', () => {
    if (!existsSync(cli)) return expect.fail(`the native CLI is missing (${cli})`);
    const { lines, model } = nativeTrain('circle-337', 337);
    expect(lines).toHaveLength(337);
    const r = dl.session(spec);
    r.restore(checkpointAt137());
    const m = r.train(0);
    expect(m.step).toBe(137);
    expect(m.trainLoss).toBe(lines[136].train_loss);
    expect(m.gradientRms).toBe(lines[136].gradient_rms);
    for (let i = 137; i < 337; ++i) {
      const step = r.train(1);
      expect(step.step).toBe(lines[i].step);
      expect(step.trainLoss).toBe(lines[i].train_loss);
      expect(step.testLoss).toBe(lines[i].test_loss);
    }
    model.layers.forEach((layer, i) => {
      if (layer.weights === undefined) return;
      const w = r.weights(i);
      expect(w.weights).toEqual(Float32Array.from(flat(layer.weights)));
      expect(w.bias).toEqual(Float32Array.from(flat(layer.bias)));
    });
    r.dispose();
  });

  test('every batch loss after restoring is the uninterrupted session’s, and so is the end state', () => {
    const straight = dl.session(spec);
    straight.train(137, { evaluate: false });
    const r = dl.session(spec);
    r.restore(checkpointAt137());
    for (let i = 0; i < 200; ++i)
      expect(r.train(1, { evaluate: false }).loss).toBe(straight.train(1, { evaluate: false }).loss);
    expect(r.checkpoint()).toEqual(straight.checkpoint());
    expect(r.hyperparameters()).toEqual(straight.hyperparameters());
    straight.dispose();
    r.dispose();
  });

  test('hyper-parameters set while training and NaN weights come back bit for bit', () => {
    const s = dl.session(spec);
    s.train(20);
    s.set({ lr: 0.003, batch: 11, optimizer: 'rmsprop' });
    s.train(5);
    const w = s.weights(3);
    w.bias[0] = NaN;
    s.setWeights(3, { bias: w.bias });
    s.train(1);
    const c = structuredClone(s.checkpoint());
    const r = dl.session(spec);
    r.restore(c);
    expect(r.hyperparameters()).toEqual(s.hyperparameters());
    expect(r.train(0, { evaluate: false }).diverged).toBe(true);
    for (let i = 0; i < 4; ++i) {
      expect(bits(r.weights(i).weights)).toEqual(bits(s.weights(i).weights));
      expect(bits(r.weights(i).bias)).toEqual(bits(s.weights(i).bias));
    }
    s.dispose();
    r.dispose();
  });

  test('a checkpoint that does not fit is refused with the field named, and changes nothing', () => {
    const c = checkpointAt137();
    const s = dl.session(spec);
    s.train(3, { evaluate: false });
    const before = s.checkpoint();
    const refused = (spoil) => {
      const bad = structuredClone(c);
      spoil(bad);
      let message = '(accepted)';
      try {
        s.restore(bad);
      } catch (e) {
        message = e.message;
      }
      expect(s.checkpoint()).toEqual(before);
      return message;
    };
    expect(
      refused((b) => {
        b.layers[0].params[0].value = b.layers[0].params[0].value.subarray(1);
      }),
    ).toBe('checkpoint.layers[0].params[0].value: expected 16 values (shape [8, 2]), got 15');
    expect(
      refused((b) => {
        b.layers[2].outputShape = [5];
      }),
    ).toBe(
      "checkpoint.layers[2].outputShape: [5], but this model's layer 2 outputs [6] (a checkpoint of another model)",
    );
    expect(
      refused((b) => {
        b.order = b.order.subarray(2);
      }),
    ).toBe('checkpoint.order: 158 indices, but the training split has 160 examples');
    expect(
      refused((b) => {
        delete b.rng;
      }),
    ).toBe('checkpoint.rng: missing');
    expect(
      refused((b) => {
        b.hyperparameters.optimizer.type = 'lbfgs';
      }),
    ).toBe("checkpoint.hyperparameters.optimizer.type: unknown value 'lbfgs'");
    expect(
      refused((b) => {
        b.step = -1;
      }),
    ).toBe('checkpoint.step: expected a whole number from 0 to 4294967295');
    expect(
      refused((b) => {
        b.dataHash = 'nope';
      }),
    ).toBe('checkpoint.dataHash: expected 16 hexadecimal digits (0-9, a-f), got "nope"');
    // Through JSON the typed arrays are gone: refused, not misread.
    expect(refused((b) => Object.assign(b, JSON.parse(JSON.stringify(b))))).toBe(
      'checkpoint.layers[0].params[0].value: expected a Float32Array',
    );
    expect(refused((b) => (b.format = 'dlplay-model'))).toBe(
      'checkpoint.format: expected "dlplay-checkpoint" (an object from checkpoint())',
    );
    expect(() => s.restore(null)).toThrow(TypeError);

    // Another model; the same model on other data.
    const other = dl.session({ ...spec, layers: [spec.layers[0], spec.layers[3]] });
    expect(() => other.restore(c)).toThrow(
      'checkpoint.layers: 4 layers, but this model has 2 (a checkpoint of another model)',
    );
    const noisier = dl.session({ ...spec, data: { ...spec.data, noise: 0.2 } });
    expect(() => noisier.restore(c)).toThrow(
      /^checkpoint\.dataHash: [0-9a-f]{16}, but this session's data is/,
    );
    const model = dl.session(s.toJSON());
    expect(() => model.checkpoint()).toThrow('this session has no training data');
    for (const x of [other, noisier, model, s]) x.dispose();
  });
});
