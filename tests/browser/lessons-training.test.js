// Lessons 3a (approximation), 3b (depth) and 4 (training) in headless Chromium, built with Vite into
// build/web-lessons-training-test (never racing the other tests' dist/) and served under the strict
// CSP; and, in Node, the check that lesson 4's landscape really has two minima.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './chromium.js';
import { startServer } from '../../scripts/serve.mjs';
import { buildSite } from './site.js';
import { loadEngine } from '../../wasm/dlplay.js';
import * as lesson4 from '../../web/lessons/training/model.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const out = join(root, 'build/web-lessons-training-test');
const shots = join(root, 'test-results');
const PICTURE = { approximation: '.curve-canvas', depth: '.loss-chart', training: '.landscape-canvas' };
const TITLES = {
  approximation: ['One hidden layer approximates any curve', '万能近似：一个隐藏层'],
  depth: ['Deeper, not fatter', '为什么是深度网络'],
  training: ['Training', '网络训练'],
};

let server;
let browser;
let site;

beforeAll(async () => {
  buildSite(out);
  server = await startServer({ dir: out, port: 0, csp: true });
  site = server.url;
  browser = await launchBrowser();
  mkdirSync(shots, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(path, { width = 1280, height = 900, locale = 'en-US' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${site}${path}`);
  return { page, errors, close: () => context.close() };
}

const text = (page, sel) => page.locator(sel).first().textContent();
const number = async (page, sel) => Number.parseFloat(await text(page, sel));
// Waits until the output `sel` reads `value` (e.g. a step count after queued steps).
const reads = (page, sel, value) =>
  expect.poll(() => text(page, sel), { timeout: 20_000 }).toBe(String(value));

// Every control has a label, every visible number an accessible name in the page's language.
async function accessibility(page, lang) {
  return page.evaluate((zh) => {
    const bad = [];
    const visible = (el) => el.getClientRects().length > 0;
    for (const el of document.querySelectorAll('.lesson-content input, .lesson-content select'))
      if (!el.labels?.length && !el.getAttribute('aria-label'))
        bad.push(`unlabelled ${el.outerHTML.slice(0, 80)}`);
    for (const el of document.querySelectorAll('.lesson-content button'))
      if (!(el.getAttribute('aria-label') || el.textContent).trim()) bad.push(`empty button ${el.className}`);
    for (const el of document.querySelectorAll('.lesson-content output')) {
      if (!visible(el)) continue;
      const name = el.getAttribute('aria-label') ?? '';
      if (!name || /[{}]/.test(name) || (zh && !/[\u4e00-\u9fff]/.test(name)))
        bad.push(`output named "${name}"`);
    }
    for (const el of document.querySelectorAll('[data-i18n]'))
      if (/[A-Z_]/.test(el.dataset.i18n) && el.textContent === el.dataset.i18n)
        bad.push(`untranslated ${el.dataset.i18n}`);
    return bad;
  }, lang === 'zh');
}

describe('lesson 4’s landscape, with the engine in Node', () => {
  test('the loss over (w1, w2) has two minima, and gradient descent reaches either from different starts', async () => {
    const dl = await loadEngine();
    const { A, B, W1_RANGE, W2_RANGE, MINIMA } = lesson4;
    const s = dl.session(lesson4.landscapeSpec({ w1: 0, w2: 0, lr: 0.1, momentum: 0, batch: 8 }));
    const n = 81;
    const L = s.lossSurface(A, B, W1_RANGE, W2_RANGE, n);
    const minima = [];
    for (let r = 1; r < n - 1; ++r)
      for (let c = 1; c < n - 1; ++c) {
        const v = L[r * n + c];
        let lowest = true;
        for (let dr = -1; dr <= 1; ++dr)
          for (let dc = -1; dc <= 1; ++dc) if ((dr || dc) && L[(r + dr) * n + c + dc] <= v) lowest = false;
        if (lowest && v < 1e-3)
          minima.push([W1_RANGE[0] + (8 * c) / (n - 1), W2_RANGE[0] + (6 * r) / (n - 1)]);
      }
    expect(minima.length).toBe(2);
    for (const [w1, w2] of MINIMA)
      expect(minima.some(([a, b]) => Math.hypot(a - w1, b - w2) < 0.2)).toBe(true);
    // Between them, the loss is high: two basins, not one valley.
    expect(L[((n - 1) / 2) * n + (n - 1) / 2]).toBeGreaterThan(0.5);
    s.dispose();
    const end = (start, hyper = {}) => {
      const g = dl.session(lesson4.landscapeSpec({ ...start, lr: 0.1, momentum: 0, batch: 8, ...hyper }));
      const r = g.train(800);
      const w = [g.weights(0).weights[0], g.weights(1).weights[0]];
      g.dispose();
      return { w, loss: r.trainLoss };
    };
    const a = end({ w1: 2, w2: -2.5 }); // the lesson's default start
    const b = end({ w1: 0.5, w2: -2.5 });
    const c = end({ w1: 2, w2: -2.5 }, { momentum: 0.9 }); // momentum carries it to the other one
    for (const r of [a, b, c]) expect(r.loss).toBeLessThan(1e-3);
    expect(Math.sign(a.w[0])).toBe(1);
    expect(Math.sign(b.w[0])).toBe(-1);
    expect(Math.sign(c.w[0])).toBe(-1);
  }, 30_000);
});

describe.each(Object.keys(PICTURE))('%s: loads', (id) => {
  test.each(['en', 'zh'])(
    'in %s, with its picture, labelled controls and named numbers',
    async (lang) => {
      const { page, errors, close } = await open(`lessons/${id}.html#lang=${lang}`);
      await expect.poll(() => page.locator('h1').textContent()).toBe(TITLES[id][lang === 'en' ? 0 : 1]);
      await page.locator(PICTURE[id]).waitFor();
      const box = await page.locator(PICTURE[id]).boundingBox();
      expect(box.width).toBeGreaterThan(250);
      expect(box.height).toBeGreaterThan(120);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang === 'zh' ? 'zh-CN' : 'en');
      await page.waitForTimeout(300);
      expect(await accessibility(page, lang)).toEqual([]);
      // The Share dialog lists the lesson's groups; the language switches in place.
      await page.locator('#share').click();
      await expect.poll(() => page.locator('dialog.share').isVisible()).toBe(true);
      expect(await page.locator('dialog.share fieldset label').count()).toBeGreaterThanOrEqual(3);
      await page.keyboard.press('Escape');
      const other = lang === 'en' ? 'zh' : 'en';
      await page.locator('#lang').selectOption(other);
      await expect.poll(() => page.locator('h1').textContent()).toBe(TITLES[id][other === 'en' ? 0 : 1]);
      await page.waitForTimeout(200);
      expect(await accessibility(page, other)).toEqual([]);
      expect(errors).toEqual([]);
      await close();
    },
    30_000,
  );

  test('embedded at 700×480 (embed.html#view=…), the picture in sight', async () => {
    const { page, errors, close } = await open(`embed.html#view=${id}`, { width: 700, height: 480 });
    await page.waitForURL(new RegExp(`/lessons/${id}\\.html\\?embed=1`));
    await page.locator(PICTURE[id]).waitFor();
    await page.waitForTimeout(800);
    expect(await page.evaluate(() => document.documentElement.classList.contains('embed'))).toBe(true);
    expect(await page.locator('header.site').isVisible()).toBe(false);
    const box = await page.locator(PICTURE[id]).boundingBox();
    expect(box.width).toBeGreaterThan(250);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(700);
    expect(box.y + box.height).toBeLessThanOrEqual(480);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(700);
    await page.screenshot({ path: join(shots, `lesson-${id}-700x480.png`) });
    expect(errors).toEqual([]);
    await close();
  }, 30_000);
});

