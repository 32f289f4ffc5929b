// The playground's state and its URL hash form: defaults, validation, parse and serialise.
// Every value read from the URL is checked against a closed set or a range; anything else falls
// back to its default and is reported (the page shows the report as text, never as markup).
// The engine's names (data sets, features, activations, optimizers, regularizations, losses) come
// from its vocabulary (../kit/vocabulary.js), installed before the first parse. What a state
// means to the engine (its training spec) is ./spec.js.
import { readParams } from '../kit/hash.js';
import {
  activationNames,
  datasetNames,
  featureNames,
  optimizerNames,
  regularizationNames,
  vocabulary,
} from '../kit/vocabulary.js';
import { denseShapes } from './spec.js';

export const datasets = (problem) => datasetNames(problem);
export const features = () => featureNames();
// Hidden layers' activations: all but softmax (the output's, for several classes).
export const activations = () => activationNames().filter((a) => a !== 'softmax');
export const optimizers = () => optimizerNames();
export const regularizations = () => regularizationNames();
export const losses = () => vocabulary().losses;
/** The range of class counts a built-in set takes ({min, max, default}), or null. */
export const classRange = (dataset) => vocabulary().datasets.find((d) => d.name === dataset)?.classes ?? null;
export const PROBLEMS = ['classification', 'regression'];
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const DROPOUT_RATES = [0, 0.1, 0.2, 0.3, 0.5];
export const STOP_EPOCHS = [10, 20, 50, 100, 200, 500, 1000, 2000];
export const STOP_LOSSES = [0.3, 0.2, 0.1, 0.05, 0.02, 0.01];
export const LANGS = ['en', 'zh'];
export const SPEEDS = [1, 10, 100, 0]; // epochs per animation frame; 0: as fast as the engine goes
export const MAX_LAYERS = 8;
export const MAX_NEURONS = 16;
export const MAX_POINTS = 2000;
export const MAX_CLASSES = 6;
export const EXTENT = 6;

export const DEFAULTS = Object.freeze({
  dataset: 'circle',
  classes: 2, // the class count of a built-in set that takes one (gaussian, spiral)
  noise: 0,
  ratio: 50, // % of the data used for training
  batch: 10,
  features: Object.freeze(['x1', 'x2']),
  network: Object.freeze([4, 2]), // hidden layers
  activation: Object.freeze(['tanh', 'tanh']), // per hidden layer
  dropout: Object.freeze([0, 0]), // per hidden layer
  loss: 'mse',
  lr: 0.03,
  optimizer: 'sgd',
  reg: 'none',
  regRate: 0,
  problem: 'classification',
  stopEpoch: null, // stop training at this epoch
  stopLoss: null, // stop training once the test loss is at most this
  showTest: false,
  discretize: false,
  seed: 1, // the data (points and train/test split)
  init: null, // the initial weights' seed; null: the data's seed (Reset draws a new one)
  weights: null, // hand-edited: per dense layer {weights: number[], bias: number[]}
  speed: 1,
  lang: null, // null: from the browser
  points: null, // user data: [[x1, x2, label], ...] or null for the generated set
});

export function defaultState() {
  return {
    ...DEFAULTS,
    features: [...DEFAULTS.features],
    network: [...DEFAULTS.network],
    activation: [...DEFAULTS.activation],
    dropout: [...DEFAULTS.dropout],
  };
}

const isInt = (s) => /^-?\d+$/.test(s);
const isNum = (s) => /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s);

function oneOf(list) {
  return (s) => (list().includes(s) ? s : undefined);
}
// (+ 0: "-0" reads as 0)
function intIn(lo, hi) {
  return (s) => (isInt(s) && +s >= lo && +s <= hi ? +s + 0 : undefined);
}
function numIn(list) {
  return (s) => {
    if (!isNum(s)) return undefined;
    const v = +s;
    return list.find((x) => Math.abs(x - v) <= 1e-9 * Math.max(1, x));
  };
}
function bool(s) {
  return s === '1' || s === 'true' ? true : s === '0' || s === 'false' ? false : undefined;
}
// "a,b,c": each through `one`; undefined when any is not acceptable.
function listOf(one, max = MAX_LAYERS) {
  return (s) => {
    const list = s === '' ? [] : s.split(',').map(one);
    return list.length <= max && !list.includes(undefined) ? list : undefined;
  };
}

