// The instant lessons (their engine on the page's thread) in headless Chromium: lesson 1 (neuron),
// lesson 2 (network), lesson 5 (convolution) and lesson 6 (parameters), built with Vite into
// build/web-lessons-instant-test (never racing the other tests' dist/) and served under the strict
// CSP by scripts/serve.mjs. The course's numbers (docs/lessons.md) are computed here by hand,
// independently of the pages, and must appear exactly.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './chromium.js';
import { startServer } from '../../scripts/serve.mjs';
import { buildSite } from './site.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const out = join(root, 'build/web-lessons-instant-test');
const shots = join(root, 'test-results');

let browser;
let context;
let server;
let site;

beforeAll(async () => {
  buildSite(out);
  server = await startServer({ dir: out, port: 0, csp: true });
  site = server.url;
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  mkdirSync(shots, { recursive: true });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

// A lesson page, once its content is there (`ready`: a selector that has text when it is).
async function open(path, ready, { ctx = context } = {}) {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${site}${path}`);
  await waitReady(page, ready);
  return { page, errors };
}
const waitReady = (page, ready) =>
  page.waitForFunction((sel) => document.querySelector(sel)?.textContent.trim(), ready, { timeout: 30_000 });
const value = (page, name) => page.getByRole('status', { name, exact: true }).textContent();
const f2 = (v) => (Math.abs(v) < 0.005 ? 0 : v).toFixed(2);

// The embedded view (embed.html#view=<id>) at 700×480: the main picture inside the viewport.
async function embedded(id, ready, picture) {
  const ctx = await browser.newContext({ viewport: { width: 700, height: 480 }, locale: 'en-US' });
  const { page, errors } = await open(`embed.html#view=${id}&lang=en`, ready, { ctx });
  expect(page.url()).toContain(`lessons/${id}.html?embed=1#`);
  expect(await page.evaluate(() => document.documentElement.classList.contains('embed'))).toBe(true);
  expect(await page.locator('header.site').isVisible()).toBe(false);
  for (const sel of picture) {
    const box = await page.locator(sel).boundingBox();
    expect(box, sel).not.toBeNull();
    expect(box.width, sel).toBeGreaterThan(60);
    expect(box.x, sel).toBeGreaterThanOrEqual(0);
    expect(box.y, sel).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, sel).toBeLessThanOrEqual(700);
    expect(box.y + box.height, sel).toBeLessThanOrEqual(480);
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(shots, `lesson-${id}-700x480.png`) });
  expect(errors).toEqual([]);
  await ctx.close();
}