describe('approximation', () => {
  test('it learns; more hidden units fit the sine better; the slider and drawing change the numbers; reload keeps it', async () => {
    const { page, errors, close } = await open('lessons/approximation.html#units=1');
    const train = async (times) => {
      for (let i = 0; i < times; ++i) await page.locator('button.step').click();
      await reads(page, '#steps', 50 * times);
      return number(page, '#loss');
    };
    await expect.poll(() => number(page, '#loss')).toBeGreaterThan(0);
    const start = await number(page, '#loss');
    const one = await train(20);
    expect(one).toBeLessThan(start);
    await page.locator('#units').fill('12');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('units=12');
    await expect(text(page, '#units-out')).resolves.toBe('12');
    await reads(page, '#steps', 0);
    await expect.poll(() => number(page, '#loss')).not.toBe(one);
    const twelve = await train(20);
    console.log(`approximation: sine, 1000 steps: 1 unit ${one}, 12 units ${twelve}`);
    expect(twelve).toBeLessThan(one / 10);
    // Every unit's contribution is drawn: the output bias is the engine's.
    expect(Number.isFinite(await number(page, '#bias'))).toBe(true);
    // Draw a target across the chart: it becomes the student's own curve, in the hash.
    const box = await page.locator('.curve-canvas').boundingBox();
    await page.mouse.move(box.x + 40, box.y + box.height * 0.3);
    await page.mouse.down();
    for (let k = 1; k <= 20; ++k)
      await page.mouse.move(box.x + 40 + (k * (box.width - 60)) / 20, box.y + box.height * (0.3 + 0.02 * k));
    await page.mouse.up();
    await expect.poll(() => page.locator('#target').inputValue()).toBe('drawn');
    const hash = await page.evaluate(() => location.hash);
    expect(hash).toMatch(/target=drawn/);
    expect(hash).toMatch(/drawn=(-?[\d.]+,){40}-?[\d.]+/);
    expect(await train(10)).toBeLessThan(start);
    await page.reload();
    await page.locator('.curve-canvas').waitFor();
    await expect.poll(() => page.locator('#units').inputValue()).toBe('12');
    expect(await page.locator('#target').inputValue()).toBe('drawn');
    expect(await page.evaluate(() => location.hash)).toBe(hash);
    expect(errors).toEqual([]);
    await close();
  }, 90_000);
});