// Each parser returns the value, or undefined when the string is not acceptable.
const PARSERS = {
  dataset: (s) => (s === 'custom' || PROBLEMS.some((p) => datasets(p).includes(s)) ? s : undefined),
  classes: intIn(2, MAX_CLASSES),
  noise: (s) => (isInt(s) && +s >= 0 && +s <= 50 && +s % 5 === 0 ? +s : undefined),
  ratio: (s) => (isInt(s) && +s >= 10 && +s <= 90 && +s % 10 === 0 ? +s : undefined),
  batch: intIn(1, 30),
  features: (s) => {
    const list = s === '' ? [] : s.split(',');
    const all = features();
    if (!list.length || list.some((f) => !all.includes(f)) || new Set(list).size !== list.length)
      return undefined;
    return all.filter((f) => list.includes(f));
  },
  network: listOf(intIn(1, MAX_NEURONS)),
  activation: (s) => (s === '' ? undefined : listOf(oneOf(activations))(s)),
  dropout: (s) => (s === '' ? undefined : listOf(numIn(DROPOUT_RATES))(s)),
  loss: oneOf(losses),
  lr: numIn(LEARNING_RATES),
  optimizer: oneOf(optimizers),
  reg: oneOf(regularizations),
  regRate: numIn(REGULARIZATION_RATES),
  problem: oneOf(() => PROBLEMS),
  stopEpoch: numIn(STOP_EPOCHS),
  stopLoss: numIn(STOP_LOSSES),
  showTest: bool,
  discretize: bool,
  seed: intIn(0, 2 ** 31 - 1),
  init: intIn(0, 2 ** 31 - 1),
  weights: parseWeights,
  speed: (s) => (isInt(s) && SPEEDS.includes(+s) ? +s + 0 : undefined),
  lang: oneOf(() => LANGS),
  points: parsePoints,
};

export const KEYS = Object.keys(PARSERS);

// "x,y,label;x,y,label;..." with x, y in [-6, 6]; the label a class index (0…5) or a target
// value in [-1, 1].
export function parsePoints(s) {
  const rows = s.split(';');
  if (!s || rows.length > MAX_POINTS) return undefined;
  const out = [];
  for (const row of rows) {
    const f = row.split(',');
    if (f.length !== 3 || !f.every(isNum)) return undefined;
    const [x, y, l] = f.map(Number);
    const label = (Number.isInteger(l) && l >= 0 && l < MAX_CLASSES) || Math.abs(l) <= 1;
    if (Math.abs(x) > EXTENT || Math.abs(y) > EXTENT || !label) return undefined;
    out.push([x, y, l]);
  }
  return out;
}

// "w,w,…_b,b;w,…_b" (";" between dense layers, "_" between a layer's weights and its biases).
const MAX_WEIGHTS = 4096;
export function parseWeights(s) {
  const layers = s.split(';');
  if (!s || layers.length > MAX_LAYERS + 1 || s.length > MAX_WEIGHTS * 12) return undefined;
  const out = [];
  for (const layer of layers) {
    const parts = layer.split('_');
    if (parts.length !== 2) return undefined;
    const [w, b] = parts.map((p) => (p === '' ? [] : p.split(',')));
    if (![...w, ...b].every(isNum)) return undefined;
    const weights = w.map(Number);
    const bias = b.map(Number);
    if (![...weights, ...bias].every((v) => Number.isFinite(v) && Math.abs(v) <= 1e6)) return undefined;
    out.push({ weights, bias });
  }
  return out;
}

const round = (v, d) => {
  const r = +v.toFixed(d);
  return Object.is(r, -0) ? 0 : r;
};
// A weight with four significant digits, without trailing zeros.
const short = (v) => {
  const r = Number(Number(v).toPrecision(4));
  return String(Object.is(r, -0) ? 0 : r);
};

export function formatPoints(points) {
  return points.map(([x, y, l]) => `${round(x, 2)},${round(y, 2)},${round(l, 3)}`).join(';');
}

