// Properties of the MLP page's URL hash state (web/playground/state.js) over generated hashes:
// parseHash never throws, every field of its state stays in its allowed set, and toHash of that
// state parses back to it (points and weights as the URL writes them: 2 decimals, 4 digits).
import { describe, test, expect, beforeAll } from 'vitest';
import fc from 'fast-check';
import { loadEngine } from 'dlplay';
import { setVocabulary } from '../../web/kit/vocabulary.js';
import {
  parseHash,
  toHash,
  fits,
  classRange,
  KEYS,
  PROBLEMS,
  LEARNING_RATES,
  REGULARIZATION_RATES,
  DROPOUT_RATES,
  STOP_EPOCHS,
  STOP_LOSSES,
  LANGS,
  SPEEDS,
  MAX_LAYERS,
  MAX_NEURONS,
  MAX_CLASSES,
  EXTENT,
  datasets,
  features,
  activations,
  optimizers,
  regularizations,
  losses,
} from '../../web/playground/state.js';

// The state's names come from the engine's vocabulary, as in the page.
beforeAll(async () => setVocabulary((await loadEngine()).vocabulary()), 30000);

// FC_RUNS=20000 runs each property longer (the default keeps npm test quick).
const RUNS = { numRuns: Number(process.env.FC_RUNS) || 400 };
const TIMEOUT = 600_000; // for FC_RUNS; the default runs take well under a second each
const pick = (list) => fc.constantFrom(...list);
const num = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.double({ min: -10, max: 10, noNaN: true }).map(String),
  pick(['0.5', '-0', '1e-3', '6', '-6', '6.0001', '1e6', '1e7', 'NaN', 'Infinity', '.5', '5.', '0x10', '']),
);
const list = (one, max = 10) => fc.array(one, { maxLength: max }).map((a) => a.join(','));

// Values near what each key accepts (valid ones, off-by-one ones and junk), chosen per key.
function valueFor(key) {
  const junk = fc.oneof(fc.string({ maxLength: 12 }), num);
  const near = {
    dataset: pick([...datasets('classification'), ...datasets('regression'), 'custom', 'Circle']),
    classes: fc.integer({ min: 0, max: 8 }).map(String),
    noise: fc.integer({ min: -5, max: 55 }).map(String),
    ratio: fc.integer({ min: 0, max: 100 }).map(String),
    batch: fc.integer({ min: 0, max: 31 }).map(String),
    features: list(pick([...features(), 'x3']), 8),
    network: list(fc.integer({ min: 0, max: MAX_NEURONS + 1 }).map(String), MAX_LAYERS + 1),
    activation: list(pick([...activations(), 'softmax']), MAX_LAYERS + 1),
    dropout: list(pick([...DROPOUT_RATES.map(String), '0.4', '1']), MAX_LAYERS + 1),
    loss: pick([...losses(), 'hinge']),
    lr: pick([...LEARNING_RATES.map(String), '0.02', '1e-5', '3e0']),
    optimizer: pick([...optimizers(), 'lbfgs']),
    reg: pick([...regularizations(), 'l3']),
    regRate: pick([...REGULARIZATION_RATES.map(String), '0.002']),
    problem: pick([...PROBLEMS, 'ranking']),
    stopEpoch: pick([...STOP_EPOCHS.map(String), '15']),
    stopLoss: pick([...STOP_LOSSES.map(String), '0.5']),
    showTest: pick(['0', '1', 'true', 'false', 'yes']),
    discretize: pick(['0', '1', 'true', 'false', '']),
    seed: fc.oneof(fc.integer({ min: -1, max: 2 ** 31 }).map(String), pick(['1.5', '1e3'])),
    init: fc.integer({ min: -1, max: 2 ** 31 }).map(String),
    weights: fc
      .array(fc.tuple(list(num, 20), list(num, 6)), { minLength: 1, maxLength: MAX_LAYERS + 2 })
      .map((layers) => layers.map(([w, b]) => `${w}_${b}`).join(';')),
    speed: pick([...SPEEDS.map(String), '5']),
    lang: pick([...LANGS, 'fr']),
    points: fc
      .array(fc.tuple(num, num, num), { minLength: 1, maxLength: 12 })
      .map((rows) => rows.map((r) => r.join(',')).join(';')),
  }[key];
  return near ? fc.oneof({ weight: 4, arbitrary: near }, { weight: 1, arbitrary: junk }) : junk;
}

const hashes = () =>
  fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.string({ unit: pick([...'=&#%,;_.-+e0123456789abcxyz ']), maxLength: 120 }),
    fc
      .array(
        fc.oneof(
          { weight: 6, arbitrary: pick(KEYS).chain((k) => valueFor(k).map((v) => [k, v])) },
          { weight: 1, arbitrary: fc.tuple(pick(['view', 'hide', 'lock', 'x', '']), fc.string()) },
        ),
        { maxLength: 12 },
      )
      .chain((pairs) =>
        fc.boolean().map((encode) => {
          const q = pairs.map(([k, v]) => `${k}=${encode ? encodeURIComponent(v) : v}`).join('&');
          return encode ? `#${q}` : q;
        }),
      ),
  );