// ---------------------------------------------------------------- lesson 1
describe('lesson 1: the neuron', () => {
  const POINTS = [
    [-4, 3, 1],
    [-2, 4.5, 1],
    [1, 4, 1],
    [3, 2.5, 1],
    [4.5, 4, 1],
    [-1, 1.5, 1],
    [-4, -1, 0],
    [-2, -3, 0],
    [0, -1, 0],
    [2, -4, 0],
    [4, -1, 0],
    [-5, 2, 0],
  ];
  const right = (w1, w2, b) =>
    POINTS.filter(([x, y, c]) => (c === 1 ? w1 * x + w2 * y + b > 0 : w1 * x + w2 * y + b < 0)).length;
  const sigmoid = (z) => 1 / (1 + Math.exp(-z));
  const READY = 'output.z';

  test('loads in English and Chinese with z, a, the perceptron form and the count', async () => {
    const { page, errors } = await open('lessons/neuron.html#lang=en', READY);
    expect(await page.locator('h1').textContent()).toBe('The neuron');
    for (const name of ['x1', 'x2', 'w1', 'w2', 'b']) {
      expect(await page.getByRole('slider', { name, exact: true }).isVisible()).toBe(true);
      expect(await page.getByRole('spinbutton', { name, exact: true }).isVisible()).toBe(true);
    }
    // Defaults: x = (1, 2), w = (1, −1), b = 0.5, sigmoid.
    const z = 1 * 1 - 1 * 2 + 0.5;
    expect(await value(page, 'z, the weighted sum')).toBe(f2(z));
    expect(await value(page, 'a, the neuron’s output')).toBe(f2(sigmoid(z)));
    expect(await value(page, 'w0 = b times x0')).toBe('0.50');
    expect(await value(page, 'w1 times x1')).toBe('1.00');
    expect(await value(page, 'w2 times x2')).toBe('(-2.00)');
    expect(await value(page, 'y, the output')).toBe(f2(sigmoid(z)));
    expect(await value(page, 'points on the right side')).toBe(String(right(1, -1, 0.5)));
    const options = await page
      .getByRole('combobox', { name: 'Activation' })
      .locator('option')
      .allTextContents();
    expect(options.sort()).toEqual(['ReLU', 'leaky ReLU', 'linear', 'sigmoid', 'tanh'].sort());
    const canvas = await page.locator('figure.plane canvas').boundingBox();
    expect(canvas.width).toBeGreaterThan(200);

    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    expect(await page.locator('h1').textContent()).toBe('神经元');
    expect(await value(page, 'z，加权和')).toBe(f2(z));
    expect(await value(page, 'a，神经元的输出')).toBe(f2(sigmoid(z)));
    expect(await value(page, '落在正确一侧的点数')).toBe(String(right(1, -1, 0.5)));
    expect(await page.getByRole('combobox', { name: '激活函数' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: '让它自己学' }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();

    // Opened in Chinese.
    const zh = await open('lessons/neuron.html#lang=zh', READY);
    expect(await zh.page.locator('h1').textContent()).toBe('神经元');
    expect(await value(zh.page, 'z，加权和')).toBe(f2(z));
    expect(zh.errors).toEqual([]);
    await zh.page.close();
  }, 60_000);

  test('a slider or a field changes every number and the plane in the same frame; the state survives a reload', async () => {
    const { page, errors } = await open('lessons/neuron.html#lang=en', READY);
    // Synchronously: set the slider, read the numbers and the canvas in the same task.
    const seen = await page.evaluate(() => {
      const canvas = document.querySelector('figure.plane canvas');
      const before = canvas.toDataURL();
      const slider = document.getElementById('w2-range');
      slider.value = '1.5';
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      return {
        z: document.querySelector('output.z').textContent,
        right: document.querySelector('output.right').textContent,
        field: document.getElementById('w2').value,
        changed: canvas.toDataURL() !== before,
      };
    });
    const z = 1 * 1 + 1.5 * 2 + 0.5;
    expect(seen).toEqual({ z: f2(z), right: String(right(1, 1.5, 0.5)), field: '1.5', changed: true });
    await page.getByRole('spinbutton', { name: 'b', exact: true }).fill('-1');
    await page.getByRole('spinbutton', { name: 'x1', exact: true }).fill('-2');
    await page.getByRole('combobox', { name: 'Activation' }).selectOption('tanh');
    const z2 = 1 * -2 + 1.5 * 2 - 1;
    expect(await value(page, 'z, the weighted sum')).toBe(f2(z2));
    expect(await value(page, 'a, the neuron’s output')).toBe(f2(Math.tanh(z2)));
    expect(await value(page, 'points on the right side')).toBe(String(right(1, 1.5, -1)));
    await page.getByRole('combobox', { name: 'Activation' }).selectOption('relu');
    expect(await value(page, 'a, the neuron’s output')).toBe(f2(Math.max(0, z2)));
    expect(await page.getByRole('slider', { name: 'b', exact: true }).inputValue()).toBe('-1');
    const hash = new URL(page.url()).hash;
    expect(hash).toContain('act=relu');
    expect(hash).toContain('w2=1.5');

    await page.reload();
    await waitReady(page, READY);
    expect(await page.getByRole('spinbutton', { name: 'x1', exact: true }).inputValue()).toBe('-2');
    expect(await page.getByRole('spinbutton', { name: 'w2', exact: true }).inputValue()).toBe('1.5');
    expect(await page.getByRole('combobox', { name: 'Activation' }).inputValue()).toBe('relu');
    expect(await value(page, 'z, the weighted sum')).toBe(f2(z2));
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('“Let it learn” moves the sliders until every point is on its side', async () => {
    const { page, errors } = await open('lessons/neuron.html#lang=en', READY);
    expect(Number(await value(page, 'points on the right side'))).toBeLessThan(POINTS.length);
    await page.getByRole('button', { name: 'Let it learn' }).click();
    expect(await page.getByRole('button', { name: 'Stop' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Let it learn' }).waitFor({ state: 'visible', timeout: 30_000 });
    expect(await value(page, 'points on the right side')).toBe(String(POINTS.length));
    expect(Number(await value(page, 'training step'))).toBeGreaterThan(0);
    expect(Number(await value(page, 'training loss'))).toBeLessThan(0.2);
    // The sliders hold the learned weights, and those separate the points.
    const w = {};
    for (const k of ['w1', 'w2', 'b'])
      w[k] = Number(await page.getByRole('slider', { name: k, exact: true }).inputValue());
    expect(right(w.w1, w.w2, w.b)).toBe(POINTS.length);
    expect(new URL(page.url()).hash).toContain(`w1=${w.w1}`);
    await page.reload();
    await waitReady(page, READY);
    expect(await value(page, 'points on the right side')).toBe(String(POINTS.length));
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('embedded at 700×480, the plane is in view', async () => {
    await embedded('neuron', READY, ['figure.plane canvas']);
  }, 60_000);
});

// ---------------------------------------------------------------- lesson 2
describe('lesson 2: a network is a function', () => {
  const READY = 'output.node-value.col-3';
  const HIDDEN = (l, i, zh) => (zh ? `第 ${l} 层 神经元 ${i}` : `layer ${l} neuron ${i}`);

  async function expectValues(page, zh, x, layers) {
    await page.getByRole('spinbutton', { name: 'x1', exact: true }).fill(String(x[0]));
    await page.getByRole('spinbutton', { name: 'x2', exact: true }).fill(String(x[1]));
    const [l1, l2, y] = layers;
    for (const [l, vals] of [
      [1, l1],
      [2, l2],
    ])
      if (vals) for (const i of [1, 2]) expect(await value(page, HIDDEN(l, i, zh))).toBe(vals[i - 1]);
    expect(await value(page, 'y1')).toBe(y[0]);
    expect(await value(page, 'y2')).toBe(y[1]);
  }

  for (const zh of [false, true])
    test(`the course's numbers in ${zh ? 'Chinese' : 'English'}`, async () => {
      const { page, errors } = await open(`lessons/network.html#lang=${zh ? 'zh' : 'en'}`, READY);
      expect(await page.locator('h1').textContent()).toBe(
        zh ? '神经网络是一个函数' : 'A network is a function',
      );
      await expectValues(
        page,
        zh,
        [1, -1],
        [
          ['0.98', '0.12'],
          ['0.86', '0.11'],
          ['0.62', '0.83'],
        ],
      );
      await expectValues(page, zh, [0, 0], [null, null, ['0.51', '0.85']]);
      expect(errors).toEqual([]);
      await page.close();
    }, 60_000);

  test('editing a weight changes the outputs; the state survives a reload', async () => {
    const { page, errors } = await open('lessons/network.html#lang=en', READY);
    expect(await value(page, 'y1')).toBe('0.62');
    await page.getByRole('spinbutton', { name: 'layer 3 neuron 1 weight 1' }).fill('0');
    // y1 = σ(0·0.86 − 1·0.11 − 2)
    expect(await value(page, 'y1')).not.toBe('0.62');
    const y1 = await value(page, 'y1');
    expect(y1).toBe('0.11');
    await page.getByRole('spinbutton', { name: 'x2', exact: true }).fill('2');
    const y2 = await value(page, 'y2');
    await page.reload();
    await waitReady(page, READY);
    expect(await page.getByRole('spinbutton', { name: 'layer 3 neuron 1 weight 1' }).inputValue()).toBe('0');
    expect(await page.getByRole('spinbutton', { name: 'x2', exact: true }).inputValue()).toBe('2');
    expect(await value(page, 'y2')).toBe(y2);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

// ---------------------------------------------------------------- lesson 5
describe('lesson 5: convolution', () => {
  const IMAGE = [
    [1, 0, 0, 0, 0, 1],
    [0, 1, 0, 0, 1, 0],
    [0, 0, 1, 1, 0, 0],
    [1, 0, 0, 0, 1, 0],
    [0, 1, 0, 0, 1, 0],
    [0, 0, 1, 0, 1, 0],
  ];
  const K1 = [
    [1, -1, -1],
    [-1, 1, -1],
    [-1, -1, 1],
  ];
  const K2 = [
    [-1, 1, -1],
    [-1, 1, -1],
    [-1, 1, -1],
  ];
  // Cross-correlation, by hand: the kernel is not flipped; zero padding p, stride s.
  function xcorr(img, k, s = 1, p = 0) {
    const n = img.length + 2 * p;
    const at = (r, c) => (r < p || c < p || r >= n - p || c >= n - p ? 0 : img[r - p][c - p]);
    const size = Math.floor((n - 3) / s) + 1;
    const map = [];
    for (let r = 0; r < size; ++r)
      for (let c = 0; c < size; ++c) {
        let sum = 0;
        for (let i = 0; i < 3; ++i) for (let j = 0; j < 3; ++j) sum += at(r * s + i, c * s + j) * k[i][j];
        map.push(String(sum));
      }
    return map;
  }
  const READY = 'table.feature-map td';
  const cells = (page, name) =>
    page.getByRole('table', { name, exact: true }).locator('td').allTextContents();

  test('the course’s feature maps at stride 1 and 2, in English and Chinese', async () => {
    const { page, errors } = await open('lessons/convolution.html#lang=en', READY);
    const map1 = await cells(page, 'feature map 1');
    expect(map1.slice(0, 2)).toEqual(['3', '-1']);
    expect(map1).toEqual(xcorr(IMAGE, K1));
    expect(await cells(page, 'feature map 2')).toEqual(xcorr(IMAGE, K2));
    expect(map1.length).toBe(16);
    await page.getByRole('combobox', { name: 'stride' }).selectOption('2');
    expect(await cells(page, 'feature map 1')).toEqual(xcorr(IMAGE, K1, 2));
    expect(await cells(page, 'feature map 2')).toEqual(xcorr(IMAGE, K2, 2));
    await page.getByRole('combobox', { name: 'padding' }).selectOption('1');
    expect(await cells(page, 'feature map 1')).toEqual(xcorr(IMAGE, K1, 2, 1));
    await page.getByRole('combobox', { name: 'stride' }).selectOption('1');
    await page.getByRole('combobox', { name: 'padding' }).selectOption('2');
    expect(await cells(page, 'feature map 2')).toEqual(xcorr(IMAGE, K2, 1, 2));
    expect((await cells(page, 'feature map 2')).length).toBe(64);
    await page.getByRole('combobox', { name: 'stride' }).selectOption('3');
    await page.getByRole('combobox', { name: 'padding' }).selectOption('0');
    expect(await cells(page, 'feature map 1')).toEqual(xcorr(IMAGE, K1, 3));

    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    await page.getByRole('combobox', { name: '步幅' }).selectOption('1');
    expect(await page.getByRole('combobox', { name: '填充' }).inputValue()).toBe('0');
    expect(await cells(page, '特征图 1')).toEqual(xcorr(IMAGE, K1));
    expect(await cells(page, '特征图 2')).toEqual(xcorr(IMAGE, K2));
    expect(await page.getByRole('button', { name: '像素 1,1' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('button', { name: '像素 1,2' }).getAttribute('aria-pressed')).toBe('false');
    expect(await page.getByRole('button', { name: /^像素 / }).count()).toBe(36);
    expect(await page.getByText('互相关').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();

    const zh = await open('lessons/convolution.html#lang=zh&s=2', READY);
    expect(await cells(zh.page, '特征图 1')).toEqual(xcorr(IMAGE, K1, 2));
    expect(zh.errors).toEqual([]);
    await zh.page.close();
  }, 90_000);

  test('the patch, its 9 products and their sum follow Step and Play', async () => {
    const { page, errors } = await open('lessons/convolution.html#lang=en', READY);
    const products = async (q) => {
      const out = [];
      for (let r = 1; r <= 3; ++r)
        for (let c = 1; c <= 3; ++c) out.push(await value(page, `kernel ${q} product ${r},${c}`));
      return out;
    };
    // Top-left patch: pixels × kernel 1 → diagonal 1s, sum 3.
    expect(await products(1)).toEqual(['1', '0', '0', '0', '1', '0', '0', '0', '1']);
    expect(await value(page, 'kernel 1 sum')).toBe('3');
    expect(await value(page, 'kernel 2 sum')).toBe(xcorr(IMAGE, K2)[0]);
    const patchAt = async () => {
      const p = await page.locator('.patch').boundingBox();
      return [Math.round(p.x), Math.round(p.y)];
    };
    const pixelAt = async (r, c) => {
      const b = await page.getByRole('button', { name: `pixel ${r},${c}` }).boundingBox();
      return [Math.round(b.x), Math.round(b.y)];
    };
    await expect.poll(patchAt).toEqual(await pixelAt(1, 1));
    await page.getByRole('button', { name: 'Step' }).click();
    expect(await value(page, 'kernel 1 sum')).toBe('-1');
    expect(await products(1)).toEqual(['0', '0', '0', '-1', '0', '0', '0', '-1', '1']);
    expect(await value(page, 'position: column')).toBe('2');
    await expect.poll(patchAt).toEqual(await pixelAt(1, 2));
    expect(
      await page.getByRole('table', { name: 'feature map 1' }).locator('td[aria-current]').textContent(),
    ).toBe('-1');
    expect(new URL(page.url()).hash).toContain('pos=1');
    // Play slides on by itself; Pause stops it.
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => value(page, 'position: column'), { timeout: 5000 }).toBe('4');
    await page.getByRole('button', { name: 'Pause' }).click();
    const col = await value(page, 'position: column');
    await page.waitForTimeout(1000);
    expect(await value(page, 'position: column')).toBe(col);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('pixels (click and keyboard) and kernel weights change the maps; the state survives a reload', async () => {
    const { page, errors } = await open('lessons/convolution.html#lang=en', READY);
    const img = IMAGE.map((r) => [...r]);
    await page.getByRole('button', { name: 'pixel 1,1' }).click();
    img[0][0] = 0;
    expect(await page.getByRole('button', { name: 'pixel 1,1' }).getAttribute('aria-pressed')).toBe('false');
    expect(await cells(page, 'feature map 1')).toEqual(xcorr(img, K1));
    expect((await cells(page, 'feature map 1'))[0]).toBe('2');
    // Keyboard: the arrows move between pixels, Space toggles.
    await page.getByRole('button', { name: 'pixel 1,1' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    expect(
      await page.getByRole('button', { name: 'pixel 2,2' }).evaluate((el) => el === document.activeElement),
    ).toBe(true);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    img[2][1] = 1;
    expect(await page.getByRole('button', { name: 'pixel 3,2' }).getAttribute('aria-pressed')).toBe('true');
    expect(
      await page.getByRole('button', { name: 'pixel 3,2' }).evaluate((el) => el === document.activeElement),
    ).toBe(true);
    expect(await cells(page, 'feature map 1')).toEqual(xcorr(img, K1));
    expect(await cells(page, 'feature map 2')).toEqual(xcorr(img, K2));
    // A kernel weight, in the same frame as the edit.
    const k1 = K1.map((r) => [...r]);
    k1[1][1] = 3;
    const sync = await page.evaluate(() => {
      const field = document.querySelector('input[aria-label="kernel 1 weight 2,2"]');
      field.value = '3';
      field.dispatchEvent(new Event('input', { bubbles: true }));
      return [...document.querySelectorAll('table.feature-map')[0].querySelectorAll('td')].map(
        (td) => td.textContent,
      );
    });
    expect(sync).toEqual(xcorr(img, k1));
    await page.getByRole('spinbutton', { name: 'kernel 2 weight 1,1' }).fill('0.5');
    const k2 = K2.map((r) => [...r]);
    k2[0][0] = 0.5;
    expect(await cells(page, 'feature map 2')).toEqual(xcorr(img, k2));
    await page.getByRole('combobox', { name: 'stride' }).selectOption('2');
    await page.getByRole('button', { name: 'Step' }).click();

    await page.reload();
    await waitReady(page, READY);
    expect(await cells(page, 'feature map 1')).toEqual(xcorr(img, k1, 2));
    expect(await cells(page, 'feature map 2')).toEqual(xcorr(img, k2, 2));
    expect(await page.getByRole('combobox', { name: 'stride' }).inputValue()).toBe('2');
    expect(await page.getByRole('spinbutton', { name: 'kernel 1 weight 2,2' }).inputValue()).toBe('3');
    expect(await value(page, 'position: column')).toBe('2');
    expect(await page.getByRole('button', { name: 'pixel 1,1' }).getAttribute('aria-pressed')).toBe('false');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('a teacher’s lock and hide (data-group) reach the pixels and the kernels', async () => {
    const { page, errors } = await open('lessons/convolution.html#lang=en&lock=image&hide=kernels', READY);
    expect(await page.getByRole('button', { name: 'pixel 1,1' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: /^pixel / }).count()).toBe(36);
    expect(await page.getByRole('spinbutton', { name: 'kernel 1 weight 1,1' }).isVisible()).toBe(false);
    expect(await value(page, 'kernel 1 sum')).toBe('3');
    // Pixels rebuilt for another padding are locked too.
    await page.getByRole('combobox', { name: 'padding' }).selectOption('1');
    expect(await page.getByRole('button', { name: 'pixel 6,6' }).isDisabled()).toBe(true);
    expect(await cells(page, 'feature map 1')).toEqual(xcorr(IMAGE, K1, 1, 1));
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('embedded at 700×480, the image and both feature maps are in view', async () => {
    await embedded('convolution', READY, [
      '.pixels',
      'table.feature-map >> nth=0',
      'table.feature-map >> nth=1',
    ]);
  }, 60_000);
});

// ---------------------------------------------------------------- lesson 6
describe('lesson 6: convolution vs fully connected', () => {
  const READY = 'output.conv-params';
  const conv = (f, k, c) => f * (k * k * c + 1);
  const dense = (f, h, w, c) => f * (h * w * c + 1);
  const big = (n) => n.toLocaleString('en-US');

  async function expectCounts(page, { h, w, c, f = 32, k = 3 }, zh = false) {
    const n = zh
      ? { conv: '卷积层参数个数', dense: '全连接层参数个数', inputs: '输入数（高 · 宽 · 通道数）' }
      : {
          conv: 'conv layer parameters',
          dense: 'dense layer parameters',
          inputs: 'inputs (height · width · channels)',
        };
    expect(await value(page, n.conv)).toBe(big(conv(f, k, c)));
    expect(await value(page, n.dense)).toBe(big(dense(f, h, w, c)));
    expect(await value(page, n.inputs)).toBe(big(h * w * c));
    if (!zh) {
      const perFilter = page.getByRole('status', { name: 'parameters per filter (k · k · channels + 1)' });
      expect(await perFilter.allTextContents()).toEqual([big(k * k * c + 1), big(k * k * c + 1)]);
      expect(await value(page, 'parameters per unit (inputs + 1)')).toBe(big(h * w * c + 1));
      const ratio = dense(f, h, w, c) / conv(f, k, c);
      expect(await value(page, 'dense parameters ÷ conv parameters')).toBe(
        ratio >= 100 ? big(Math.round(ratio)) : String(Math.round(ratio * 10) / 10),
      );
    }
  }

  test('the counts for the three inputs, in English and Chinese', async () => {
    const { page, errors } = await open('lessons/parameters.html#lang=en', READY);
    await expectCounts(page, { h: 6, w: 6, c: 1 });
    expect(await value(page, 'conv layer output shape (filters × height × width)')).toBe('32 × 4 × 4');
    expect(await value(page, 'conv layer output values')).toBe('512');
    const input = page.getByRole('combobox', { name: 'input (height × width × channels)' });
    await input.selectOption('28x28x1');
    await expectCounts(page, { h: 28, w: 28, c: 1 });
    await input.selectOption('32x32x3');
    await expectCounts(page, { h: 32, w: 32, c: 3 });
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    await expectCounts(page, { h: 32, w: 32, c: 3 }, true);
    expect(await page.getByRole('spinbutton', { name: '通道数' }).inputValue()).toBe('3');
    expect(errors).toEqual([]);
    await page.close();
    const zh = await open('lessons/parameters.html#lang=zh&in=28x28x1', READY);
    await expectCounts(zh.page, { h: 28, w: 28, c: 1 }, true);
    expect(zh.errors).toEqual([]);
    await zh.page.close();
  }, 60_000);

  test('features, kernel and a custom shape change the counts; the engine’s limits show; reload keeps it', async () => {
    const { page, errors } = await open('lessons/parameters.html#lang=en', READY);
    const before = await page.locator('.conv figure canvas').evaluate((c) => c.toDataURL());
    await page
      .getByRole('spinbutton', { name: 'output features (the conv’s filters, the dense layer’s units)' })
      .fill('64');
    await page.getByRole('spinbutton', { name: 'kernel size k' }).fill('5');
    await expectCounts(page, { h: 6, w: 6, c: 1, f: 64, k: 5 });
    await page.getByRole('spinbutton', { name: 'height' }).fill('10');
    expect(await page.getByRole('combobox', { name: 'input (height × width × channels)' }).inputValue()).toBe(
      'custom',
    );
    await page.getByRole('spinbutton', { name: 'channels' }).fill('4');
    await expectCounts(page, { h: 10, w: 6, c: 4, f: 64, k: 5 });
    expect(await page.locator('.conv figure canvas').evaluate((c) => c.toDataURL())).not.toBe(before);

    await page.reload();
    await waitReady(page, READY);
    await expectCounts(page, { h: 10, w: 6, c: 4, f: 64, k: 5 });
    expect(await page.getByRole('spinbutton', { name: 'width' }).inputValue()).toBe('6');

    // Too many for the engine: its own message instead of a count.
    await page.getByRole('spinbutton', { name: 'height' }).fill('100');
    await page.getByRole('spinbutton', { name: 'width' }).fill('100');
    await page.getByRole('spinbutton', { name: 'channels' }).fill('16');
    await page
      .getByRole('spinbutton', { name: 'output features (the conv’s filters, the dense layer’s units)' })
      .fill('1024');
    expect(await value(page, 'dense layer parameters')).toMatch(/^the engine refuses: .*more than the limit/);
    expect(await value(page, 'conv layer parameters')).toBe(big(conv(1024, 5, 16)));
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('embedded at 700×480, both drawings are in view', async () => {
    await embedded('parameters', READY, ['.conv figure canvas', '.dense figure canvas']);
  }, 60_000);
});
