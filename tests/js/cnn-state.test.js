// The CNN page's URL state (web/cnn/state.js) and its zh/en text (web/cnn/i18n.js).
import { test, expect, describe, beforeAll } from 'vitest';
import { loadEngine } from 'dlplay';
import { setVocabulary } from '../../web/kit/vocabulary.js';
import {
  parseHash,
  toHash,
  defaultState,
  applyPreset,
  toSpec,
  parseBlock,
  fieldValue,
  menusOf,
  formatBlock,
  PRESET_NAMES,
} from '../../web/cnn/state.js';
import { readFileSync, readdirSync } from 'node:fs';
import { CNN_STRINGS, STRINGS, t, setLang } from '../../web/cnn/i18n.js';
import { menusOf, DATASETS } from '../../web/cnn/state.js';
import { KIT_STRINGS } from '../../web/kit/strings.js';

// The state's names and ranges come from the engine's vocabulary, as in the page.
beforeAll(async () => setVocabulary((await loadEngine()).vocabulary()), 30000);

describe('CNN state', () => {
  test("blocks follow the engine's vocabulary: dropout's default and range, activations", () => {
    expect(parseBlock('dropout-0.95')).toEqual({ type: 'dropout', rate: 0.95 });
    // The block editor takes what a link can hold, so every edited network survives its link.
    const rate = menusOf().fields.dropout.find((f) => f.name === 'rate');
    expect(fieldValue('0.125', rate)).toBe(0.125);
    expect(fieldValue('0.1234', rate)).toBeUndefined();
    expect(parseBlock('conv-8-5-1-2-softmax')).toBeUndefined();
  });

  test('defaults give an empty hash; every preset round-trips through the URL', () => {
    expect(toHash(defaultState())).toBe('');
    for (const name of PRESET_NAMES)
      for (const dataset of ['digits8x8', 'mnist10k']) {
        const s = applyPreset({ ...defaultState(), dataset, seed: 9, scale: 'global', image: 12 }, name);
        const { state, problems } = parseHash(toHash(s));
        expect(problems).toEqual([]);
        expect(state).toEqual(s);
      }
  });

  test('blocks parse only within range', () => {
    for (const s of [
      'conv-8-5-1-2-relu',
      'max-2-2',
      'avg-3-1',
      'dropout-0.25',
      'dense-10-softmax',
      'softmax',
    ])
      expect(formatBlock(parseBlock(s))).toBe(s);
    for (const s of ['conv-0-5-1-2-relu', 'conv-8-5-1-2-evil', 'max-9-2', 'dropout-1', 'dense-10', 'x', ''])
      expect(parseBlock(s)).toBeUndefined();
    const { state, problems } = parseHash('#net=conv-8-5-1-2-relu,<script>&lr=7&foo=1');
    expect(state.net).toEqual(defaultState().net);
    expect(problems.map((p) => [p.key, p.reason])).toEqual([
      ['net', 'invalid'],
      ['lr', 'invalid'],
      ['foo', 'unknown'],
    ]);
  });

  test('the spec is the one the engine takes', () => {
    const spec = toSpec(applyPreset(defaultState(), 'convnetjs'));
    expect(spec.input).toEqual([1, 28, 28]);
    expect(spec.loss).toBe('cross_entropy');
    expect(spec.layers[0]).toEqual({
      type: 'conv2d',
      filters: 8,
      kernel: 5,
      stride: 1,
      padding: 2,
      activation: 'relu',
    });
    expect(spec.layers.at(-1)).toEqual({ type: 'softmax' });
    expect(spec.data).toBeUndefined();
  });
});

