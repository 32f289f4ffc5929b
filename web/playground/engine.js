// The page's one door to the engine: web/engine/client.js (the worker owns the engine), with the
// URLs Vite gives the bundled worker, the Emscripten module and its .wasm. `ready` resolves once
// the engine is loaded and its vocabulary installed (../kit/vocabulary.js). One session at a time:
//   build(spec, grid, {weights, initSeed}) → Promise<{id, info, data}>, dataOf(spec) → data,
//   play(stepsPerFrame, stop), pause(), step(n), set(hyper), modelJson(), pytorch(), checkModel(m),
//   setWeight(layer, index, value, bias); frames ({build, metrics, grids, params}) go to onFrame,
//   at most one per animation frame (the client acknowledges them from requestAnimationFrame).
import { connectEngine } from '../kit/engine.js';
import { featureNames, datasetNames } from '../kit/vocabulary.js';

export function connect({ onFrame, onError }) {
  const { client, ready } = connectEngine({ onError });
  let session = null;
  let builds = 0;
  const report = (p) => p?.catch?.((err) => onError(err));
  const api = {
    ready,
    // Every input feature over the plane [-extent, extent]², as the engine computes them:
    // {grid: Float32Array [feature][n][n] in the vocabulary's order, n}.
    async featureGrids(n, extent) {
      const all = featureNames();
      const spec = {
        input: [all.length],
        features: all,
        layers: [{ type: 'dense', units: 1 }],
        data: { name: datasetNames('classification')[0], n: 2 },
      };
      const s = await client.build(spec, { grid: null, params: false });
      try {
        return { grid: await s.evaluate('grid', -1, [-extent, extent], [-extent, extent], n), n };
      } finally {
        report(s.dispose());
      }
    },
    // weights: [{weights, bias, shape}] per layer to start from (kept when Regenerate changes the data);
    // initSeed: else the seed of the initial weights, when it is not the spec's (data) seed.
    /**
     * @param {any} spec
     * @param {any} grid
     * @param {{weights?: any[] | null, initSeed?: number, classes?: boolean}} [options]
     */
    async build(spec, grid, { weights = null, initSeed = undefined, classes = false } = {}) {
      const mine = ++builds;
      const old = session;
      session = null;
      if (old) report(old.dispose());
      // Frames: the grids of `grid.layers`, every layer's parameters, and for classification the
      // output grid's class probabilities and the confusion matrix.
      const frame = { grid, params: true, classes, confusion: classes };
      let start = weights;
      if (!start && initSeed !== undefined && initSeed !== spec.seed)
        start = await initialWeights(client, spec, initSeed);
      let s;
      try {
        s = await client.build(start ? withWeights(spec, start) : spec, frame);
      } catch (err) {
        if (!start) throw err;
        s = await client.build(spec, frame); // e.g. carried weights that do not fit
      }
      if (mine !== builds) {
        report(s.dispose()); // a later build overtook this one
        throw new Error('superseded');
      }
      s.onError(onError);
      s.onFrame((f) => session === s && onFrame(f));
      session = s;
      return { id: s.build, info: s.info, data: s.data };
    },
    play: (stepsPerFrame = 0, stop = null) => report(session?.play(stepsPerFrame, stop)),
    pause: () => report(session?.pause()),
    step: (steps = 1) => report(session?.step(steps)),
    set: (hyper) => report(session?.set(hyper)),
    setWeight: (layer, index, value, bias = false) => report(session?.setWeight(layer, index, value, bias)),
    // The current model as the engine writes it (dlplay model JSON), and as a PyTorch script.
    modelJson: () => session.evaluate('toJSON'),
    pytorch: () => session.evaluate('toPyTorch'),
    // The training state, to save and to continue from (../kit/autosave.js).
    checkpoint: () => session.evaluate('checkpoint'),
    restore: (checkpoint) => session.restore(checkpoint),
    // Resolves when the engine accepts `model` (a model JSON), else rejects with its message.
    async checkModel(model) {
      const s = await client.build(model, { grid: null, params: false });
      report(s.dispose());
    },
    // The points of a built-in data set as the engine generates them (for the data picker's thumbnails).
    async dataOf(spec) {
      const s = await client.build(spec, { grid: null, params: false });
      const data = s.data;
      report(s.dispose());
      return data;
    },
    ack: () => {}, // the client acknowledges frames itself
    get session() {
      return session;
    },
  };
  return api;
}

// The engine's own initial weights for the spec's layers under another seed: a model-only session
// (no data) built with that seed, read layer by layer.
async function initialWeights(client, spec, seed) {
  const donor = await client.build({ input: spec.input, layers: spec.layers, seed }, { grid: null });
  try {
    return await Promise.all(spec.layers.map((_, i) => donor.evaluate('weights', i)));
  } finally {
    donor.dispose().catch(() => {});
  }
}

const nest = (flat, shape) =>
  shape && shape.length === 2
    ? Array.from({ length: shape[0] }, (_, r) => Array.from(flat.subarray(r * shape[1], (r + 1) * shape[1])))
    : Array.from(flat);

// The spec with explicit starting weights (per spec layer {weights, bias, shape}; null or empty
// for layers without parameters), when every value is finite (never after a divergence).
export function withWeights(spec, params) {
  const has = (p) => p && p.weights?.length > 0;
  const ok =
    params.length === spec.layers.length &&
    params.every((p) => !has(p) || (p.weights.every(Number.isFinite) && p.bias?.every(Number.isFinite)));
  if (!ok) return spec;
  return {
    ...spec,
    layers: spec.layers.map((l, i) =>
      has(params[i])
        ? { ...l, weights: nest(params[i].weights, params[i].shape), bias: Array.from(params[i].bias) }
        : l,
    ),
  };
}
