// The playground's state and its URL hash form: defaults, validation, parse and serialise.
// Every value read from the URL is checked against a closed set or a range; anything else falls
// back to its default and is reported (the page shows the report as text, never as markup).
// The engine's names (data sets, features, activations, optimizers, regularizations) come from
// its vocabulary (../kit/vocabulary.js), installed before the first parse.
import { readParams } from '../kit/hash.js';
import {
  activationNames,
  datasetNames,
  featureNames,
  optimizerNames,
  regularizationNames,
} from '../kit/vocabulary.js';

export const datasets = (problem) => datasetNames(problem);
export const features = () => featureNames();
// Hidden layers' activations: all but softmax (the output's, for several classes).
export const activations = () => activationNames().filter((a) => a !== 'softmax');
export const optimizers = () => optimizerNames();
export const regularizations = () => regularizationNames();
export const PROBLEMS = ['classification', 'regression'];
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const LANGS = ['en', 'zh'];
export const SPEEDS = [1, 10, 100, 0]; // epochs per animation frame; 0: as fast as the engine goes
export const MAX_LAYERS = 8;
export const MAX_NEURONS = 16;
export const MAX_POINTS = 2000;
export const EXTENT = 6;

export const DEFAULTS = Object.freeze({
  dataset: 'circle',
  noise: 0,
  ratio: 50, // % of the data used for training
  batch: 10,
  features: Object.freeze(['x1', 'x2']),
  network: Object.freeze([4, 2]), // hidden layers
  activation: 'tanh',
  lr: 0.03,
  optimizer: 'sgd',
  reg: 'none',
  regRate: 0,
  problem: 'classification',
  showTest: false,
  discretize: false,
  seed: 1, // the data (points and train/test split)
  init: null, // the initial weights' seed; null: the data's seed (Reset draws a new one)
  speed: 1,
  lang: null, // null: from the browser
  points: null, // user data: [[x1, x2, label], ...] or null for the generated set
});

export function defaultState() {
  return {
    ...DEFAULTS,
    features: [...DEFAULTS.features],
    network: [...DEFAULTS.network],
  };
}

const isInt = (s) => /^-?\d+$/.test(s);
const isNum = (s) => /^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(s);

function oneOf(list) {
  return (s) => (list().includes(s) ? s : undefined);
}
function intIn(lo, hi) {
  return (s) => (isInt(s) && +s >= lo && +s <= hi ? +s : undefined);
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

// Each parser returns the value, or undefined when the string is not acceptable.
const PARSERS = {
  dataset: (s) => (s === 'custom' || PROBLEMS.some((p) => datasets(p).includes(s)) ? s : undefined),
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
  network: (s) => {
    if (s === '') return [];
    const list = s.split(',');
    if (list.length > MAX_LAYERS || list.some((x) => !isInt(x) || +x < 1 || +x > MAX_NEURONS))
      return undefined;
    return list.map(Number);
  },
  activation: oneOf(activations),
  lr: numIn(LEARNING_RATES),
  optimizer: oneOf(optimizers),
  reg: oneOf(regularizations),
  regRate: numIn(REGULARIZATION_RATES),
  problem: oneOf(() => PROBLEMS),
  showTest: bool,
  discretize: bool,
  seed: intIn(0, 2 ** 31 - 1),
  init: intIn(0, 2 ** 31 - 1),
  speed: (s) => (isInt(s) && SPEEDS.includes(+s) ? +s : undefined),
  lang: oneOf(() => LANGS),
  points: parsePoints,
};

export const KEYS = Object.keys(PARSERS);

// "x,y,label;x,y,label;..." with x, y in [-6, 6].
export function parsePoints(s) {
  const rows = s.split(';');
  if (!s || rows.length > MAX_POINTS) return undefined;
  const out = [];
  for (const row of rows) {
    const f = row.split(',');
    if (f.length !== 3 || !f.every(isNum)) return undefined;
    const [x, y, l] = f.map(Number);
    if (Math.abs(x) > EXTENT || Math.abs(y) > EXTENT || !Number.isFinite(l) || Math.abs(l) > 1)
      return undefined;
    out.push([x, y, l]);
  }
  return out;
}

const round = (v, d) => {
  const r = +v.toFixed(d);
  return Object.is(r, -0) ? 0 : r;
};

export function formatPoints(points) {
  return points.map(([x, y, l]) => `${round(x, 2)},${round(y, 2)},${round(l, 3)}`).join(';');
}

function format(key, value) {
  if (key === 'features' || key === 'network') return value.join(',');
  if (key === 'showTest' || key === 'discretize') return value ? '1' : '0';
  if (key === 'points') return formatPoints(value);
  return String(value);
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
    state.points = state.points.map(([x, y, l]) => [x, y, l > 0 ? 1 : 0]);
  return state;
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

// The training spec the engine takes for this state (docs/spec-format.md).
export function toSpec(state) {
  const classification = isClassification(state);
  const layers = state.network.map((units) => ({ type: 'dense', units, activation: state.activation }));
  layers.push({ type: 'dense', units: 1, activation: classification ? 'tanh' : 'linear' });
  const testRatio = round(1 - state.ratio / 100, 2);
  const data = state.points
    ? {
        x: state.points.map(([x, y]) => [x, y]),
        // The engine's label rule: a class index per example, or a row of targets.
        y: state.points.map(([, , l]) => (classification ? (l > 0 ? 1 : 0) : [l])),
        test_ratio: testRatio,
      }
    : { name: state.dataset, n: 500, noise: state.noise / 100, test_ratio: testRatio };
  return {
    input: [state.features.length],
    features: [...state.features],
    layers,
    data,
    loss: 'mse',
    optimizer: { type: state.optimizer, lr: state.lr },
    batch: state.batch,
    regularization: state.reg,
    regularization_rate: state.regRate,
    seed: state.seed,
  };
}

// Hyper-parameters that change without rebuilding the session.
export function toHyper(state) {
  return {
    lr: state.lr,
    batch: state.batch,
    regularization: state.reg,
    regularization_rate: state.regRate,
    optimizer: state.optimizer,
  };
}
