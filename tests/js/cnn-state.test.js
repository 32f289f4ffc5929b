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
  formatBlock,
  PRESET_NAMES,
} from '../../web/cnn/state.js';
import { CNN_STRINGS } from '../../web/cnn/i18n.js';

// The state's names and ranges come from the engine's vocabulary, as in the page.
beforeAll(async () => setVocabulary((await loadEngine()).vocabulary()), 30000);

describe('CNN state', () => {
  test("blocks follow the engine's vocabulary: dropout's default and range, activations", () => {
    expect(parseBlock('dropout-0.95')).toEqual({ type: 'dropout', rate: 0.95 });
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

  test('zh and en have the same keys, none empty', () => {
    expect(Object.keys(CNN_STRINGS.zh).sort()).toEqual(Object.keys(CNN_STRINGS.en).sort());
    for (const lang of ['en', 'zh']) for (const v of Object.values(CNN_STRINGS[lang])) expect(v).not.toBe('');
  });
});
