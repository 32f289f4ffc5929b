// The playground's URL state: defaults, round trip, hostile values (web/playground/state.js).
import { describe, test, expect, beforeAll } from 'vitest';
import { loadEngine } from 'dlplay';
import { setVocabulary } from '../../web/kit/vocabulary.js';
import {
  parseHash,
  toHash,
  defaultState,
  toSpec,
  DEFAULTS,
  KEYS,
  MAX_LAYERS,
  MAX_NEURONS,
} from '../../web/playground/state.js';

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
    network: [8, 8, 1, 16, 2],
    activation: 'relu',
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
    expect(state.activation).toBe('tanh');
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