// A string, or the forms of a plural entry ({one, other}) joined.
const text = (v) => (typeof v === 'string' ? v : Object.values(v).join(' | '));
const placeholders = (s) => [...new Set([...text(s).matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();

describe('CNN text', () => {
  test('zh and en have the same keys, none empty, the same placeholders', () => {
    expect(Object.keys(CNN_STRINGS.zh).sort()).toEqual(Object.keys(CNN_STRINGS.en).sort());
    for (const lang of ['en', 'zh'])
      for (const [k, v] of Object.entries(CNN_STRINGS[lang]))
        expect(text(v).trim(), `${lang}.${k}`).not.toBe('');
    for (const k of Object.keys(CNN_STRINGS.en))
      expect(placeholders(CNN_STRINGS.zh[k]), k).toEqual(placeholders(CNN_STRINGS.en[k]));
  });

  test("the kit's strings (play, pause, the link's problems, dismiss, Share) come from the kit", () => {
    for (const k of Object.keys(KIT_STRINGS.en)) expect(Object.hasOwn(CNN_STRINGS.en, k), k).toBe(false);
    expect([STRINGS.en.play, STRINGS.en.pause, STRINGS.zh.play, STRINGS.zh.pause]).toEqual([
      'Play',
      'Pause',
      '播放',
      '暂停',
    ]);
    for (const k of ['urlProblems', 'urlProblemInvalid', 'urlProblemUnknown', 'dismiss', 'share'])
      expect(Object.hasOwn(STRINGS.en, k) && Object.hasOwn(STRINGS.zh, k), k).toBe(true);
  });

  test('every key cnn.html and web/cnn/*.js use has a text, and so has every name from the engine shown', () => {
    const html = readFileSync(new URL('../../web/cnn.html', import.meta.url), 'utf8');
    const keys = [...html.matchAll(/data-i18n="(\w+)"/g)].map((m) => m[1]);
    for (const m of html.matchAll(/data-i18n-attr="([^"]+)"/g))
      for (const pair of m[1].split(',')) keys.push(pair.split(':')[1]);
    const dir = new URL('../../web/cnn/', import.meta.url);
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      const js = readFileSync(new URL(f, dir), 'utf8');
      for (const m of js.matchAll(/\bt\(\s*'(\w+)'/g)) keys.push(m[1]);
    }
    expect(keys.length).toBeGreaterThan(60);
    for (const k of keys) expect(Object.hasOwn(STRINGS.en, k), k).toBe(true);
    const m = menusOf();
    const shown = [
      ...m.optimizers,
      ...m.activations,
      ...m.blockTypes,
      ...Object.values(m.fields).flatMap((f) => f.map((x) => x.name)),
      ...Object.keys(DATASETS).filter((d) => d !== 'mine'),
      ...PRESET_NAMES,
      ...['play', 'data', 'blocks', 'optimizer', 'presets', 'save', 'draw', 'share'].map((g) => `group_${g}`),
    ];
    for (const k of shown) expect(Object.hasOwn(CNN_STRINGS.en, k), k).toBe(true);
  });

  test('counts take their plural forms: 1 drawing, 12 drawings; 1 filter, 8 filters', () => {
    setLang('en');
    expect(t('mineCount', { count: 1 })).toBe('1 drawing in my data set');
    expect(t('mineCount', { count: 12 })).toBe('12 drawings in my data set');
    expect(t('mineCount', { count: 0 })).toBe('0 drawings in my data set');
    expect(t('filtersOf', { n: 1, count: 1, shape: '1×3×3' })).toBe('Layer 1: 1 filter of 1×3×3');
    expect(t('filtersOf', { n: 1, count: 8, shape: '1×3×3' })).toBe('Layer 1: 8 filters of 1×3×3');
    expect(t('featureMapsOf', { n: 1, type: 'Convolution', count: 1, shape: '8×8' })).toBe(
      'Layer 1: Convolution, 1 map of 8×8',
    );
    expect(t('valuesOf', { n: 3, type: 'Dense', count: 10 })).toBe('Layer 3: Dense, 10 values');
    expect(t('totalParams', { count: 1, n: '1' })).toBe('1 parameter in all');
    expect(t('totalParams', { count: 5994, n: '5,994' })).toBe('5,994 parameters in all');
    expect(t('uploaded', { count: 1, skipped: 0 })).toMatch(/^Added 1 image to my data set/);
    expect(t('uploaded', { count: 12, skipped: 1 })).toMatch(/^Added 12 images to my data set \(1 skipped/);
    expect(t('confusionCell', { count: 1, t: 3, p: 5 })).toBe('1 test image of 3 predicted as 5');
    expect(t('cellExamples', { count: 40, t: 3, p: 3 })).toBe('True 3, predicted 3: 40 images');
    expect(t('mineTooFew', { count: 10 })).toMatch(/^Draw at least 10 digits/);
    setLang('zh');
    expect(t('mineCount', { count: 1 })).toBe('我的数据集中有 1 个数字');
    expect(t('filtersOf', { n: 1, count: 8, shape: '1×3×3' })).toBe('第 1 层：8 个卷积核，每个 1×3×3');
    setLang('en');
  });
});
