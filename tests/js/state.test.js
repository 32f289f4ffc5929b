// The playground's URL state: defaults, round trip, hostile values (web/playground/state.js).
import { describe, test, expect, beforeAll } from 'vitest';
import { loadEngine } from 'dlplay';
import { setVocabulary } from '../../web/kit/vocabulary.js';
import {
  parseHash,
  toHash,
  defaultState,
  DEFAULTS,
  KEYS,
  MAX_LAYERS,
  MAX_NEURONS,
} from '../../web/playground/state.js';
import { toSpec, denseIndices, weightsOf, editedWeights } from '../../web/playground/spec.js';

// The state's names come from the engine's vocabulary, as in the page.
beforeAll(async () => setVocabulary((await loadEngine()).vocabulary()), 30000);

describe('defaults', () => {
  test('an empty hash gives the defaults and no problems', () => {
    for (const h of ['', '#', undefined, null]) {
      const { state, problems } = parseHash(h);
      expect(state).toEqual(defaultState());
      expect(problems).toEqual([]);
    }
  });
  test('the defaults serialise to an empty hash', () => {
    expect(toHash(defaultState())).toBe('');
  });
  test('the default spec is the TF Playground circle with a 2-4-2-1 tanh network', () => {
    const spec = toSpec(defaultState());
    expect(spec.features).toEqual(['x1', 'x2']);
    expect(spec.input).toEqual([2]);
    expect(spec.layers.map((l) => l.units)).toEqual([4, 2, 1]);
    expect(spec.layers.every((l) => l.activation === 'tanh')).toBe(true);
    expect(spec.data).toEqual({ name: 'circle', n: 500, noise: 0, test_ratio: 0.5 });
    expect(spec.optimizer).toEqual({ type: 'sgd', lr: 0.03 });
    expect(spec.loss).toBe('mse');
  });
  test('defaultState returns fresh arrays', () => {
    const a = defaultState();
    a.network.push(3);
    expect(defaultState().network).toEqual([...DEFAULTS.network]);
  });
});

describe('round trip', () => {
  const changed = {
    ...defaultState(),
    dataset: 'spiral',
    noise: 35,
    ratio: 70,
    batch: 3,
    features: ['x1', 'x2', 'sinx1', 'x1x2'],
    classes: 4,
    network: [8, 8, 1, 16, 2],
    activation: ['relu', 'relu', 'tanh', 'relu', 'sigmoid'],
    dropout: [0, 0.2, 0, 0, 0.5],
    loss: 'cross_entropy',
    stopEpoch: 100,
    stopLoss: 0.05,
    lr: 0.003,
    optimizer: 'adam',
    reg: 'l2',
    regRate: 0.001,
    showTest: true,
    discretize: true,
    seed: 42,
    speed: 10,
    lang: 'zh',
  };
  test('every field survives toHash → parseHash', () => {
    const { state, problems } = parseHash(toHash(changed));
    expect(problems).toEqual([]);
    // features come back in canonical order
    expect(state).toEqual({ ...changed, features: ['x1', 'x2', 'x1x2', 'sinx1'] });
  });
  test('regression data sets set the problem type', () => {
    const { state } = parseHash('#dataset=multi_gaussian');
    expect(state.problem).toBe('regression');
    expect(toSpec(state).layers.at(-1).activation).toBe('linear');
    expect(parseHash(toHash(state)).state).toEqual(state);
  });
  test('no hidden layers round-trips', () => {
    const s = { ...defaultState(), network: [] };
    expect(toHash(s)).toBe('#network=');
    expect(parseHash(toHash(s)).state.network).toEqual([]);
  });
  test('user points round-trip (rounded to 2 decimals)', () => {
    const s = {
      ...defaultState(),
      dataset: 'custom',
      points: [
        [1.234, -5.5, 1],
        [0, 0, 0],
        [-6, 6, 1],
      ],
    };
    const { state, problems } = parseHash(toHash(s));
    expect(problems).toEqual([]);
    expect(state.points).toEqual([
      [1.23, -5.5, 1],
      [0, 0, 0],
      [-6, 6, 1],
    ]);
    expect(toSpec(state).data).toEqual({
      x: [
        [1.23, -5.5],
        [0, 0],
        [-6, 6],
      ],
      y: [1, 0, 1],
      test_ratio: 0.5,
    });
  });
  test('own regression points become target rows the engine trains on', async () => {
    const state = {
      ...defaultState(),
      problem: 'regression',
      dataset: 'custom',
      ratio: 100 - 25,
      points: [
        [1, 2, 0.132],
        [-1, 0.5, -0.4],
        [3, -2, 0.9],
        [0, 0, 0],
      ],
    };
    const spec = toSpec(state);
    expect(spec.data.y).toEqual([[0.132], [-0.4], [0.9], [0]]);
    const s = (await loadEngine()).session(spec);
    expect(s.info().classes).toBe(0);
    expect(s.train(5).trainLoss).toBeGreaterThan(0);
    s.dispose();
  });
  test('the hash holds only what differs from the defaults', () => {
    expect(toHash({ ...defaultState(), lr: 0.1 })).toBe('#lr=0.1');
  });
});