describe('depth', () => {
  test('equal parameter counts from the engine; both learn; the data-size experiment runs; reload keeps it', async () => {
    const { page, errors, close } = await open('lessons/depth.html#bits=6');
    const params = (k) => text(page, `.net-${k} output[data-k="params"]`);
    await expect.poll(() => params('deep')).toMatch(/^\d+$/);
    expect(await params('shallow')).toBe(await params('deep'));
    expect(await text(page, '.net-deep .arch')).toBe('6 → 8 → 8 → 8 → 1');
    const loss = (k) => number(page, `.net-${k} output[data-k="loss"]`);
    for (const k of ['shallow', 'deep'])
      await expect.poll(async () => Number.isFinite(await loss(k))).toBe(true);
    const before = { shallow: await loss('shallow'), deep: await loss('deep') };
    for (let i = 0; i < 8; ++i) await page.locator('.depth button.step').click();
    await reads(page, '#steps', 800);
    for (const k of ['shallow', 'deep']) expect(await loss(k)).toBeLessThan(before[k]);
    // A deeper network: another count, still the same for both.
    const three = await params('deep');
    await page.locator('#depth').fill('4');
    // (the counts read '–' while the new networks are built)
    const counted = async (k) => /^\d+$/.test(await params(k)) && (await params(k)) !== three;
    await expect.poll(() => counted('deep')).toBe(true);
    await expect.poll(() => counted('shallow')).toBe(true);
    expect(await params('shallow')).toBe(await params('deep'));
    await page.locator('#data').selectOption('spiral');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#data=spiral&bits=6&depth=4');
    await expect.poll(() => text(page, '.net-deep .arch')).toBe('2 → 8 → 8 → 8 → 8 → 1');
    // Accuracy against the training set's size: 12 runs, with progress.
    await page.locator('.run-sizes').click();
    await expect.poll(() => text(page, '.sizes-done'), { timeout: 30_000 }).toMatch(/^12 of 12/);
    expect(await page.locator('.sizes-progress').evaluate((p) => p.value)).toBe(12);
    const accuracies = await page.locator('.sizes-table output').allTextContents();
    expect(accuracies).toHaveLength(12);
    for (const a of accuracies) expect(a).toMatch(/^\d+\.\d %$/);
    await page.reload();
    await page.locator('.loss-chart').waitFor();
    await expect.poll(() => page.locator('#depth').inputValue()).toBe('4');
    expect(await page.locator('#data').inputValue()).toBe('spiral');
    expect(errors).toEqual([]);
    await close();
  }, 90_000);
});

