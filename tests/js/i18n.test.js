// UI text: every key in both languages, placeholders match, language detection.
import { test, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadEngine } from 'dlplay';
import { STRINGS, detectLang, setLang, t } from '../../web/playground/i18n.js';
import { PROBLEMS } from '../../web/playground/state.js';
import { setVocabulary } from '../../web/kit/vocabulary.js';

let vocabulary;
beforeAll(async () => {
  vocabulary = (await loadEngine()).vocabulary();
  setVocabulary(vocabulary);
}, 30000);

// A string, or the forms of a plural entry ({one, other}) joined.
const text = (v) => (typeof v === 'string' ? v : Object.values(v).join(' | '));
const placeholders = (s) => [...new Set([...text(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

test('English and Chinese have the same keys, none empty', () => {
  expect(Object.keys(STRINGS).sort()).toEqual(['en', 'zh']);
  expect(Object.keys(STRINGS.zh).sort()).toEqual(Object.keys(STRINGS.en).sort());
  for (const lang of ['en', 'zh'])
    for (const [k, v] of Object.entries(STRINGS[lang])) expect(text(v).trim(), `${lang}.${k}`).not.toBe('');
});

test('placeholders match between languages', () => {
  for (const k of Object.keys(STRINGS.en))
    expect(placeholders(STRINGS.zh[k]), k).toEqual(placeholders(STRINGS.en[k]));
});

test('every name in the engine vocabulary the page shows has a label', () => {
  const needed = [
    ...vocabulary.activations.filter((a) => a !== 'softmax'),
    ...vocabulary.optimizers.map((o) => o.type),
    ...vocabulary.regularizations,
    ...PROBLEMS,
    ...vocabulary.datasets.map((d) => d.name),
  ];
  needed.push('custom', ...vocabulary.features);
  for (const k of needed) expect(Object.hasOwn(STRINGS.en, k), k).toBe(true);
});

test('every data-i18n key used by the page exists', () => {
  const html = readFileSync(new URL('../../web/index.html', import.meta.url), 'utf8');
  const keys = [...html.matchAll(/data-i18n="(\w+)"/g)].map((m) => m[1]);
  for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g))
    for (const pair of m[1].split(',')) keys.push(pair.split(':')[1]);
  expect(keys.length).toBeGreaterThan(10);
  for (const k of keys) expect(Object.hasOwn(STRINGS.en, k), k).toBe(true);
  const js = ['main.js', 'network.js']
    .map((f) => readFileSync(new URL(`../../web/playground/${f}`, import.meta.url), 'utf8'))
    .join('\n');
  for (const m of js.matchAll(/\bt\('(\w+)'/g)) expect(Object.hasOwn(STRINGS.en, m[1]), m[1]).toBe(true);
});

test('play and pause are named as the issue asks', () => {
  expect([STRINGS.en.play, STRINGS.en.pause]).toEqual(['Play', 'Pause']);
  expect([STRINGS.zh.play, STRINGS.zh.pause]).toEqual(['播放', '暂停']);
  expect([STRINGS.en.trainingLoss, STRINGS.en.testLoss, STRINGS.en.epoch]).toEqual([
    'Training loss',
    'Test loss',
    'Epoch',
  ]);
});

test('counts take their plural forms: 1 hidden layer, 2 hidden layers', () => {
  setLang('en');
  expect(t('layersCount', { count: 1 })).toBe('1 hidden layer');
  expect(t('layersCount', { count: 2 })).toBe('2 hidden layers');
  expect(t('layersCount', { count: 0 })).toBe('0 hidden layers');
  expect(t('neuronsCount', { count: 1 })).toBe('1 neuron');
  expect(t('neuronsCount', { count: 16 })).toBe('16 neurons');
  setLang('zh');
  expect(t('layersCount', { count: 1 })).toBe('1 个隐藏层');
  expect(t('neuronsCount', { count: 3 })).toBe('3 个神经元');
  setLang('en');
});

test('the browser language picks the default', () => {
  expect(detectLang(['zh-CN', 'en'])).toBe('zh');
  expect(detectLang(['zh-TW'])).toBe('zh');
  expect(detectLang(['en-GB', 'zh'])).toBe('en');
  expect(detectLang(['fr-FR', 'zh-CN'])).toBe('zh');
  expect(detectLang(['fr'])).toBe('en');
  expect(detectLang([])).toBe('en');
  expect(detectLang(undefined)).toBe('en');
});

test('t fills placeholders and falls back', () => {
  setLang('zh');
  expect(t('addNeuron', { n: 2 })).toBe('给第 2 层添加神经元');
  expect(t('no-such-key')).toBe('no-such-key');
  expect(setLang('fr')).toBe('en');
  expect(t('addNeuron', { n: 3 })).toBe('Add a neuron to layer 3');
});
