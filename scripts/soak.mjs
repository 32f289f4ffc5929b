// A long training run in Node through the engine's JavaScript API: the wasm heap must stay flat.
//   node scripts/soak.mjs [--steps N] [--chunk N] [--every N]
// Trains a small MLP (2 features → 8 → 8 → 1, tanh, on the spiral, batch 10) for N steps (default
// 10⁶) with session.train(chunk) (default 1,000 steps a call), and after each call does what a page
// does for a frame: the heatmap of every layer (grid), the weights of every layer and a prediction.
// Every `every` steps (default 10⁵) it samples the wasm memory (dlplay/testing's memory(): the
// heap's size and malloc's bytes in use) and the process's (RSS, V8 heap used after a GC when
// node runs with --expose-gc). Prints a line per sample and a JSON summary; exits 1 if the wasm heap
// or malloc's bytes in use grew after the first sample (docs/robustness.md).
import { loadEngine } from 'dlplay';
import { testHooks } from 'dlplay/testing';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const steps = option('--steps', 1_000_000);
const chunk = option('--chunk', 1000);
const every = option('--every', 100_000);
if (!(steps > 0 && chunk > 0 && every >= chunk && every % chunk === 0))
  throw new Error('--steps, --chunk and --every must be positive, --every a multiple of --chunk');

const dl = await loadEngine();
const hooks = testHooks(dl);
const session = dl.session({
  input: [2],
  layers: [
    { type: 'dense', units: 8, activation: 'tanh' },
    { type: 'dense', units: 8, activation: 'tanh' },
    { type: 'dense', units: 1, activation: 'tanh' },
  ],
  data: { name: 'spiral', n: 500, noise: 0.1, test_ratio: 0.5 },
  optimizer: { type: 'sgd', lr: 0.03 },
  batch: 10,
  seed: 1,
});
const layers = session.layers().length;

const mb = (b) => (b / 2 ** 20).toFixed(2);
const samples = [];
function sample(step, metrics) {
  globalThis.gc?.();
  const { heapSize, allocated } = hooks.memory();
  const { rss, heapUsed } = process.memoryUsage();
  const s = { step, heapSize, allocated, rss, heapUsed, trainLoss: metrics?.trainLoss ?? null };
  samples.push(s);
  console.log(
    `step ${String(step).padStart(8)}: wasm heap ${mb(heapSize)} MB, malloc in use ${allocated} bytes, ` +
      `RSS ${mb(rss)} MB, V8 heap ${mb(heapUsed)} MB${s.trainLoss === null ? '' : `, training loss ${s.trainLoss.toFixed(4)}`}`,
  );
}

sample(0, null);
const t0 = performance.now();
let metrics;
for (let done = 0; done < steps;) {
  const n = Math.min(chunk, steps - done);
  metrics = session.train(n);
  done += n;
  for (let i = -1; i < layers; i++) session.grid(i, [-6, 6], [6, -6], 25);
  for (let i = 0; i < layers; i++) session.weights(i);
  session.predict([[0.5, -0.5]]);
  if (done % every === 0 || done === steps) sample(done, metrics);
}
const seconds = (performance.now() - t0) / 1000;
session.dispose();
sample(steps, metrics);

const first = samples[1] ?? samples[0]; // after the first chunk: the session's buffers exist
const last = samples.at(-2); // before dispose
const summary = {
  steps,
  seconds: +seconds.toFixed(1),
  stepsPerSecond: Math.round(steps / seconds),
  wasmHeapStartMB: +mb(samples[0].heapSize),
  wasmHeapEndMB: +mb(last.heapSize),
  wasmHeapMaxMB: +mb(Math.max(...samples.map((s) => s.heapSize))),
  wasmHeapGrowthBytes: last.heapSize - first.heapSize,
  mallocFirstBytes: first.allocated,
  mallocEndBytes: last.allocated,
  mallocMaxBytes: Math.max(...samples.slice(1, -1).map((s) => s.allocated)),
  mallocGrowthBytes: last.allocated - first.allocated,
  mallocAfterDisposeBytes: samples.at(-1).allocated,
  mallocBeforeTrainingBytes: samples[0].allocated,
  rssStartMB: +mb(samples[0].rss),
  rssEndMB: +mb(last.rss),
  rssMaxMB: +mb(Math.max(...samples.map((s) => s.rss))),
  finalTrainLoss: metrics.trainLoss,
};
console.log(JSON.stringify(summary));
process.exit(summary.wasmHeapGrowthBytes > 0 || summary.mallocGrowthBytes > 0 ? 1 : 0);
