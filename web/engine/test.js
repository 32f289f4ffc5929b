// The browser check behind tests/browser/engine.test.mjs: builds two sessions in one worker,
// trains one flat out, steps the other, and reports on window.__result.
import { EngineClient, connect } from './client.js';

const logEl = document.getElementById('log');
const log = (text) => {
  logEl.textContent += text + '\n';
};

const spec = (seed) => ({
  input: [2],
  layers: [
    { type: 'dense', units: 8, activation: 'tanh' },
    { type: 'dense', units: 1, activation: 'tanh' },
  ],
  data: { name: 'circle', n: 300, noise: 0.1, test_ratio: 0.3 },
  optimizer: { type: 'sgd', lr: 0.03 },
  batch: 10,
  seed,
});

async function run() {
  const simdProbe = new Uint8Array([
    0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98,
    11,
  ]);
  log(`WebAssembly SIMD: ${WebAssembly.validate(simdProbe)}`);
  const engine = new EngineClient({ onError: (e) => log(`error: ${e.message}`) });
  const { simd } = await engine.ready;
  log(`engine loaded in the worker, arch ${simd}`);

  const a = await engine.build(spec(1), { grid: { n: 16, outN: 40, extent: 6 }, params: true });
  const b = await engine.build(spec(2));
  log(`built ${a.id} (${a.info.params} parameters, ${a.data.x.length / 2} points) and ${b.id}`);

  // Frames: at most one message per animation frame, while the worker trains flat out.
  let frames = 0;
  a.onFrame(() => ++frames);
  const t0 = performance.now();
  await a.play();
  let last;
  // Play for a second at least, so that the frame rate means something.
  while (!last || last.metrics.step < 2000 || performance.now() - t0 < 1000) last = await a.nextFrame();
  await a.pause();
  const seconds = (performance.now() - t0) / 1000;
  log(
    `${last.metrics.step} steps in ${seconds.toFixed(2)} s, ${frames} frames; train loss ${last.metrics.trainLoss.toFixed(4)}, test accuracy ${last.metrics.testAccuracy}`,
  );
  const grid = last.grids[last.grids.length - 1];
  log(
    `output grid: ${grid.constructor.name} of ${grid.length}; params of layer 0: ${last.params[0].weights.length} weights`,
  );

  const stepped = await b.step(5);
  log(`session ${b.id} stepped to ${stepped.step}, loss ${stepped.trainLoss.toFixed(4)}`);
  const prediction = await a.evaluate('predict', [
    [0, 0],
    [5, 5],
  ]);
  log(`predict: ${JSON.stringify(prediction)}`);
  let message = '';
  try {
    await engine.build({ input: [2], layers: [{ type: 'dense', units: -1 }] });
  } catch (e) {
    message = e.message;
  }
  log(`bad spec: ${message}`);
  await a.dispose();
  await b.dispose();
  engine.terminate();

  // The playground's one-session interface: frames wait for the page's ack.
  let got = [];
  let wake = null;
  const page = connect({
    onFrame: (f) => {
      got.push(f);
      wake?.();
    },
    onError: (e) => log(`connect error: ${e.message}`),
  });
  const nextFrame = () => new Promise((r) => (wake = r));
  const built = await page.build(spec(3), { n: 8, outN: 20, extent: 6 });
  page.play();
  await nextFrame();
  await new Promise((r) => setTimeout(r, 200));
  const held = got.length; // no ack yet: no second frame
  page.ack();
  await nextFrame();
  page.pause();
  const f = got[got.length - 1];
  const connectOk =
    held === 1 &&
    f.build === built.id &&
    f.grids.length === 2 &&
    f.grids[1].length === 400 &&
    f.params.length === 2;
  log(`connect(): ${got.length} frames (${held} before the ack), step ${f.metrics.step}, ok ${connectOk}`);
  page.client.terminate();
  return {
    ok:
      simd === 'sse2' &&
      last.metrics.step >= 2000 &&
      Number.isFinite(last.metrics.trainLoss) &&
      grid instanceof Float32Array &&
      grid.length === 40 * 40 &&
      stepped.step === 5 &&
      prediction.length === 2 &&
      message.includes('layers[0].units') &&
      connectOk,
    steps: last.metrics.step,
    seconds,
    frames,
    trainLoss: last.metrics.trainLoss,
    message,
  };
}

run().then(
  (result) => {
    log(result.ok ? 'OK' : 'FAILED');
    window.__result = result;
  },
  (err) => {
    log(`ERROR: ${err?.stack ?? err}`);
    window.__result = { ok: false, error: String(err?.message ?? err) };
  },
);
