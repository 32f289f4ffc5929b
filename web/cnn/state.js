// The CNN page's state and its URL hash form (as web/playground/state.js does for the MLP page):
// defaults, presets, the block list, validation, parse and serialise, and the training spec.
// Every value read from the URL is checked against a closed set or a range; anything else falls back
// to the default and is reported as a problem {key, value, reason} (shown as text, never markup).
//
// The engine's names and ranges (optimizers, activations, layer types, their fields' ranges and
// defaults) are not copied here: they come from the engine's vocabulary (dl.vocabulary(), which the
// worker's init reply carries), installed with ../kit/vocabulary.js's setVocabulary() before the
// first parse, as on the MLP page. menusOf() is what the page takes from it; the page only narrows
// some ranges to what its editor offers (PAGE_CAPS).
import { readParams } from '../kit/hash.js';
import { vocabulary as engineVocabulary } from '../kit/vocabulary.js';

export const DATASETS = {
  digits8x8: { file: 'data/digits8x8.bin', shape: [1, 8, 8] },
  mnist10k: { file: 'data/mnist10k.bin', shape: [1, 28, 28] },
  mine: { file: null, shape: [1, 28, 28] }, // drawn on the page, kept in memory only
};
// The page's menus (kept to those within the engine's ranges, see menusOf).
const LEARNING_RATE_CHOICES = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3];
const BATCH_CHOICES = [1, 4, 8, 16, 20, 32, 64, 128];
export const SCALES = ['local', 'layer', 'global'];
export const LANGS = ['en', 'zh'];
export const MAX_BLOCKS = 16;
export const TEST_RATIO = 0.2;
// Every batch's gradient in this many parts, summed in their order, whatever the cores menu says
// (cores.js): so the weights are the same for 1 core or 8, and at most 8 can share a step.
export const SHARDS = 8;

// The editor's blocks, their engine layers and their fields (in the order of the block's text).
export const BLOCK_LAYERS = {
  conv: 'conv2d',
  max: 'maxpool2d',
  avg: 'avgpool2d',
  dropout: 'dropout',
  dense: 'dense',
  softmax: 'softmax',
};
const BLOCK_FIELDS = {
  conv: ['filters', 'kernel', 'stride', 'padding', 'activation'],
  max: ['size', 'stride'],
  avg: ['size', 'stride'],
  dropout: ['rate'],
  dense: ['units', 'activation'],
  softmax: [],
};
// What the editor offers at most (the engine accepts more, but not at a page's speed).
const PAGE_CAPS = {
  conv: { filters: 256, kernel: 15, stride: 8, padding: 8 },
  max: { size: 8, stride: 8 },
  avg: { size: 8, stride: 8 },
  dense: { units: 1024 },
};
// Activations the editor does not offer for a block (a softmax over a conv layer's every value).
const NOT_FOR = { conv: ['softmax'] };

const menus = new WeakMap(); // vocabulary → its menus (computed once per vocabulary object)

/**
 * What the page takes from the engine's vocabulary (the installed one by default): {optimizers,
 * activations (names of standalone activation layers), blockTypes, fields: {block: [{name, min,
 * max, integer, default} | {name, options}]}, defaults: {block: {field: default}}, learningRates,
 * batches}. Throws when no vocabulary is installed yet.
 */
export function menusOf(vocabulary = engineVocabulary()) {
  if (menus.has(vocabulary)) return menus.get(vocabulary);
  const layers = new Map(vocabulary.layers.map((l) => [l.type, l.fields]));
  const activations = [...vocabulary.activations];
  const blockTypes = Object.keys(BLOCK_LAYERS).filter((b) => layers.has(BLOCK_LAYERS[b]));
  const fields = {};
  const defaults = {};
  for (const b of blockTypes) {
    const engine = layers.get(BLOCK_LAYERS[b]);
    fields[b] = [];
    defaults[b] = {};
    for (const name of BLOCK_FIELDS[b]) {
      const f = engine[name];
      if (f === 'activation') {
        fields[b].push({ name, options: activations.filter((a) => !NOT_FOR[b]?.includes(a)) });
      } else if (f && typeof f === 'object') {
        const cap = PAGE_CAPS[b]?.[name] ?? Infinity;
        fields[b].push({
          name,
          min: f.min,
          max: Math.min(f.max, cap),
          integer: !!f.integer,
          default: f.default,
        });
        defaults[b][name] = f.default;
      } else throw new Error(`the engine's ${BLOCK_LAYERS[b]} has no field ${name}`);
    }
  }
  const within = (list, r) => (r ? list.filter((v) => v >= r.min && v <= r.max) : list);
  const m = {
    optimizers: vocabulary.optimizers.map((o) => o.type),
    activations,
    blockTypes,
    fields,
    defaults,
    learningRates: within(LEARNING_RATE_CHOICES, vocabulary.hyperparameters?.lr),
    batches: within(BATCH_CHOICES, vocabulary.hyperparameters?.batch),
  };
  menus.set(vocabulary, m);
  return m;
}

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

