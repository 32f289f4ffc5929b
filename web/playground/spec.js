// What a playground state means to the engine: its training spec (docs/spec-format.md), its
// hyper-parameters, its class count and the shapes of its dense layers.
import { classRange, isClassification } from './state.js';

/** The number of classes: a built-in set's (2, or the state's K when the set takes one), or
 * one more than the largest label of the user's points; 0 for regression. */
export function classCount(state) {
  if (!isClassification(state)) return 0;
  if (state.points) return Math.max(2, ...state.points.map(([, , l]) => l + 1));
  return classRange(state.dataset) ? state.classes : 2;
}

/** The output layer's units: one (tanh for mse, sigmoid for cross-entropy, linear for regression)
 * or, for more than two classes, a softmax over K. */
export function outputUnits(state) {
  const k = classCount(state);
  return k > 2 ? k : 1;
}

export function outputActivation(state) {
  const k = classCount(state);
  if (!k) return 'linear';
  if (k > 2) return 'softmax';
  return state.loss === 'cross_entropy' ? 'sigmoid' : 'tanh';
}

/** [units, inputs] of every dense layer: the hidden layers, then the output. */
export function denseShapes(state) {
  const sizes = [state.features.length, ...state.network, outputUnits(state)];
  return sizes.slice(1).map((units, i) => [units, sizes[i]]);
}

/** The spec's layer index of every dense layer (dropout layers sit between them). */
export function denseIndices(state) {
  const out = [];
  let i = 0;
  state.network.forEach((_, l) => {
    out.push(i);
    i += state.dropout[l] > 0 ? 2 : 1;
  });
  out.push(i);
  return out;
}

const round = (v, d) => {
  const r = +v.toFixed(d);
  return Object.is(r, -0) ? 0 : r;
};

/** The training spec the engine takes for this state. */
export function toSpec(state) {
  const classification = isClassification(state);
  const layers = [];
  state.network.forEach((units, l) => {
    layers.push({ type: 'dense', units, activation: state.activation[l] });
    if (state.dropout[l] > 0) layers.push({ type: 'dropout', rate: state.dropout[l] });
  });
  layers.push({ type: 'dense', units: outputUnits(state), activation: outputActivation(state) });
  const testRatio = round(1 - state.ratio / 100, 2);
  const k = classCount(state);
  const data = state.points
    ? {
        x: state.points.map(([x, y]) => [x, y]),
        // The engine's label rule: a class index per example, or a row of targets.
        y: state.points.map(([, , l]) => (classification ? l : [l])),
        test_ratio: testRatio,
      }
    : {
        name: state.dataset,
        n: 500,
        noise: state.noise / 100,
        test_ratio: testRatio,
        ...(classRange(state.dataset) && k !== 2 ? { classes: k } : {}),
      };
  return {
    input: [state.features.length],
    features: [...state.features],
    layers,
    data,
    loss: classification ? state.loss : 'mse',
    optimizer: { type: state.optimizer, lr: state.lr },
    batch: state.batch,
    regularization: state.reg,
    regularization_rate: state.regRate,
    seed: state.seed,
  };
}

/** The hand-edited weights as the engine's per-layer parameters ([{weights, bias, shape}] per spec
 * layer, null for layers without any), or null. */
export function weightsOf(state) {
  if (!state.weights) return null;
  const shapes = denseShapes(state);
  const dense = denseIndices(state);
  const out = Array(dense.at(-1) + 1).fill(null);
  dense.forEach((i, l) => {
    const w = state.weights[l];
    out[i] = { weights: Float32Array.from(w.weights), bias: Float32Array.from(w.bias), shape: shapes[l] };
  });
  return out;
}

/** The frame's parameters of the dense layers as the state's hand-edited weights. */
export function editedWeights(state, params) {
  return denseIndices(state).map((i) => ({
    weights: Array.from(params[i].weights),
    bias: Array.from(params[i].bias),
  }));
}

/** Hyper-parameters that change without rebuilding the session. */
export function toHyper(state) {
  return {
    lr: state.lr,
    batch: state.batch,
    regularization: state.reg,
    regularization_rate: state.regRate,
    optimizer: state.optimizer,
  };
}
