// The CNN page's state and its URL hash form (as web/playground/state.js does for the MLP page):
// defaults, presets, the block list, validation, parse and serialise, and the training spec.
// Every value read from the URL is checked against a closed set or a range; anything else falls back
// to the default and is reported as a problem {key, value, reason} (shown as text, never markup).
import { readParams } from '../shared/hash.js';

export const DATASETS = {
  digits8x8: { file: 'data/digits8x8.bin', shape: [1, 8, 8] },
  mnist10k: { file: 'data/mnist10k.bin', shape: [1, 28, 28] },
  mine: { file: null, shape: [1, 28, 28] }, // drawn on the page, kept in memory only
};
export const OPTIMIZERS = ['sgd', 'adam', 'adagrad', 'rmsprop'];
export const LEARNING_RATES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3];
export const BATCHES = [1, 4, 8, 16, 20, 32, 64, 128];
export const ACTIVATIONS = ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'linear'];
export const DENSE_ACTIVATIONS = [...ACTIVATIONS, 'softmax'];
export const BLOCK_TYPES = ['conv', 'max', 'avg', 'dropout', 'dense', 'softmax'];
export const SCALES = ['local', 'layer', 'global'];
export const LANGS = ['en', 'zh'];
export const MAX_BLOCKS = 16;
export const TEST_RATIO = 0.2;

// Blocks: {type: 'conv', filters, kernel, stride, padding, activation} | {type: 'max'|'avg', size,
// stride} | {type: 'dropout', rate} | {type: 'dense', units, activation} | {type: 'softmax'}.
const conv = (filters, kernel, stride, padding, activation = 'relu') => ({
  type: 'conv',
  filters,
  kernel,
  stride,
  padding,
  activation,
});
const pool = (type, size, stride = size) => ({ type, size, stride });
const dense = (units, activation = 'relu') => ({ type: 'dense', units, activation });
const softmax = { type: 'softmax' };

// Presets: a tiny CNN for the 8×8 digits; the ConvNetJS MNIST demo's net (with padding 2 on 28×28:
// conv 8@5×5 → pool 2 → conv 16@5×5 → pool 3 → softmax); an MLP of about the same size as each.
export const PRESETS = {
  tiny: {
    dataset: 'digits8x8',
    blocks: [conv(8, 3, 1, 1), pool('max', 2), dense(10, 'linear'), softmax],
    optimizer: 'adam',
    lr: 0.01,
    batch: 16,
  },
  convnetjs: {
    dataset: 'mnist10k',
    blocks: [
      conv(8, 5, 1, 2),
      pool('max', 2),
      conv(16, 5, 1, 2),
      pool('max', 3),
      dense(10, 'linear'),
      softmax,
    ],
    optimizer: 'adam',
    lr: 0.003,
    batch: 20,
  },
  mlp: {
    dataset: null, // keeps the data set; the hidden layer is sized to match the CNN's parameters
    blocks: (dataset) => [dense(dataset === 'mnist10k' ? 8 : 20, 'relu'), dense(10, 'linear'), softmax],
    optimizer: 'adam',
    lr: 0.01,
    batch: 16,
  },
};
export const PRESET_NAMES = Object.keys(PRESETS);

const DEFAULTS = {
  dataset: 'digits8x8',
  net: PRESETS.tiny.blocks,
  optimizer: 'adam',
  lr: 0.01,
  batch: 16,
  seed: 1,
  scale: 'layer',
  image: 0,
  lang: null,
};

export function defaultState() {
  return structuredClone(DEFAULTS);
}

/** The state after choosing a preset (data set, blocks and hyper-parameters). */
export function applyPreset(state, name) {
  const p = PRESETS[name];
  const dataset = p.dataset ?? state.dataset;
  const blocks = typeof p.blocks === 'function' ? p.blocks(dataset) : p.blocks;
  return {
    ...state,
    dataset,
    net: structuredClone(blocks),
    optimizer: p.optimizer,
    lr: p.lr,
    batch: p.batch,
  };
}

// ---------- blocks as text: "conv-8-5-1-2-relu,max-2-2,dense-10-linear,softmax" ----------
const isInt = (s) => /^\d{1,7}$/.test(s);
const intIn = (s, lo, hi) => (isInt(s) && +s >= lo && +s <= hi ? +s : undefined);

export function formatBlock(b) {
  switch (b.type) {
    case 'conv':
      return `conv-${b.filters}-${b.kernel}-${b.stride}-${b.padding}-${b.activation}`;
    case 'max':
    case 'avg':
      return `${b.type}-${b.size}-${b.stride}`;
    case 'dropout':
      return `dropout-${b.rate}`;
    case 'dense':
      return `dense-${b.units}-${b.activation}`;
    default:
      return 'softmax';
  }
}