const round = (v, d) => {
  const r = +v.toFixed(d);
  return Object.is(r, -0) ? 0 : r;
};
const short = (v) => {
  const r = Number(Number(v).toPrecision(4));
  return Object.is(r, -0) ? 0 : r;
};
// The state as the URL can hold it: points to 2 decimals (labels 3), weights to 4 significant digits;
// a class count only for a data set that takes one (parseHash keeps "classes=3" for the circle,
// which toHash leaves out: docs/fuzzing.md, J1).
const asWritten = (s) => ({
  ...s,
  classes: classRange(s.dataset) ? s.classes : 2,
  points: s.points && s.points.map(([x, y, l]) => [round(x, 2), round(y, 2), round(l, 3)]),
  weights: s.weights && s.weights.map((l) => ({ weights: l.weights.map(short), bias: l.bias.map(short) })),
});

// -0 as 0: "seed=-0" or "speed=-0" is read as −0, written back as 0 (docs/fuzzing.md, J2).
const plain = (s) => JSON.parse(JSON.stringify(s));

const within = (list) => (v) => list.includes(v);
const isInt = (lo, hi) => (v) => Number.isInteger(v) && v >= lo && v <= hi;

function checkFields(s) {
  const perLayer = s.network.length;
  expect(within([...datasets('classification'), ...datasets('regression'), 'custom'])(s.dataset)).toBe(true);
  expect(isInt(2, MAX_CLASSES)(s.classes)).toBe(true);
  expect(isInt(0, 50)(s.noise) && s.noise % 5 === 0).toBe(true);
  expect(isInt(10, 90)(s.ratio) && s.ratio % 10 === 0).toBe(true);
  expect(isInt(1, 30)(s.batch)).toBe(true);
  const all = features();
  expect(s.features.length).toBeGreaterThan(0);
  expect(s.features).toEqual(all.filter((f) => s.features.includes(f))); // known, once, in order
  expect(perLayer).toBeLessThanOrEqual(MAX_LAYERS);
  expect(s.network.every(isInt(1, MAX_NEURONS))).toBe(true);
  expect(s.activation).toHaveLength(perLayer);
  expect(s.activation.every(within(activations()))).toBe(true);
  expect(s.dropout).toHaveLength(perLayer);
  expect(s.dropout.every(within(DROPOUT_RATES))).toBe(true);
  expect(within(losses())(s.loss)).toBe(true);
  expect(within(LEARNING_RATES)(s.lr)).toBe(true);
  expect(within(optimizers())(s.optimizer)).toBe(true);
  expect(within(regularizations())(s.reg)).toBe(true);
  expect(within(REGULARIZATION_RATES)(s.regRate)).toBe(true);
  expect(within(PROBLEMS)(s.problem)).toBe(true);
  if (s.problem === 'regression') expect(s.loss).toBe('mse');
  expect(s.stopEpoch === null || STOP_EPOCHS.includes(s.stopEpoch)).toBe(true);
  expect(s.stopLoss === null || STOP_LOSSES.includes(s.stopLoss)).toBe(true);
  expect(typeof s.showTest).toBe('boolean');
  expect(typeof s.discretize).toBe('boolean');
  expect(isInt(0, 2 ** 31 - 1)(s.seed)).toBe(true);
  expect(s.init === null || isInt(0, 2 ** 31 - 1)(s.init)).toBe(true);
  expect(s.weights === null || fits(s.weights, s)).toBe(true);
  if (s.weights)
    for (const v of s.weights.flatMap((l) => [...l.weights, ...l.bias]))
      expect(Number.isFinite(v) && Math.abs(v) <= 1e6).toBe(true);
  expect(within(SPEEDS)(s.speed)).toBe(true);
  expect(s.lang === null || LANGS.includes(s.lang)).toBe(true);
  // Own points exactly when the data set is "custom", each inside the map with a valid label.
  expect(s.points !== null).toBe(s.dataset === 'custom');
  for (const [x, y, l] of s.points ?? []) {
    expect(Math.abs(x) <= EXTENT && Math.abs(y) <= EXTENT).toBe(true);
    if (s.problem === 'classification') expect(isInt(0, MAX_CLASSES - 1)(l)).toBe(true);
    else expect(Number.isFinite(l) && Math.abs(l) <= MAX_CLASSES).toBe(true);
  }
}

describe('parseHash over generated hashes', () => {
  test(
    'never throws; problems are {key, value, reason} strings',
    () => {
      fc.assert(
        fc.property(fc.oneof(hashes(), fc.constantFrom(undefined, null, '', '#')), (h) => {
          const { state, problems } = parseHash(h);
          expect(state).toBeTypeOf('object');
          for (const p of problems) {
            expect(typeof p.key).toBe('string');
            expect(typeof p.value).toBe('string');
            expect(typeof p.reason).toBe('string');
          }
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  test(
    'every field of the state stays in its allowed set',
    () => {
      fc.assert(
        fc.property(hashes(), (h) => checkFields(parseHash(h).state)),
        RUNS,
      );
    },
    TIMEOUT,
  );

  test(
    'toHash(parseHash(h).state) parses back to the same state, without problems',
    () => {
      fc.assert(
        fc.property(hashes(), (h) => {
          const first = parseHash(h).state;
          const hash = toHash(first);
          const again = parseHash(hash);
          expect(again.problems).toEqual([]);
          expect(plain(again.state)).toEqual(plain(asWritten(first)));
          // and from there on, exactly: the URL is a fixed point after one writing
          expect(toHash(again.state)).toBe(hash);
          expect(parseHash(toHash(again.state)).state).toEqual(again.state);
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );
});
