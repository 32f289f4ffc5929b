// The gan view's own logic in Node: its strings in both languages, its hash keys (parsed by the
// kit's readParams, as the frame does), and the engine spec a state makes, which the engine takes.
import { test, expect, beforeAll } from 'vitest';
import { loadEngine } from 'dlplay';
import { readParams } from '../../web/kit/hash.js';
import { STRINGS } from '../../web/gan/strings.js';
import { PARSERS, DEFAULTS, FORMAT, specOf, settingsOf, buildKey } from '../../web/gan/state.js';

let dl;
beforeAll(async () => {
  dl = await loadEngine();
}, 30000);

test('English and Chinese have the same keys, none empty', () => {
  expect(Object.keys(STRINGS.zh).sort()).toEqual(Object.keys(STRINGS.en).sort());
  for (const lang of ['en', 'zh'])
    for (const [k, v] of Object.entries(STRINGS[lang])) expect(String(v).trim(), `${lang}.${k}`).not.toBe('');
});

test('hash keys: values in range are read, others reported and left at their defaults', () => {
  const state = { ...DEFAULTS };
  const problems = readParams(
    '#real=points&pts=-50,50,10,-20&noise=1&k=3&glr=0.01&dopt=sgd&heat=0',
    PARSERS,
    state,
  );
  expect(problems).toEqual([]);
  expect(state).toMatchObject({
    real: 'points',
    pts: [
      [-0.5, 0.5],
      [0.1, -0.2],
    ],
    noise: 1,
    k: 3,
    glr: 0.01,
  });
  expect(state.dopt).toBe('sgd');
  expect(state.heat).toBe(false);
  expect(FORMAT.pts(state.pts)).toBe('-50,50,10,-20');
  const bad = { ...DEFAULTS };
  const reported = readParams('#real=moon&pts=1,2,3&k=99&glr=0.123&pts2=1', PARSERS, bad);
  expect(reported.map((p) => `${p.key}:${p.reason}`)).toEqual([
    'real:invalid',
    'pts:invalid',
    'k:invalid',
    'glr:invalid',
    'pts2:unknown',
  ]);
  expect(bad).toEqual(DEFAULTS);
  expect(readParams('#pts=101,0', PARSERS, { ...DEFAULTS })[0].reason).toBe('invalid');
});

test('the spec of every kind of state is one the engine takes; drawing nothing makes none', () => {
  expect(specOf({ ...DEFAULTS, real: 'points', pts: [] })).toBeNull();
  for (const change of [
    {},
    { real: 'gaussians', noise: 1, gl: 1, gu: 4, dl: 3, du: 64 },
    { real: 'line', gopt: 'rmsprop', dopt: 'adagrad', k: 10, batch: 256 },
    { real: 'points', pts: [[0.2, 0.3]] },
  ]) {
    const state = { ...DEFAULTS, ...change };
    const gan = dl.gan(specOf(state));
    expect(gan.info().k).toBe(state.k);
    expect(gan.info().generator.layers).toHaveLength(state.gl + 1);
    gan.configure(settingsOf(state));
    expect(gan.step(3)).toHaveLength(3);
    gan.dispose();
  }
  expect(buildKey({ ...DEFAULTS, k: 5 })).toBe(buildKey(DEFAULTS)); // k is a setting, not a new GAN
  expect(buildKey({ ...DEFAULTS, noise: 1 })).not.toBe(buildKey(DEFAULTS));
});