/** A block's text: its type, then its fields in a fixed order ("dropout-0.25", "softmax"). */
export function formatBlock(b) {
  return [b.type, ...BLOCK_FIELDS[b.type].map((name) => b[name])].join('-');
}

// One field's value from its text, within the vocabulary's range (or one of its names): what the
// link accepts, and so what the block editor accepts too.
export function fieldValue(s, field) {
  if (field.options) return field.options.includes(s) ? s : undefined;
  if (field.integer) return intIn(s, field.min, field.max);
  if (!/^\d{1,7}(\.\d{1,3})?$/.test(s)) return undefined;
  return +s >= field.min && +s <= field.max ? +s : undefined;
}

/** A block from its text, or undefined when any part is out of the engine's (or the editor's) range. */
export function parseBlock(s) {
  const { blockTypes, fields } = menusOf();
  const f = s.split('-');
  if (!blockTypes.includes(f[0]) || f.length !== fields[f[0]].length + 1) return undefined;
  const b = { type: f[0] };
  for (const [i, field] of fields[f[0]].entries()) {
    const v = fieldValue(f[i + 1], field);
    if (v === undefined) return undefined;
    b[field.name] = v;
  }
  return b;
}

/** A new block of a type, for the editor's "Add" and type menus (the engine's defaults where it has one). */
export function newBlock(type) {
  const { defaults } = menusOf();
  const pick = {
    conv: () => conv(8, 3, 1, 1),
    max: () => pool('max', 2),
    avg: () => pool('avg', 2),
    dropout: () => ({ type: 'dropout', rate: defaults.dropout.rate }),
    dense: () => dense(32),
    softmax: () => ({ ...softmax }),
  };
  return pick[type]();
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

function parsers() {
  const m = menusOf();
  return {
    dataset: oneOf(Object.keys(DATASETS).filter((d) => DATASETS[d].file)), // not 'mine': not in a URL
    net: parseNet,
    optimizer: oneOf(m.optimizers),
    lr: numIn(m.learningRates),
    batch: (s) => (isInt(s) && m.batches.includes(+s) ? +s : undefined),
    seed: (s) => intIn(s, 0, 2 ** 31 - 1),
    scale: oneOf(SCALES),
    image: (s) => intIn(s, 0, 99999),
    lang: oneOf(LANGS),
  };
}
export const KEYS = ['dataset', 'net', 'optimizer', 'lr', 'batch', 'seed', 'scale', 'image', 'lang'];

function format(key, value) {
  return key === 'net' ? value.map(formatBlock).join(',') : String(value);
}

/** Parses "#a=1&b=2" (against the engine's vocabulary): {state, problems}. */
export function parseHash(hash) {
  const state = defaultState();
  const problems = readParams(hash, parsers(), state);
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
  const l = { type: BLOCK_LAYERS[b.type] };
  for (const name of BLOCK_FIELDS[b.type]) l[name] = b[name];
  return l;
}

/**
 * The block for a layer of a model JSON; null for a layer the editor has no block for but can do
 * without (an activation layer, to fold into the block before it, or a flatten: blocks flatten as
 * needed); undefined for any other. Absent fields take the engine's defaults.
 */
export function blockOf(l) {
  const { defaults, activations } = menusOf();
  const type = Object.keys(BLOCK_LAYERS).find((b) => BLOCK_LAYERS[b] === l.type);
  if (type === undefined) return l.type === 'flatten' || activations.includes(l.type) ? null : undefined;
  const b = { type };
  for (const name of BLOCK_FIELDS[type]) {
    // The engine's rules for an absent field: no activation is 'linear'; a pool's stride is its
    // size (the vocabulary lists the stride's range, whose default is a convolution's).
    const absent =
      name === 'activation' ? 'linear' : name === 'stride' && type !== 'conv' ? b.size : defaults[type][name];
    b[name] = l[name] ?? absent;
  }
  return b;
}

/** The training spec (its data goes to the engine separately, as typed arrays). */
export function toSpec(state) {
  return {
    input: DATASETS[state.dataset].shape,
    layers: state.net.map(layerOf),
    loss: 'cross_entropy',
    optimizer: { type: state.optimizer, lr: state.lr },
    batch: state.batch,
    shards: SHARDS,
    seed: state.seed,
  };
}

export function toHyper(state) {
  return { optimizer: state.optimizer, lr: state.lr, batch: state.batch };
}
