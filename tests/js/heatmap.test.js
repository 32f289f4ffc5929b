// The playground's colours (web/playground/heatmap.js): the class colours, the orange–white–blue
// scale, the class map and the probability thumbnails; the legend (dataplot.js) and the
// explanations' texts (explain-strings.js).
import { describe, test, expect } from 'vitest';
import {
  CLASS_COLORS,
  classColor,
  colorOf,
  scale,
  drawGrid,
  drawClassMap,
  drawProbGrid,
  unitRange,
} from '../../web/playground/heatmap.js';
import { renderLegend } from '../../web/playground/dataplot.js';
import {
  featureHelp,
  neuronHelp,
  outputHelp,
  linkHelp,
  legendHelp,
  lossHelp,
  accuracyHelp,
  biasHelp,
  formatNumber,
  LEGEND_STRINGS,
} from '../../web/playground/explain-strings.js';

const ORANGE = [245, 147, 34]; // #f59322
const BLUE = [8, 119, 189]; // #0877bd
const WHITE = [255, 255, 255];
const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const parse = (css) => css.match(/\d+/g).map(Number);

// A canvas that keeps what putImageData put.
function fakeCanvas() {
  const canvas = {
    width: 0,
    height: 0,
    image: null,
    getContext: () => ({
      createImageData: (w, h) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
      putImageData: (img) => (canvas.image = img),
    }),
    // The pixel at canvas column x, row y (row 0 at the top).
    pixel(x, y) {
      const o = (y * canvas.image.width + x) * 4;
      return [...canvas.image.data.slice(o, o + 4)];
    },
  };
  return canvas;
}
const close = (a, b, tol = 1) => a.every((v, i) => Math.abs(v - b[i]) <= tol);

