// The rnn page's state and its URL hash (the kit's readParams): defaults, the closed sets and
// ranges every key is checked against, and the two training specs (the character model and the
// parity toy). A value the page does not accept keeps its default and is reported as a problem.
// The cell types are the engine's (its vocabulary's recurrent layers), never a list of the page's.
import { readParams } from '../kit/hash.js';
import { vocabulary } from '../kit/vocabulary.js';

export const TEXTS = ['lincoln', 'tang', 'own'];
export const HIDDEN = [16, 32, 64, 128, 256];
export const LENGTHS = [8, 16, 24, 32, 48, 64];
export const LEARNING_RATES = [0.0003, 0.001, 0.003, 0.005, 0.01, 0.03, 0.1];
export const MODES = ['sampled', 'greedy'];
export const TABS = ['text', 'parity'];
export const PARITY_LENGTHS = [4, 6, 8, 12, 16];
export const PARITY_HIDDEN = [2, 4, 8, 16];
export const LANGS = ['en', 'zh'];
const RECURRENT = ['rnn', 'lstm', 'gru']; // the order of the menu, when the engine has them
export const EMBEDDING_UNITS = 32;
export const BATCH = 16;
export const CLIP_NORM = 5;
export const TEST_RATIO = 0.1; // windows (sequences) held out for the test curves
export const PARITY_EXAMPLES = 512;
export const MAX_PREFIX = 40;
export const MAX_VOCABULARY = 2000; // the softmax costs V per step: the page refuses bigger texts
export const MAX_OWN_TEXT = 200_000; // characters
export const MIN_OWN_TEXT = 500; // (a few windows of the longest length, one of them held out)

/** The recurrent layer types of the engine's vocabulary (none before it has them). */
export function cellTypes() {
  try {
    const types = new Set(vocabulary().layers.map((l) => l.type));
    return RECURRENT.filter((c) => types.has(c));
  } catch {
    return [];
  }
}

/** The simple RNN's activations, as the engine's vocabulary lists them (tanh first). */
export function rnnActivations() {
  try {
    const f = vocabulary().layers.find((l) => l.type === 'rnn')?.fields?.activation;
    return Array.isArray(f) ? f : [];
  } catch {
    return [];
  }
}

export function defaultState() {
  return {
    text: 'lincoln',
    cell: 'lstm',
    act: 'tanh',
    hidden: 64,
    length: 32,
    lr: 0.005,
    temp: 0.8,
    mode: 'sampled',
    prefix: '',
    seed: 1,
    tab: 'text',
    pcell: 'lstm',
    phidden: 8,
    plength: 8,
    lang: undefined,
  };
}

const oneOf = (list) => (v) => (list.includes(v) ? v : undefined);
const numberIn = (list) => (v) => {
  const n = Number(v);
  return v !== '' && list.includes(n) ? n : undefined;
};
const cell = (v) =>
  cellTypes().includes(v) || (!cellTypes().length && RECURRENT.includes(v)) ? v : undefined;

const PARSERS = {
  text: oneOf(TEXTS),
  cell,
  act: (v) => (rnnActivations().includes(v) ? v : undefined),
  hidden: numberIn(HIDDEN),
  length: numberIn(LENGTHS),
  lr: numberIn(LEARNING_RATES),
  temp: (v) => {
    const n = Number(v);
    return v !== '' && Number.isFinite(n) && n >= 0 && n <= 2 ? Math.round(n * 20) / 20 : undefined;
  },
  mode: oneOf(MODES),
  prefix: (v) => (v.length <= MAX_PREFIX && !/[\u0000-\u0009\u000b-\u001f]/.test(v) ? v : undefined),
  seed: (v) => {
    const n = Number(v);
    return /^\d{1,10}$/.test(v) && n >= 1 && n <= 2147483647 ? n : undefined;
  },
  tab: oneOf(TABS),
  pcell: cell,
  phidden: numberIn(PARITY_HIDDEN),
  plength: numberIn(PARITY_LENGTHS),
  lang: oneOf(LANGS),
};
export const KEYS = Object.keys(PARSERS);

/** {state, problems} from a hash. */
export function parseHash(hash) {
  const state = defaultState();
  const problems = readParams(hash, PARSERS, state);
  return { state, problems };
}

/** The hash of a state: only what differs from the defaults, in KEYS order. */
export function toHash(state) {
  const d = defaultState();
  const p = new URLSearchParams();
  for (const k of KEYS) if (state[k] !== undefined && state[k] !== d[k]) p.set(k, String(state[k]));
  const s = p.toString();
  return s ? `#${s}` : '';
}

/** The character model's training spec for a text whose engine vocabulary has `v` characters. */
export function charSpec(state, text, v) {
  return {
    input: [state.length],
    layers: [
      { type: 'embedding', vocab: v, units: EMBEDDING_UNITS },
      {
        type: state.cell,
        units: state.hidden,
        return_sequences: true,
        ...(state.cell === 'rnn' ? { activation: state.act } : {}),
      },
      { type: 'dense', units: v, activation: 'softmax' },
    ],
    data: { name: 'text', text, length: state.length },
    loss: 'cross_entropy',
    optimizer: { type: 'adam', lr: state.lr, clip_norm: CLIP_NORM },
    batch: BATCH,
    test_ratio: TEST_RATIO,
    seed: state.seed,
  };
}

/** The parity toy's training spec: random bits in, the parity of those so far out, per step. */
export function paritySpec(state) {
  return {
    input: [state.plength, 1],
    layers: [
      { type: state.pcell, units: state.phidden, return_sequences: true },
      { type: 'dense', units: 2, activation: 'softmax' },
    ],
    data: { name: 'parity', n: PARITY_EXAMPLES, length: state.plength },
    loss: 'cross_entropy',
    optimizer: { type: 'adam', lr: 0.01, clip_norm: CLIP_NORM },
    batch: BATCH,
    test_ratio: TEST_RATIO,
    seed: state.seed,
  };
}

/** The index of the recurrent layer in a spec's layers. */
export const recurrentLayer = (spec) => spec.layers.findIndex((l) => RECURRENT.includes(l.type));
