// Nothing lost: a view keeps its experiment in IndexedDB while it trains; a reload continues where
// it was (same epoch, loss and weights); "Start fresh" clears it; two tabs keep their own.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchContext } from './chromium.js';
import { startServer } from '../../scripts/serve.mjs';
import { buildSite } from './site.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dist = join(root, 'build/site-autosave-test');
const shots = join(root, 'test-results');

let server, context, profile, base;

beforeAll(async () => {
  buildSite(dist);
  server = await startServer({ dir: dist, port: 0 });
  base = server.url;
  ({ context, profile } = await launchContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' }));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const ready = (page) =>
  page.waitForFunction(() => /\d/.test(document.getElementById('train-loss').textContent), null, {
    timeout: 15_000,
  });

async function open(hash) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}${hash}`);
  await ready(page);
  return { page, errors };
}

// What the page shows of its experiment: epoch, losses and every link's drawn width.
const shown = (page) =>
  page.evaluate(() => ({
    epoch: document.getElementById('epoch').textContent,
    train: document.getElementById('train-loss').textContent,
    test: document.getElementById('test-loss').textContent,
    links: document.getElementById('network').dataset.linkWidths,
  }));

async function trainFor(page, ms) {
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(ms);
  await page.getByRole('button', { name: 'Pause' }).click();
  await page.waitForTimeout(2600); // the autosave's interval, and a frame after the pause
}

describe('autosave', () => {
  test('a reload brings the experiment back where it was; Start fresh clears it', async () => {
    const { page, errors } = await open('#dataset=xor&speed=10');
    await trainFor(page, 1500);
    const before = await shown(page);
    expect(Number(before.epoch.replace(/,/g, ''))).toBeGreaterThan(10);
    await page.reload();
    await ready(page);
    await page.getByRole('button', { name: 'Start fresh' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => shown(page)).toEqual(before);
    await page.screenshot({ path: join(shots, 'playground-restored.png') });
    // It trains on from there.
    await page.getByRole('button', { name: 'Play' }).click();
    await expect
      .poll(async () => Number((await shown(page)).epoch.replace(/,/g, '')))
      .toBeGreaterThan(Number(before.epoch.replace(/,/g, '')));
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Start fresh' }).click();
    await expect.poll(async () => (await shown(page)).epoch).toBe('0');
    await page.waitForTimeout(300);
    await page.reload();
    await ready(page);
    await page.waitForTimeout(500);
    expect((await shown(page)).epoch).toBe('0');
    expect(await page.getByRole('button', { name: 'Start fresh' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('two tabs with different experiments keep their own', async () => {
    const a = await open('#dataset=circle&speed=10');
    const b = await open('#dataset=spiral&network=6,6&speed=10');
    await trainFor(a.page, 800);
    await trainFor(b.page, 1500);
    const before = await shown(a.page);
    await a.page.reload();
    await ready(a.page);
    await a.page.getByRole('button', { name: 'Start fresh' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => shown(a.page)).toEqual(before);
    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.page.close();
    await b.page.close();
  }, 60_000);

  test('the CNN page comes back too: the same epoch and test accuracy after a reload', async () => {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}cnn.html`);
    await page.waitForFunction(() => window.dlplayCnn?.evaluations > 0, null, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => window.dlplayCnn.epoch > 0.3, null, { timeout: 30_000 });
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.waitForFunction(() => window.dlplayCnn.evaluations > 1);
    await page.waitForTimeout(2600);
    const epoch = await page.locator('#epoch').textContent();
    await page.reload();
    await page.getByRole('button', { name: 'Start fresh' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('#epoch').textContent()).toBe(epoch);
    await page.screenshot({ path: join(shots, 'cnn-restored.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('a divergence rolls back to the last good weights, keeping the epoch, at a smaller rate', async () => {
    const { page, errors } = await open('#dataset=plane&activation=linear&lr=0.001&speed=10');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(async () => Number((await shown(page)).epoch.replace(/,/g, ''))).toBeGreaterThan(30);
    await page.getByLabel('Learning rate').selectOption('10');
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toContain('smaller learning rate');
    await expect.poll(async () => (await shown(page)).train).toBe('NaN');
    await page.locator('#diverged-rollback').click();
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    expect(await page.getByLabel('Learning rate').inputValue()).toBe('0.01');
    // (the checkpoint of at most a second before: here the first one, after the first frame)
    // The restored weights' scores are drawn on the next frame.
    await expect.poll(async () => Number.isFinite(Number((await shown(page)).train))).toBe(true);
    const back = await shown(page);
    expect(Number(back.epoch.replace(/,/g, ''))).toBeGreaterThanOrEqual(10);
    expect(Number.isFinite(Number(back.train))).toBe(true);
    await page.getByRole('button', { name: 'Play' }).click();
    await expect
      .poll(async () => Number((await shown(page)).epoch.replace(/,/g, '')))
      .toBeGreaterThan(Number(back.epoch.replace(/,/g, '')));
    expect(Number.isFinite(Number((await shown(page)).train))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