describe('class colours', () => {
  test('six distinct colours, orange and blue first; classColor wraps', () => {
    expect(CLASS_COLORS).toHaveLength(6);
    expect(CLASS_COLORS[0]).toBe('#f59322');
    expect(CLASS_COLORS[1]).toBe('#0877bd');
    for (const c of CLASS_COLORS) expect(c).toMatch(/^#[0-9a-f]{6}$/);
    for (let k = 0; k < 6; k++) expect(classColor(k)).toBe(CLASS_COLORS[k]);
    expect(classColor(6)).toBe(CLASS_COLORS[0]);
    // Far apart in RGB, pairwise, and none close to white (readable on the page).
    for (let i = 0; i < 6; i++) {
      for (let j = i + 1; j < 6; j++) {
        const d = Math.hypot(...rgb(CLASS_COLORS[i]).map((v, c) => v - rgb(CLASS_COLORS[j])[c]));
        expect(d, `${CLASS_COLORS[i]} / ${CLASS_COLORS[j]}`).toBeGreaterThan(60);
      }
      expect(Math.min(...rgb(CLASS_COLORS[i]))).toBeLessThan(200);
    }
  });
});

describe('the diverging scale', () => {
  test('orange at −1, white at 0, blue at +1, clamped beyond', () => {
    expect(parse(colorOf(-1))).toEqual(ORANGE);
    expect(parse(colorOf(0))).toEqual(WHITE);
    expect(parse(colorOf(1))).toEqual(BLUE);
    expect(parse(colorOf(-7))).toEqual(ORANGE);
    expect(parse(colorOf(3))).toEqual(BLUE);
    expect(parse(scale(-1))).toEqual(ORANGE);
    expect(parse(scale(1))).toEqual(BLUE);
    // halfway: half white
    expect(
      close(
        parse(colorOf(0.5)),
        BLUE.map((v) => (v + 255) / 2),
      ),
    ).toBe(true);
    expect(close(parse(colorOf(-0.5)), parse(scale(-0.5)))).toBe(true);
    expect(colorOf(NaN)).toBe(scale(NaN));
  });

  test('drawGrid: engine row 0 at the bottom; discretize; light is lighter', () => {
    const n = 2;
    const grid = new Float32Array([-1, 1, 0, 0.2]); // row 0: (−1, 1); row 1: (0, 0.2)
    const c = fakeCanvas();
    drawGrid(c, grid, 0, n);
    expect([c.width, c.height]).toEqual([2, 2]);
    expect(close(c.pixel(0, 1), [...ORANGE, 255])).toBe(true);
    expect(close(c.pixel(1, 1), [...BLUE, 255])).toBe(true);
    expect(close(c.pixel(0, 0), [...WHITE, 255])).toBe(true);
    drawGrid(c, grid, 0, n, { discretize: true });
    expect(close(c.pixel(1, 0), [...BLUE, 255])).toBe(true);
    drawGrid(c, grid, 0, n, { light: true });
    const light = c.pixel(0, 1);
    expect(light[0]).toBeGreaterThanOrEqual(ORANGE[0]);
    expect(light[2]).toBeGreaterThan(ORANGE[2] + 50);
    drawGrid(c, new Float32Array([0, 0, 0, 0, -2, 0, 0, 0]), 1, n, { range: 2 });
    expect(close(c.pixel(0, 1), [...ORANGE, 255])).toBe(true);
    expect(unitRange(new Float32Array([0.5, -3, 0, 0]), 0, 2)).toBe(3);
  });
});

describe('drawClassMap', () => {
  // n×n points of K probabilities each, every point given by fn(point).
  const probsOf = (n, K, fn) => {
    const p = new Float32Array(n * n * K);
    for (let i = 0; i < n * n; i++) p.set(fn(i), i * K);
    return p;
  };

  test('certain: the argmax class colour; uniform: white', () => {
    for (const K of [2, 3, 6]) {
      const n = 3;
      const probs = probsOf(n, K, (i) => {
        const v = new Array(K).fill(i === n * n - 1 ? 1 / K : 0);
        if (i < n * n - 1) v[i % K] = 1;
        return v;
      });
      const c = fakeCanvas();
      drawClassMap(c, probs, K, n);
      expect([c.width, c.height]).toEqual([n, n]);
      for (let i = 0; i < n * n - 1; i++) {
        const [r, col] = [Math.floor(i / n), i % n];
        expect(close(c.pixel(col, n - 1 - r), [...rgb(classColor(i % K)), 255]), `K=${K} point ${i}`).toBe(
          true,
        );
      }
      expect(c.pixel(n - 1, 0)).toEqual([255, 255, 255, 255]); // the last point: uniform
    }
  });

  test('less confident is lighter; discretize gives the full colour; light is lighter still', () => {
    const K = 3;
    const probs = new Float32Array([0.2, 0.6, 0.2]); // n = 1: pmax 0.6, confidence 0.4
    const c = fakeCanvas();
    drawClassMap(c, probs, K, 1);
    const a = 0.4;
    const want = rgb(classColor(1)).map((v) => 255 + (v - 255) * a);
    expect(close(c.pixel(0, 0), [...want, 255])).toBe(true);
    drawClassMap(c, probs, K, 1, { discretize: true });
    expect(close(c.pixel(0, 0), [...rgb(classColor(1)), 255])).toBe(true);
    drawClassMap(c, probs, K, 1, { light: true });
    const light = c.pixel(0, 0);
    for (let i = 0; i < 3; i++) expect(light[i]).toBeGreaterThanOrEqual(Math.floor(want[i]));
    expect(light[0]).toBeGreaterThan(want[0] + 5);
    drawClassMap(c, new Float32Array([0.1, 0.3, 0.6]), K, 1, { discretize: true, light: true });
    const lightFull = c.pixel(0, 0);
    expect(lightFull[2]).toBeGreaterThan(rgb(classColor(2))[2]); // lightened, not full
  });

  test('two classes read as the diverging map', () => {
    const n = 4;
    const values = [-1, -0.5, 0, 0.3, 0.9, 1, -0.2, 0.6, 0, 0, 0, 0, 0, 0, 0, 0];
    const probs = probsOf(n, 2, (i) => [(1 - values[i]) / 2, (1 + values[i]) / 2]);
    const a = fakeCanvas();
    const b = fakeCanvas();
    for (const light of [false, true]) {
      drawClassMap(a, probs, 2, n, { light });
      drawGrid(b, new Float32Array(values), 0, n, { light });
      for (let y = 0; y < n; y++)
        for (let x = 0; x < n; x++) expect(close(a.pixel(x, y), b.pixel(x, y), 2), `${x},${y}`).toBe(true);
    }
  });

  test('probabilities that are not numbers are white', () => {
    const c = fakeCanvas();
    drawClassMap(c, new Float32Array([NaN, NaN, NaN]), 3, 1);
    expect(c.pixel(0, 0)).toEqual([255, 255, 255, 255]);
  });

  test('fast enough for 60 frames a second at n = 80, K = 6', () => {
    const n = 80;
    const K = 6;
    const probs = probsOf(n, K, (i) => {
      const v = Array.from({ length: K }, (_, k) => Math.exp(Math.sin(i * 0.01 * (k + 1))));
      const s = v.reduce((x, y) => x + y);
      return v.map((x) => x / s);
    });
    const c = fakeCanvas();
    drawClassMap(c, probs, K, n);
    const t0 = performance.now();
    for (let i = 0; i < 60; i++) drawClassMap(c, probs, K, n, { light: true });
    const ms = (performance.now() - t0) / 60;
    expect(ms).toBeLessThan(4);
  });
});

describe('drawProbGrid', () => {
  test('white at 0, the class colour at 1, half way at 0.5; clamped', () => {
    const n = 2;
    const grid = new Float32Array([9, 9, 9, 9, 0, 1, 0.5, 2]); // unit 1: row 0 (0, 1), row 1 (0.5, 2)
    const c = fakeCanvas();
    drawProbGrid(c, grid, 1, n, 2);
    const green = rgb(classColor(2));
    expect(c.pixel(0, 1)).toEqual([255, 255, 255, 255]);
    expect(close(c.pixel(1, 1), [...green, 255])).toBe(true);
    expect(close(c.pixel(0, 0), [...green.map((v) => (v + 255) / 2), 255])).toBe(true);
    expect(close(c.pixel(1, 0), [...green, 255])).toBe(true);
  });
});

// A few DOM nodes, enough for renderLegend.
function fakeElement(tag) {
  const el = {
    tagName: tag,
    children: [],
    attributes: {},
    style: {},
    className: '',
    textContent: '',
    classes: new Set(),
    classList: { toggle: (c, on) => (on ? el.classes.add(c) : el.classes.delete(c)) },
    ownerDocument: { createElement: fakeElement },
    appendChild: (c) => el.children.push(c),
    replaceChildren: () => (el.children = []),
    setAttribute: (k, v) => (el.attributes[k] = v),
    all: () => el.children.flatMap((c) => [c, ...c.all()]),
  };
  return el;
}

describe('renderLegend', () => {
  const tables = {
    en: { className: 'Class {k}', ...LEGEND_STRINGS.en },
    zh: { className: '类别 {k}', ...LEGEND_STRINGS.zh },
  };
  const tr = (lang) => (key, vars) =>
    tables[lang][key].replace(/\{(\w+)\}/g, (m, k) => String(vars?.[k] ?? m));

  test('a swatch and a name per class, and the note', () => {
    const el = fakeElement('div');
    renderLegend(/** @type {any} */ (el), 4, tr('zh'));
    const all = el.all();
    const swatches = all.filter((e) => e.className === 'swatch');
    expect(swatches.map((s) => s.style.background)).toEqual([0, 1, 2, 3].map(classColor));
    expect(all.filter((e) => e.className === 'legend-name').map((e) => e.textContent)).toEqual([
      '类别 0',
      '类别 1',
      '类别 2',
      '类别 3',
    ]);
    expect(all.some((e) => e.textContent === LEGEND_STRINGS.zh.legendConfidence)).toBe(true);
    expect(el.classes.has('legend-classes')).toBe(true);
  });

  test('regression: the −1 … 1 bar', () => {
    const el = fakeElement('div');
    renderLegend(/** @type {any} */ (el), 0, tr('en'));
    const all = el.all();
    expect(all.filter((e) => e.className === 'legend-end').map((e) => e.textContent)).toEqual([
      '\u22121',
      '1',
    ]);
    expect(all.find((e) => e.className === 'gradient').style.background).toContain('#f59322');
    expect(all.some((e) => e.className === 'swatch')).toBe(false);
    expect(el.classes.has('legend-values')).toBe(true);
  });
});

describe('explanations', () => {
  const features = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
  test('every feature explained in both languages, each its own text', () => {
    for (const lang of ['en', 'zh']) {
      const texts = features.map((f) => featureHelp(f, lang));
      expect(new Set(texts).size).toBe(features.length);
      for (const s of texts) expect(s.length).toBeGreaterThan(40);
      expect(texts[0]).toContain(lang === 'zh' ? '橙色' : 'Orange');
    }
    expect(featureHelp('x1', 'zh')).not.toBe(featureHelp('x1', 'en'));
  });

  test('the figures are the current ones, with a real minus sign', () => {
    expect(formatNumber(-0.12345)).toBe('\u22120.123');
    expect(formatNumber(-0.0001)).toBe('0.000');
    expect(formatNumber(NaN)).toBe('NaN');
    const n = neuronHelp({ layer: 0, index: 1, activation: 'relu', bias: -0.5, lang: 'en' });
    expect(n).toContain('Layer 1, neuron 2');
    expect(n).toContain('ReLU(Σ w·x + b)');
    expect(n).toContain('\u22120.500');
    expect(neuronHelp({ layer: 1, index: 0, activation: 'tanh', bias: 0.25, lang: 'zh' })).toContain(
      '第 2 层第 1 个神经元',
    );
    expect(linkHelp({ from: 'X₁', to: 'layer 1, neuron 1', weight: 1.5, lang: 'en' })).toContain('1.500');
    expect(linkHelp({ from: 'X₁', to: '第 1 层第 1 个神经元', weight: -2, lang: 'zh' })).toContain(
      '\u22122.000',
    );
    expect(biasHelp({ bias: 0.1, lang: 'en' })).toContain('0.100');
  });

  test('output, legend, loss and accuracy in both languages, for classes and regression', () => {
    for (const lang of ['en', 'zh'])
      for (const classes of [0, 2, 3, 6]) {
        expect(outputHelp({ classes, lang }).length).toBeGreaterThan(30);
        expect(legendHelp({ classes, lang }).length).toBeGreaterThan(30);
      }
    expect(outputHelp({ classes: 4, index: 3, lang: 'en' })).toContain('class 3');
    expect(legendHelp({ classes: 3, lang: 'en' })).toMatch(/white outline.*black/);
    expect(lossHelp({ split: 'test', lang: 'en' })).toMatch(/^Test loss/);
    expect(lossHelp('zh')).toContain('损失');
    expect(accuracyHelp({ split: 'train', lang: 'en' })).toMatch(/^Training accuracy/);
    expect(accuracyHelp({ split: 'test', lang: 'zh' })).toMatch(/^测试准确率/);
  });
});
