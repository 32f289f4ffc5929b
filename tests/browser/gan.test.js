// The gan view (web/gan.html) in headless Chromium: built into its own folder (build/web-gan-test),
// served by scripts/serve.mjs, with the real wasm engine. It loads in English and Chinese and in
// its embed mode at 700×480 (screenshots in test-results/gan/), trains (the generated points come
// nearer the real ones, by a distance computed here from the engine's points), takes a drawn
// distribution, keeps its state in the hash, and answers the embed API.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchContext } from './chromium.js';
import { startServer } from '../../scripts/serve.mjs';
import { buildSite, root } from './site.js';

const out = join(root, 'build/web-gan-test');
const shots = join(root, 'test-results/gan');

let server;
let context;
let profile;
let base;

beforeAll(async () => {
  buildSite(out);
  // Course pages that embed the view at 700×480, as docs/embedding.md shows.
  for (const lang of ['en', 'zh'])
    writeFileSync(
      join(out, `gan-host-${lang}.html`),
      `<!doctype html><meta charset="utf-8"><title>host</title><link rel="icon" href="favicon.svg"><iframe id="f" src="embed.html#view=gan${lang === 'zh' ? '&lang=zh' : ''}" width="700" height="480"></iframe>`,
    );
  server = await startServer({ dir: out, port: 0, csp: true });
  base = `${server.url}gan.html`;
  ({ context, profile } = await launchContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' }));
  mkdirSync(shots, { recursive: true });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function open(path = 'gan.html', { width = 1280, height = 900 } = {}) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.setViewportSize({ width, height });
  await page.goto(`${server.url}${path}`);
  await page.waitForFunction(() => window.dlplayGan?.ready && window.dlplayGan.generated().length > 0, null, {
    timeout: 30_000,
  });
  return { page, errors };
}

// Chamfer distance between the page's generated points and its real ones (x0 y0 x1 y1 … each).
function chamfer(a, b) {
  const oneWay = (p, q) => {
    let sum = 0;
    for (let i = 0; i < p.length; i += 2) {
      let best = Infinity;
      for (let j = 0; j < q.length; j += 2)
        best = Math.min(best, Math.hypot(p[i] - q[j], p[i + 1] - q[j + 1]));
      sum += best;
    }
    return sum / (p.length / 2);
  };
  return oneWay(a, b) + oneWay(b, a);
}
const distance = async (page) => {
  const { real, generated } = await page.evaluate(() => ({
    real: window.dlplayGan.real(),
    generated: window.dlplayGan.generated(),
  }));
  return chamfer(generated, real);
};
const steps = (page) => page.evaluate(() => window.dlplayGan.steps());

// How many distinct colours a canvas has (a drawn heatmap has many).
const colours = (page, selector) =>
  page.$eval(selector, (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const set = new Set();
    for (let i = 0; i < d.length; i += 16) set.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return set.size;
  });

describe('the gan view', () => {
  test('in English: plays, and the generated points move toward the ring', async () => {
    const { page, errors } = await open();
    expect(await page.title()).toBe('A GAN learns a distribution · dlplay');
    await expect.poll(() => page.locator('h1').textContent()).toBe('A GAN learns a distribution');
    expect(await page.locator('.formula').first().textContent()).toContain('E[log D(x)]');
    const before = await distance(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => steps(page), { timeout: 30_000 }).toBeGreaterThan(1200);
    await page.getByRole('button', { name: 'Pause' }).click();
    const after = await distance(page);
    console.log(
      `gan: chamfer distance ${before.toFixed(3)} -> ${after.toFixed(3)} after ${await steps(page)} steps`,
    );
    expect(after).toBeLessThan(0.6 * before);
    expect(after).toBeLessThan(0.2);
    // The values shown are the engine's, formatted.
    const m = await page.evaluate(() => window.dlplayGan.metrics());
    const shown = async (s) => (await page.locator(s).textContent()).replace(/[()]/g, '').replace('−', '-');
    expect(await shown('output.v-real')).toBe(m.logDReal.toFixed(3));
    expect(await shown('output.v-fake')).toBe(m.logOneMinusFake.toFixed(3));
    expect(await shown('output.m-g')).toBe(m.gLoss.toFixed(3));
    expect(Number(await page.locator('output.m-steps').textContent())).toBe(await steps(page));
    expect(await colours(page, 'canvas.plane')).toBeGreaterThan(50);
    await page.screenshot({ path: join(shots, 'gan-en.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('in Chinese, with its settings from the hash', async () => {
    const { page, errors } = await open('gan.html#lang=zh&real=gaussians&noise=1&k=2&glr=0.001');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await expect.poll(() => page.locator('h1').textContent()).toBe('生成对抗网络');
    expect(await page.locator('#real').inputValue()).toBe('gaussians');
    expect(await page.locator('#noise').inputValue()).toBe('1');
    expect(await page.locator('#k').inputValue()).toBe('2');
    expect(await page.locator('.trainbar button.step').textContent()).toBe('单步 ×50');
    await page.locator('.trainbar button.step').click();
    await expect.poll(() => steps(page)).toBe(50);
    // A setting from the page goes to the hash.
    await page.locator('#dlr').selectOption('0.01');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('dlr=0.01');
    expect(await steps(page)).toBe(50); // a learning rate keeps the GAN; the noise dimension would not
    // Another distribution while playing: a new GAN, still playing.
    await page.getByRole('button', { name: '播放' }).click();
    await page.locator('#real').selectOption('ring');
    await expect.poll(() => page.evaluate(() => window.dlplayGan.playing())).toBe(true);
    await expect.poll(() => steps(page)).toBeGreaterThan(0);
    await page.getByRole('button', { name: '暂停' }).click();
    expect(await page.evaluate(() => window.dlplayGan.real().length)).toBe(1024);
    await page.screenshot({ path: join(shots, 'gan-zh.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('Share: the groups, the link and snippet for this state; the header links from the site root', async () => {
    const { page, errors } = await open('gan.html#real=line&k=2');
    expect(await page.locator('a[data-nav="index"]').getAttribute('href')).toBe(
      `${server.url}lessons/index.html`,
    );
    expect(await page.locator('a[data-nav="playground"]').getAttribute('href')).toBe(
      `${server.url}index.html`,
    );
    await page.getByRole('button', { name: 'Share' }).click();
    const dialog = page.locator('dialog.share');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator('input[name=share-hide]').evaluateAll((l) => l.map((i) => i.value))).toEqual([
      'real',
      'generator',
      'discriminator',
      'training',
      'show',
      'play',
      'share',
    ]);
    await dialog.getByLabel('Generator settings').check();
    const iframe = await page.locator('#share-iframe').inputValue();
    expect(iframe).toContain('embed.html#view=gan&amp;real=line&amp;k=2');
    expect(iframe).toContain('hide=generator');
    await page.locator('#share-close').click();
    await page.getByLabel('Language').selectOption('zh');
    await page.getByRole('button', { name: '分享' }).click();
    await expect.poll(() => dialog.getByLabel('生成器设置').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('a reload continues the experiment (the kit keeps it), "Start fresh" starts again', async () => {
    const { page, errors } = await open('gan.html#real=gaussians&k=2');
    await page.locator('.trainbar button.step').click();
    await expect.poll(() => steps(page)).toBe(50);
    const generated = await page.evaluate(() => window.dlplayGan.generated());
    await page.waitForTimeout(2300); // the autosave writes at most every 2 s
    await page.reload();
    await page.waitForFunction(() => window.dlplayGan?.ready && window.dlplayGan.steps() === 50, null, {
      timeout: 20_000,
    });
    expect(await page.evaluate(() => window.dlplayGan.generated())).toEqual(generated);
    expect(await page.locator('output.m-steps').textContent()).toBe('50');
    const note = page.locator('.note', { hasText: 'Your GAN is back' });
    await expect.poll(() => note.textContent()).toContain('(step 50)');
    await note.getByRole('button', { name: 'Start fresh' }).click();
    await expect.poll(() => steps(page)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('controls=none hides the settings and keeps the pictures, values, formula, chart and play bar', async () => {
    const { page, errors } = await open('gan.html?embed=1#controls=none', { width: 700, height: 480 });
    const visible = (s) => page.$$eval(s, (l) => l.map((e) => e.checkVisibility()));
    for (const g of ['real', 'generator', 'discriminator', 'training', 'show'])
      expect(await visible(`[data-group=${g}]`), g).toEqual(
        (await visible(`[data-group=${g}]`)).map(() => false),
      );
    for (const s of ['canvas.plane', '.trainbar', 'output.m-d', '.formula.values', '.chart canvas'])
      expect((await visible(s)).every(Boolean), s).toBe(true);
    await page.screenshot({ path: join(shots, 'gan-embed-controls-none.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('the student draws the real distribution', async () => {
    // With nothing drawn there is no GAN yet: opened without waiting for its points.
    const p = await context.newPage();
    const errors = [];
    p.on('pageerror', (e) => errors.push(e.message));
    p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await p.goto(`${base}#real=points`);
    await p.waitForFunction(() => window.dlplayGan?.ready);
    expect(await p.evaluate(() => window.dlplayGan.generated().length)).toBe(0);
    await expect.poll(() => p.locator('.note').first().textContent()).toContain('Draw some points');
    const box = await p.locator('canvas.plane').boundingBox();
    await p.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.25);
    await p.mouse.down();
    for (let i = 1; i <= 20; ++i)
      await p.mouse.move(box.x + box.width * (0.25 + 0.025 * i), box.y + box.height * 0.25);
    await p.mouse.up();
    await expect.poll(() => p.evaluate(() => window.dlplayGan.real().length)).toBeGreaterThan(0);
    expect(await p.evaluate(() => location.hash)).toMatch(/pts=-50,50,/);
    const real = await p.evaluate(() => window.dlplayGan.real());
    // The drawn stroke: y = +0.5 across x from −0.5 to 0 (with the engine's little noise).
    for (let i = 0; i < real.length; i += 2) {
      expect(real[i + 1]).toBeGreaterThan(0.35);
      expect(real[i + 1]).toBeLessThan(0.65);
    }
    await p.locator('.trainbar button.step').click();
    await expect.poll(() => p.evaluate(() => window.dlplayGan.steps())).toBe(50);
    await p.screenshot({ path: join(shots, 'gan-drawn.png'), fullPage: true });
    // Locked (lock=real), the plane takes no drawing.
    await p.goto('about:blank');
    await p.goto(`${base}#real=points&pts=0,0&lock=real`);
    await p.waitForFunction(() => window.dlplayGan?.ready && window.dlplayGan.real().length > 0);
    const n = (await p.evaluate(() => window.dlplayGan.real())).length;
    await p.mouse.click(box.x + box.width * 0.8, box.y + box.height * 0.8);
    await p.waitForTimeout(200);
    expect(await p.evaluate(() => location.hash)).toContain('pts=0,0&');
    expect((await p.evaluate(() => window.dlplayGan.real())).length).toBe(n);
    expect(await p.locator('button.clear').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await p.close();
  }, 60_000);

  test('embedded at 700×480 (en, zh): the plane, the play bar and the values in view; the embed API', async () => {
    for (const lang of ['en', 'zh']) {
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.setViewportSize({ width: 760, height: 540 });
      await page.goto(`${server.url}gan-host-${lang}.html`);
      const frame = await expect
        .poll(() => page.frames().find((f) => f.url().includes('gan.html?embed=1')), { timeout: 20_000 })
        .toBeTruthy()
        .then(() => page.frames().find((f) => f.url().includes('gan.html?embed=1')));
      await frame.waitForFunction(() => window.dlplayGan?.ready && window.dlplayGan.generated().length > 0);
      expect(await frame.evaluate(() => document.documentElement.className)).toContain('embed');
      expect(await frame.evaluate(() => document.documentElement.lang)).toBe(lang === 'zh' ? 'zh-CN' : 'en');
      expect(await frame.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(700);
      for (const selector of [
        'canvas.plane',
        '.trainbar',
        'output.m-d',
        '.formula.values',
        '.chart canvas',
      ]) {
        const b = await frame.evaluate((s) => {
          const r = document.querySelector(s).getBoundingClientRect();
          return { x: r.x, y: r.y, right: r.right, bottom: r.bottom };
        }, selector);
        expect(
          b.x >= 0 && b.y >= 0 && b.right <= 700 && b.bottom <= 480,
          `${selector} ${JSON.stringify(b)}`,
        ).toBe(true);
      }
      // The kit's postMessage API, as a course page calls it.
      const call = (method, args) =>
        page.evaluate(
          ([method, args]) =>
            new Promise((resolve) => {
              const id = Math.random();
              const frame = /** @type {HTMLIFrameElement} */ (document.getElementById('f')).contentWindow;
              addEventListener('message', function on(e) {
                if (e.data?.id !== id) return;
                removeEventListener('message', on);
                resolve(e.data);
              });
              frame.postMessage({ dlplay: 1, id, method, args }, '*');
            }),
          [method, args],
        );
      expect((await call('step', [30])).result.step).toBe(30);
      const state = await call('getState', []);
      expect(state.result.metrics.step).toBe(30);
      await call('setState', [`real=line&k=3${lang === 'zh' ? '&lang=zh' : ''}`]);
      await expect.poll(() => frame.evaluate(() => document.querySelector('#real').value)).toBe('line');
      expect(await frame.evaluate(() => window.dlplayGan.steps())).toBe(0); // a new GAN for a new distribution
      await call('step', [40]);
      await page.waitForTimeout(150);
      await page.locator('#f').screenshot({ path: join(shots, `gan-embed-700x480-${lang}.png`) });
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 90_000);
});
