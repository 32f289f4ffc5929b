// Data-parallel training in Node: a Team of 1, 2 or 3 workers (worker_threads helpers) trains a
// session to the same bits as session.train() alone with the same part count, and as the native
// CLI (build/native/dlplay, or $DLPLAY_CLI) on the same spec: the engine plans every step, each
// worker computes some of its parts, the parts are summed in part order.
import { test, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadEngine } from 'dlplay';
import { createTeam } from 'dlplay/team';
import { spawnNodeHelper } from 'dlplay/team-node';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const cli = resolve(root, process.env.DLPLAY_CLI ?? 'build/native/dlplay');

let dl;
const teams = [];
beforeAll(async () => {
  dl = await loadEngine();
}, 30000);
afterAll(() => teams.forEach((t) => t.close()));

// 8×8 images of three classes (a bright row, column or diagonal, with noise); a CNN with dropout.
function images(n, seed) {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const x = new Float32Array(n * 64);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = i % 3;
    const k = Math.floor(rand() * 8);
    for (let p = 0; p < 64; p++) {
      const [r, c] = [Math.floor(p / 8), p % 8];
      const on = y[i] === 0 ? r === k : y[i] === 1 ? c === k : r === c;
      x[i * 64 + p] = (on ? 0.8 : 0) + 0.2 * rand();
    }
  }
  return { x, y };
}

const model = {
  input: [1, 8, 8],
  layers: [
    { type: 'conv2d', filters: 4, kernel: 3, padding: 1, activation: 'relu' },
    { type: 'maxpool2d', size: 2 },
    { type: 'flatten' },
    { type: 'dropout', rate: 0.25 },
    { type: 'dense', units: 3, activation: 'softmax' },
  ],
  loss: 'cross_entropy',
  optimizer: { type: 'adam', lr: 0.01 },
  batch: 10,
  shards: 4,
  seed: 7,
};
const { x, y } = images(60, 3);
const inline = {
  ...model,
  data: {
    x: Array.from({ length: 60 }, (_, i) => Array.from(x.subarray(i * 64, (i + 1) * 64))),
    y: Array.from(y),
  },
  test_ratio: 0.2,
};

async function trainWithTeam(spec, data, workers, steps) {
  const s = dl.session(spec, data);
  const team = await createTeam(s, { workers, spec, data, spawn: spawnNodeHelper });
  teams.push(team);
  expect(team.workers).toBe(workers);
  const m = await team.train(steps);
  // Every step's parts were dealt out, part j to worker j mod workers, the last being this thread:
  // the helpers computed theirs (of 4 parts, 2 with 2 workers, 3 with 3).
  const own = spec.shards >= workers ? Math.floor((spec.shards - workers) / workers) + 1 : 0;
  expect(team.helperParts).toBe(spec.shards > 1 && workers > 1 ? steps * (spec.shards - own) : 0);
  team.close();
  return { s, m };
}

test('1, 2 and 3 workers train to the bits of session.train() alone (typed-array data)', async () => {
  const alone = dl.session(model, { x, y, testRatio: 0.2 });
  const expected = alone.train(25, { evaluate: false });
  const weights = alone.parameterVector();
  for (const workers of [1, 2, 3]) {
    const { s, m } = await trainWithTeam(model, { x, y, testRatio: 0.2 }, workers, 25);
    expect(m.loss).toBe(expected.loss);
    expect(m.step).toBe(25);
    expect(s.parameterVector()).toEqual(weights);
    expect(s.train(0).trainLoss).toBe(alone.train(0).trainLoss);
  }
}, 60000);

test("a team's training equals the native CLI's on the same spec", async () => {
  const spec = { ...inline, steps: 20, log_every: 20 };
  const dir = mkdtempSync(join(tmpdir(), 'dlplay-team-'));
  writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
  const r = spawnSync(cli, ['train', join(dir, 'spec.json'), '--out', join(dir, 'model.json')], {
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  const line = JSON.parse(r.stdout.trim().split('\n').pop());
  const { s } = await trainWithTeam(inline, undefined, 2, 20);
  expect(s.train(0).trainLoss).toBe(line.train_loss);
  const native = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  s.toJSON().layers.forEach((l, i) => {
    expect(l.weights ?? null).toEqual(native.layers[i].weights ?? null);
    expect(l.bias ?? null).toEqual(native.layers[i].bias ?? null);
  });
}, 60000);

test('the part count decides the result; with one part the team is the plain step', async () => {
  const one = { ...model, shards: 1 };
  const alone = dl.session(one, { x, y });
  alone.train(15, { evaluate: false });
  const { s } = await trainWithTeam(one, { x, y }, 3, 15);
  expect(s.parameterVector()).toEqual(alone.parameterVector());
  const other = dl.session({ ...model, shards: 3 }, { x, y });
  other.train(15, { evaluate: false });
  expect(other.parameterVector()).not.toEqual(alone.parameterVector());
}, 60000);

test('bad input: a clear message, nothing trained', async () => {
  const s = dl.session(model, { x, y });
  await expect(createTeam(s, { workers: 0, spec: model })).rejects.toThrow(
    'team: workers must be a whole number from 1 to 64, got 0',
  );
  // A helper whose replica is another model.
  const other = {
    ...model,
    layers: model.layers.map((l) => (l.type === 'conv2d' ? { ...l, filters: 5 } : l)),
  };
  await expect(
    createTeam(s, { workers: 2, spec: other, data: { x, y }, spawn: spawnNodeHelper }),
  ).rejects.toThrow(/a helper's model has \d+ parameters, this one \d+/);
  await expect(createTeam(s, { workers: 2, spec: { input: [2] }, spawn: spawnNodeHelper })).rejects.toThrow(
    'layers: missing',
  );
  expect(() => s.shardGradient({ batch: new Uint32Array([999]), shards: 1, rngs: [] }, 0)).toThrow(
    'plan.batch: example 999 is not in the data',
  );
  expect(() => s.applyShards(s.planStep(), new Float32Array(3), [0, 0, 0, 0])).toThrow(
    /gradients: expected \d+ values \(4 parts of \d+\), got 3/,
  );
  expect(() => s.setParameterVector(new Float32Array(2))).toThrow(/parameters: expected \d+ values, got 2/);
  for (const plan of [null, {}, { batch: [1], shards: 2, rngs: [null] }])
    expect(() => s.shardGradient(plan, 0)).toThrow('plan: expected a step plan from planStep()');
  expect(() => s.shardGradient({ batch: [1], shards: 1, rngs: [{ state: 'zz' }] }, 0)).toThrow(
    'plan.rngs[0].state: expected 16 hexadecimal digits',
  );
  expect(() => s.shardGradient({ batch: [1], shards: 0, rngs: [] }, 0)).toThrow(
    'plan.shards: expected a whole number from 1 to 64',
  );
  expect(s.train(0).step).toBe(0);
}, 60000);