/** A block from its text, or undefined when any part is out of range. */
export function parseBlock(s) {
  const f = s.split('-');
  const act = (a, list) => (list.includes(a) ? a : undefined);
  switch (f[0]) {
    case 'conv': {
      if (f.length !== 6) return undefined;
      const b = {
        type: 'conv',
        filters: intIn(f[1], 1, 256),
        kernel: intIn(f[2], 1, 15),
        stride: intIn(f[3], 1, 8),
        padding: intIn(f[4], 0, 8),
        activation: act(f[5], ACTIVATIONS),
      };
      return Object.values(b).includes(undefined) ? undefined : b;
    }
    case 'max':
    case 'avg': {
      if (f.length !== 3) return undefined;
      const b = { type: f[0], size: intIn(f[1], 1, 8), stride: intIn(f[2], 1, 8) };
      return Object.values(b).includes(undefined) ? undefined : b;
    }
    case 'dropout': {
      const r = f.length === 2 && /^0(\.\d{1,3})?$/.test(f[1]) ? +f[1] : undefined;
      return r !== undefined && r <= 0.9 ? { type: 'dropout', rate: r } : undefined;
    }
    case 'dense': {
      if (f.length !== 3) return undefined;
      const b = { type: 'dense', units: intIn(f[1], 1, 1024), activation: act(f[2], DENSE_ACTIVATIONS) };
      return Object.values(b).includes(undefined) ? undefined : b;
    }
    case 'softmax':
      return f.length === 1 ? { ...softmax } : undefined;
    default:
      return undefined;
  }
}

function parseNet(s) {
  const parts = s.split(',');
  if (!s || parts.length > MAX_BLOCKS) return undefined;
  const blocks = parts.map(parseBlock);
  return blocks.includes(undefined) ? undefined : blocks;
}

function numIn(list) {
  return (s) => {
    if (!/^[0-9.e-]{1,12}$/.test(s)) return undefined;
    const v = +s;
    return list.find((x) => Math.abs(x - v) <= 1e-9 * Math.max(1, x));
  };
}
const oneOf = (list) => (s) => (list.includes(s) ? s : undefined);

const PARSERS = {
  dataset: oneOf(Object.keys(DATASETS).filter((d) => DATASETS[d].file)), // not 'mine': not in a URL
  net: parseNet,
  optimizer: oneOf(OPTIMIZERS),
  lr: numIn(LEARNING_RATES),
  batch: (s) => (isInt(s) && BATCHES.includes(+s) ? +s : undefined),
  seed: (s) => intIn(s, 0, 2 ** 31 - 1),
  scale: oneOf(SCALES),
  image: (s) => intIn(s, 0, 99999),
  lang: oneOf(LANGS),
};
export const KEYS = Object.keys(PARSERS);

function format(key, value) {
  return key === 'net' ? value.map(formatBlock).join(',') : String(value);
}

/** Parses "#a=1&b=2": {state, problems}. */
export function parseHash(hash) {
  const state = defaultState();
  const problems = readParams(hash, PARSERS, state);
  return { state, problems };
}

/** The hash for a state: the values that differ from the defaults, in a fixed order. */
export function toHash(state) {
  const out = [];
  for (const key of KEYS) {
    const v = state[key];
    if (v === null || v === undefined) continue;
    if (key === 'dataset' && !DATASETS[v].file) continue; // the user's drawings are not in the URL
    const s = format(key, v);
    if (DEFAULTS[key] !== null && s === format(key, DEFAULTS[key])) continue;
    out.push(`${key}=${encodeURIComponent(s).replace(/%2C/g, ',')}`);
  }
  return out.length ? `#${out.join('&')}` : '';
}

/** The engine's layer for a block (weights from a loaded model may be added by the caller). */
export function layerOf(b) {
  switch (b.type) {
    case 'conv':
      return {
        type: 'conv2d',
        filters: b.filters,
        kernel: b.kernel,
        stride: b.stride,
        padding: b.padding,
        activation: b.activation,
      };
    case 'max':
    case 'avg':
      return { type: `${b.type}pool2d`, size: b.size, stride: b.stride };
    case 'dropout':
      return { type: 'dropout', rate: b.rate };
    case 'dense':
      return { type: 'dense', units: b.units, activation: b.activation };
    default:
      return { type: 'softmax' };
  }
}

/** A block for an engine layer of a model JSON, or null for a layer the editor has no block for. */
export function blockOf(l) {
  switch (l.type) {
    case 'conv2d':
      return conv(l.filters, l.kernel, l.stride ?? 1, l.padding ?? 0, l.activation ?? 'linear');
    case 'maxpool2d':
    case 'avgpool2d':
      return pool(l.type.slice(0, 3), l.size, l.stride ?? l.size);
    case 'dropout':
      return { type: 'dropout', rate: l.rate ?? 0.5 };
    case 'dense':
      return dense(l.units, l.activation ?? 'linear');
    case 'softmax':
      return { ...softmax };
    case 'flatten':
      return null;
    default:
      return ACTIVATIONS.includes(l.type) ? null : undefined;
  }
}

/** The training spec (its data goes to the engine separately, as typed arrays). */
export function toSpec(state) {
  return {
    input: DATASETS[state.dataset].shape,
    layers: state.net.map(layerOf),
    loss: 'cross_entropy',
    optimizer: { type: state.optimizer, lr: state.lr },
    batch: state.batch,
    seed: state.seed,
  };
}

export function toHyper(state) {
  return { optimizer: state.optimizer, lr: state.lr, batch: state.batch };
}