describe('hostile and invalid values', () => {
  const hostile = [
    ['activation', '<img src=x onerror=window.__xss=1>'],
    ['dataset', '"><script>alert(1)</script>'],
    ['network', '4,2,<b>'],
    ['network', '1,2,3,4,5,6,7,8,9'],
    ['network', `${MAX_NEURONS + 1}`],
    ['network', '0'],
    ['network', '2.5'],
    ['features', 'x1,x3'],
    ['features', 'x1,x1'],
    ['features', ''],
    ['lr', '0.02'],
    ['lr', 'NaN'],
    ['lr', 'Infinity'],
    ['lr', '1e400'],
    ['noise', '7'],
    ['noise', '-5'],
    ['ratio', '95'],
    ['batch', '0'],
    ['batch', '31'],
    ['batch', '1e1'],
    ['regRate', '0.5'],
    ['reg', 'l3'],
    ['optimizer', 'constructor'],
    ['problem', '__proto__'],
    ['showTest', 'yes'],
    ['seed', '-1'],
    ['seed', '99999999999999'],
    ['lang', 'fr'],
    ['speed', '5'],
    ['points', '1,2'],
    ['points', '7,0,1'],
    ['points', '1,2,NaN'],
    ['points', '1,2,1.5'],
    ['points', '1,2,6'],
    ['classes', '1'],
    ['classes', '7'],
    ['loss', 'hinge'],
    ['dropout', '0.4'],
    ['stopEpoch', '3'],
    ['stopLoss', '-1'],
    ['weights', 'a_b'],
    ['weights', '1,2'],
    ['weights', '1e9_0'],
  ];
  test.each(hostile)('%s=%s falls back to the default and is reported', (key, value) => {
    const { state, problems } = parseHash(`#${key}=${encodeURIComponent(value)}`);
    expect(state[key]).toEqual(defaultState()[key]);
    expect(problems).toEqual([{ key, value, reason: 'invalid' }]);
  });
  test('unknown keys are reported, prototype keys do nothing', () => {
    const { state, problems } = parseHash('#__proto__=1&constructor=2&foo=%3Cb%3E');
    expect(state).toEqual(defaultState());
    expect(problems.map((p) => p.key)).toEqual(['__proto__', 'constructor', 'foo']);
    expect(problems.every((p) => p.reason === 'unknown')).toBe(true);
    expect({}.polluted).toBeUndefined();
  });
  test('good values survive next to bad ones', () => {
    const { state, problems } = parseHash('#activation=%3Cimg%3E&lr=0.1&network=3');
    expect(state.activation).toEqual(['tanh']);
    expect(state.lr).toBe(0.1);
    expect(state.network).toEqual([3]);
    expect(problems).toHaveLength(1);
  });
  test('dataset=custom without points falls back', () => {
    const { state, problems } = parseHash('#dataset=custom');
    expect(state.dataset).toBe('circle');
    expect(problems[0].key).toBe('points');
  });
  test('limits are the issue’s: 8 layers of 16 neurons', () => {
    const net = Array(MAX_LAYERS).fill(MAX_NEURONS);
    expect(parseHash(`#network=${net.join(',')}`).state.network).toEqual(net);
  });
  test('every key has a parser and a default', () => {
    for (const k of KEYS) expect(Object.hasOwn(DEFAULTS, k)).toBe(true);
  });
  test('a huge hash does not throw', () => {
    expect(() => parseHash(`#${'a=%ZZ&'.repeat(10000)}`)).not.toThrow();
  });
});