describe('training', () => {
  test('the MSE follows the weights; gradient descent from two starts reaches two minima; reload keeps it', async () => {
    const { page, errors, close } = await open('lessons/training.html#stage=2');
    await expect.poll(() => number(page, '.mse')).toBeGreaterThan(0);
    const mse = await number(page, '.mse');
    await page.locator('#w1').fill('1');
    await expect.poll(() => number(page, '.mse')).not.toBe(mse);
    expect(await page.evaluate(() => location.hash)).toContain('w1=1');
    await page.locator('#w1').fill('2');
    await page.locator('.stepper button[data-stage="4"]').click();
    expect(await page.locator('.mse').isVisible()).toBe(false);
    const descend = async () => {
      for (let i = 0; i < 16; ++i) await page.locator('.panel button.step').click();
      await reads(page, '.cur-step', 800);
      return {
        w1: await number(page, '.cur-w1'),
        w2: await number(page, '.cur-w2'),
        loss: await number(page, '.cur-loss'),
      };
    };
    const a = await descend();
    // A start on the landscape by a click: near (0.5, −2.5).
    const box = await page.locator('.landscape-canvas').boundingBox();
    const at = (w1, w2) => ({
      x: box.x + (box.width * (30 + ((w1 + 4) / 8) * 322)) / 360,
      y: box.y + (box.height * (8 + ((3 - w2) / 6) * 256)) / 290,
    });
    const p = at(0.5, -2.5);
    await page.mouse.click(p.x, p.y);
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#stage=4&w1=0.5'); // w2 = −2.5 is the default
    await reads(page, '.cur-step', 0);
    const b = await descend();
    console.log(`training: from (2, −2.5) to ${JSON.stringify(a)}, from (0.5, −2.5) to ${JSON.stringify(b)}`);
    for (const r of [a, b]) expect(r.loss).toBeLessThan(0.001);
    expect(Math.hypot(a.w1 - 1.5, a.w2 - 1.2)).toBeLessThan(0.1);
    expect(Math.hypot(b.w1 + 1.5, b.w2 + 1.2)).toBeLessThan(0.1);
    // SGD: a smaller batch, a noisier path, still downhill.
    await page.locator('#batch').selectOption('2');
    await page.locator('.panel button.reset').click();
    await reads(page, '.cur-step', 0);
    expect((await descend()).loss).toBeLessThan(0.01);
    await page.reload();
    await page.locator('.landscape-canvas').waitFor();
    await expect.poll(() => page.locator('#w1').inputValue()).toBe('0.5');
    expect(await page.locator('#batch').inputValue()).toBe('2');
    expect(await page.locator('.stepper [aria-current="step"]').getAttribute('data-stage')).toBe('4');
    expect(errors).toEqual([]);
    await close();
  }, 90_000);

  test('testing: the small network underfits, the big one overfits', async () => {
    const { page, errors, close } = await open('lessons/training.html#stage=5&lang=zh');
    await expect.poll(() => number(page, '[data-k="big_test"]')).toBeGreaterThan(0);
    for (let i = 0; i < 15; ++i) await page.locator('.fitting button.step').click();
    await reads(page, '.fit-steps', 1500);
    const v = {};
    for (const k of ['small_train', 'small_test', 'big_train', 'big_test'])
      v[k] = await number(page, `[data-k="${k}"]`);
    console.log(`training, testing: ${JSON.stringify(v)}`);
    expect(v.small_train).toBeGreaterThan(0.1); // underfits: high even on its own data
    expect(v.big_train).toBeLessThan(0.01); // learns the 12 points almost exactly…
    expect(v.big_test).toBeGreaterThan(20 * v.big_train); // …and not the curve
    await page.locator('#big').selectOption('8');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('big=8');
    await reads(page, '.fit-steps', 0);
    expect(await accessibility(page, 'zh')).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  }, 60_000);
});
