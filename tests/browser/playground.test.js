// The playground page in headless Chromium (Debian's /usr/bin/chromium through playwright-core):
// the built page (vite build → dist/) served by scripts/serve.mjs, with the real wasm engine.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { chromium } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dist = join(root, 'dist');
const shots = join(root, 'test-results');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

let server;
let context;
let profile;
let base;

beforeAll(async () => {
  if (!existsSync(join(root, 'build/wasm/dlplay_engine.mjs')))
    throw new Error('build/wasm/dlplay_engine.mjs is missing: run bash scripts/build-wasm.sh first');
  const built = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.mjs', '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`vite build failed:\n${built.stdout}\n${built.stderr}`);
  server = await startServer({ dir: dist, port: 0 });
  base = server.url;
  profile = mkdtempSync(join(tmpdir(), 'dlplay-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    locale: 'en-US',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(shots, { recursive: true });
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function open(hash = '') {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${base}${hash}`);
  // The first frame from the engine fills the training loss.
  await page.waitForFunction(() => /\d/.test(document.getElementById('train-loss').textContent), null, {
    timeout: 15_000,
  });
  return { page, errors };
}

const hashOf = (page) => page.evaluate(() => location.hash);

describe('playground', () => {
  test('Play trains the circle until the test loss is under 0.1 within 10 s', async () => {
    const { page, errors } = await open();
    // Long tasks on the main thread while training (the issue asks for none over 50 ms).
    await page.evaluate(() => {
      window.__long = [];
      new PerformanceObserver((l) => window.__long.push(...l.getEntries().map((e) => e.duration))).observe({
        type: 'longtask',
      });
    });
    const play = page.getByRole('button', { name: 'Play' });
    await play.click();
    await expect.poll(() => page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
    const t0 = Date.now();
    let loss = Infinity;
    let shot = false;
    while (Date.now() - t0 < 10_000) {
      loss = Number(await page.getByLabel('Test loss').textContent());
      if (!shot && Date.now() - t0 > 1500) {
        await page.screenshot({ path: join(shots, 'playground.png'), fullPage: true });
        shot = true;
      }
      if (loss < 0.1 && shot) break;
      await page.waitForTimeout(100);
    }
    expect(loss).toBeLessThan(0.1);
    const long = await page.evaluate(() => window.__long);
    console.log(
      `playground: test loss ${loss} after ${Date.now() - t0} ms; long tasks: ${JSON.stringify(long)}`,
    );
    expect(
      Number((await page.getByLabel('Epoch', { exact: true }).textContent()).replace(/,/g, '')),
    ).toBeGreaterThan(0);
    // The live numbers are labelled and polite.
    for (const name of ['Training loss', 'Test loss', 'Epoch'])
      expect(await page.getByLabel(name, { exact: true }).getAttribute('aria-live')).toBe('polite');
    // Every neuron has a heatmap drawn by the engine's grid: 4 + 2 + 1 canvases beside the features.
    expect(await page.locator('#network .neuron canvas').count()).toBe(7);
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  test('changing the network changes the URL, and the URL rebuilds the same network', async () => {
    const { page, errors } = await open();
    await page.getByRole('button', { name: 'Add a hidden layer' }).click();
    await page.getByRole('button', { name: 'Add a neuron to layer 1' }).click();
    await page.getByRole('button', { name: 'Add a neuron to layer 1' }).click();
    await page.getByLabel('Activation').selectOption('relu');
    await page.getByRole('checkbox', { name: 'X₁²' }).check();
    await page.getByLabel('Learning rate').selectOption('0.1');
    await expect.poll(() => hashOf(page)).toContain('network=6,2,2');
    const hash = await hashOf(page);
    expect(hash).toContain('activation=relu');
    expect(hash).toContain('features=x1,x2,x1sq');
    expect(hash).toContain('lr=0.1');
    await expect.poll(() => page.locator('#network .neuron').count()).toBe(6 + 2 + 2 + 1);

    const again = await open(hash);
    expect(await again.page.locator('#network .neuron').count()).toBe(11);
    expect(await again.page.getByLabel('Activation').inputValue()).toBe('relu');
    expect(await again.page.getByLabel('Learning rate').inputValue()).toBe('0.1');
    expect(await again.page.getByRole('checkbox', { name: 'X₁²' }).isChecked()).toBe(true);
    expect(await again.page.locator('#layer-count').textContent()).toBe('3 hidden layers');
    expect(await hashOf(again.page)).toBe(hash);
    // Reset to defaults clears it.
    await again.page.getByRole('link', { name: 'Reset to defaults' }).click();
    await expect.poll(() => again.page.locator('#network .neuron').count()).toBe(7);
    expect(await hashOf(again.page)).toBe('');
    expect([...errors, ...again.errors]).toEqual([]);
    await page.close();
    await again.page.close();
  }, 40_000);

  test('switching to Chinese relabels the page and is kept in the URL', async () => {
    const { page } = await open();
    await page.getByLabel('Language').selectOption('zh');
    await expect.poll(() => page.getByRole('button', { name: '播放' }).count()).toBe(1);
    expect(await page.getByLabel('测试损失').count()).toBe(1);
    expect(await page.getByLabel('训练损失').count()).toBe(1);
    expect(await page.getByLabel('学习率').count()).toBe(1);
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await hashOf(page)).toContain('lang=zh');
    await page.getByRole('button', { name: '播放' }).click();
    await expect.poll(() => page.getByRole('button', { name: '暂停' }).count()).toBe(1);
    await page.close();
    const zh = await open('#lang=zh');
    expect(await zh.page.getByRole('heading', { name: '数据' }).count()).toBe(1);
    await zh.page.close();
  }, 30_000);

  test('a hostile hash renders as text and falls back to defaults', async () => {
    const evil = '<img src=x onerror=window.__xss=1>';
    const { page } = await open(`#activation=${evil}&network=4,<svg/onload=window.__xss=2>&foo=<b>x</b>`);
    const notes = page.locator('#notes');
    await expect.poll(() => notes.textContent()).toContain(evil);
    expect(await notes.locator('img, svg, b, script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => window.__xss)).toBeUndefined();
    expect(await page.getByLabel('Activation').inputValue()).toBe('tanh');
    expect(await page.locator('#network .neuron').count()).toBe(7);
    await page.close();
  }, 30_000);

  test('divergence shows a message with a one-click reset', async () => {
    const { page } = await open('#dataset=plane&lr=3&activation=linear');
    await page.getByRole('button', { name: 'Play' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toContain('diverged');
    await page.locator('#diverged-reset').click();
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    expect(await page.getByLabel('Learning rate').inputValue()).toBe('0.03');
    await page.close();
  }, 30_000);

  test('hovering a link shows its weight, which can be edited', async () => {
    const { page } = await open();
    const firstWidth = async () =>
      Number((await page.locator('#network').getAttribute('data-link-widths')).split(',')[0]);
    const before = await firstWidth();
    await page.locator('#network path.hit').first().hover();
    const input = page.getByLabel('Weight from X₁ to layer 1, neuron 1');
    await input.waitFor();
    expect(Number(await input.inputValue())).not.toBeNaN();
    await input.fill('4');
    await input.press('Enter');
    await expect.poll(firstWidth).not.toBe(before);
    expect(await firstWidth()).toBeCloseTo(0.6 + 4 * 1.6, 1);
    await page.close();
  }, 30_000);

  test('clicking the output adds a point to the data', async () => {
    const { page } = await open();
    await page.locator('#points').click({ position: { x: 20, y: 20 } });
    await expect.poll(() => hashOf(page)).toContain('dataset=custom');
    expect((await hashOf(page)).split(';').length).toBe(501);
    await page.close();
  }, 30_000);
});