describe('what the engine is asked to train', () => {
  test('three Gaussian clusters: a softmax over three outputs, the set asked for three classes', () => {
    const { state } = parseHash('#dataset=gaussian&classes=3&loss=cross_entropy');
    const spec = toSpec(state);
    expect(spec.layers.at(-1)).toEqual({ type: 'dense', units: 3, activation: 'softmax' });
    expect(spec.data.classes).toBe(3);
    expect(spec.loss).toBe('cross_entropy');
  });
  test('two classes: tanh with mse, sigmoid with cross-entropy; regression: linear and mse', () => {
    expect(toSpec(parseHash('').state).layers.at(-1).activation).toBe('tanh');
    expect(toSpec(parseHash('#loss=cross_entropy').state).layers.at(-1).activation).toBe('sigmoid');
    const r = parseHash('#dataset=plane&loss=cross_entropy').state;
    expect(r.loss).toBe('mse');
    expect(toSpec(r).layers.at(-1)).toMatchObject({ units: 1, activation: 'linear' });
  });
  test('a built-in set without classes ignores the class count', () => {
    const { state } = parseHash('#dataset=circle&classes=4');
    expect(toSpec(state).layers.at(-1).units).toBe(1);
    expect(toSpec(state).data.classes).toBeUndefined();
    expect(toHash(state)).toBe('');
  });
  test('own points with labels 0…2 are three classes', () => {
    const { state } = parseHash('#dataset=custom&points=0,0,0;1,1,1;2,2,2;3,3,1');
    expect(toSpec(state).layers.at(-1)).toMatchObject({ units: 3, activation: 'softmax' });
    expect(toSpec(state).data.y).toEqual([0, 1, 2, 1]);
  });
  test('per-layer activations and dropout become layers; one value means every layer', () => {
    const { state } = parseHash('#network=3,2&activation=relu,tanh&dropout=0.2,0');
    expect(toSpec(state).layers.map((l) => l.type + (l.activation ?? l.rate))).toEqual([
      'denserelu',
      'dropout0.2',
      'densetanh',
      'densetanh',
    ]);
    expect(denseIndices(state)).toEqual([0, 2, 3]);
    expect(parseHash('#network=3,3,3&activation=relu').state.activation).toEqual(['relu', 'relu', 'relu']);
    expect(toHash({ ...state, activation: ['relu', 'relu'] })).toContain('activation=relu&');
  });
});

describe('hand-edited weights', () => {
  // 2 features → 1 hidden neuron → 1 output: 2 + 1 and 1 + 1 values.
  const hash = '#network=1&weights=0.5,-1.25_0.1;2_0';
  test('survive the URL, four significant digits', () => {
    const { state, problems } = parseHash(hash);
    expect(problems).toEqual([]);
    expect(state.weights).toEqual([
      { weights: [0.5, -1.25], bias: [0.1] },
      { weights: [2], bias: [0] },
    ]);
    expect(toHash(state)).toBe(hash);
    expect(
      toHash({ ...state, weights: [{ weights: [0.123456, 1], bias: [-0] }, state.weights[1]] }),
    ).toContain('weights=0.1235,1_0;');
  });
  test('reach the engine on the dense layers, whatever dropout sits between', () => {
    const { state } = parseHash(`${hash}&dropout=0.1`);
    const w = weightsOf(state);
    expect(w[1]).toBeNull();
    expect(Array.from(w[0].weights)).toEqual([0.5, -1.25]);
    expect(w[0].shape).toEqual([1, 2]);
    expect(Array.from(w[2].bias)).toEqual([0]);
    const params = [w[0], { weights: new Float32Array(0), bias: new Float32Array(0) }, w[2]];
    expect(toHash({ ...state, weights: editedWeights(state, params) })).toBe(toHash(state));
  });
  test('that do not fit the network are dropped and reported', () => {
    const { state, problems } = parseHash('#network=2&weights=0.5,-1.25_0.1;2_0');
    expect(state.weights).toBeNull();
    expect(problems).toEqual([expect.objectContaining({ key: 'weights', reason: 'shape' })]);
  });
});