export function formatWeights(layers) {
  return layers.map((l) => `${l.weights.map(short).join(',')}_${l.bias.map(short).join(',')}`).join(';');
}

// A per-layer list that holds one value for every layer is written as that value.
const sameAll = (list) => list.length > 0 && list.every((v) => v === list[0]);

function format(key, value) {
  if (key === 'features' || key === 'network') return value.join(',');
  if (key === 'activation' || key === 'dropout') return sameAll(value) ? String(value[0]) : value.join(',');
  if (key === 'showTest' || key === 'discretize') return value ? '1' : '0';
  if (key === 'points') return formatPoints(value);
  if (key === 'weights') return formatWeights(value);
  return String(value);
}

// A per-layer list for `layers` layers: one value is every layer's; a list of another length
// keeps its values where it has them and repeats its last for new layers.
function perLayer(list, layers, fallback) {
  if (!list.length) return Array(layers).fill(fallback);
  return Array.from({ length: layers }, (_, i) => list[Math.min(i, list.length - 1)]);
}

// Consistency between fields that are each valid on their own.
function reconcile(state, problems) {
  if (state.dataset !== 'custom' && !datasets(state.problem).includes(state.dataset)) {
    const fixed = PROBLEMS.find((p) => datasets(p).includes(state.dataset));
    if (fixed) state.problem = fixed;
  }
  if (state.dataset === 'custom' && !state.points) {
    problems.push({ key: 'points', value: '', reason: 'missing' });
    state.dataset = DEFAULTS.dataset;
    state.problem = DEFAULTS.problem;
  }
  if (state.dataset !== 'custom') state.points = null;
  if (state.points && state.problem === 'classification')
    state.points = state.points.map(([x, y, l]) => [x, y, Number.isInteger(l) && l >= 0 ? l : l > 0 ? 1 : 0]);
  if (!classRange(state.dataset)) state.classes = DEFAULTS.classes; // a set of two classes
  const layers = state.network.length;
  state.activation = perLayer(state.activation, layers, DEFAULTS.activation[0]);
  state.dropout = perLayer(state.dropout, layers, 0);
  if (state.problem === 'regression') state.loss = 'mse';
  if (state.weights && !fits(state.weights, state)) {
    problems.push({ key: 'weights', value: formatWeights(state.weights).slice(0, 80), reason: 'shape' });
    state.weights = null;
  }
  return state;
}

// Whether hand-edited weights have the shapes of the state's dense layers.
export function fits(weights, state) {
  const shapes = denseShapes(state);
  return (
    weights.length === shapes.length &&
    weights.every(
      (l, i) => l.weights.length === shapes[i][0] * shapes[i][1] && l.bias.length === shapes[i][0],
    )
  );
}

// Parses a location hash ("#a=1&b=2" or "a=1&b=2"). Returns {state, problems}: problems lists each
// value that was rejected, {key, value, reason}, with the value as given (to be shown as text).
export function parseHash(hash) {
  const state = defaultState();
  const problems = readParams(hash, PARSERS, state);
  return { state: reconcile(state, problems), problems };
}

// The hash for a state: only values that differ from the defaults, in a fixed order, plus lang.
export function toHash(state) {
  const params = [];
  for (const key of KEYS) {
    const v = state[key];
    if (v === null || v === undefined) continue;
    if ((key === 'activation' || key === 'dropout') && !v.length) continue;
    if (key === 'classes' && !classRange(state.dataset)) continue;
    const s = format(key, v);
    const d = DEFAULTS[key];
    if (d !== null && s === format(key, d)) continue;
    params.push(`${key}=${encodeURIComponent(s).replace(/%2C/g, ',').replace(/%3B/g, ';')}`);
  }
  return params.length ? `#${params.join('&')}` : '';
}

// The rate the divergence note offers: 0.01 from anything larger (0.03 still diverges on some sets,
// e.g. the plane with linear units), one step down from there on.
export function saferLr(lr) {
  const i = LEARNING_RATES.indexOf(lr);
  const safe = LEARNING_RATES.indexOf(0.01);
  return LEARNING_RATES[Math.max(0, Math.min(i > safe ? safe : i - 1, safe))];
}

export function isClassification(state) {
  return state.problem === 'classification';
}
