// The lessons that train keep their experiment (web/lessons/lesson.js with ../kit/keep.js): trained a
// little and paused, a reload of the same lesson in the same tab shows the same steps, losses and
// weights, with the "restored" note and its Start fresh button; Start fresh goes back to the start.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchContext } from './chromium.js';
import { startServer } from '../../scripts/serve.mjs';
import { buildSite } from './site.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dist = join(root, 'build/site-autosave-lessons-test');
const shots = join(root, 'test-results');

let server, context, profile, base;

beforeAll(async () => {
  buildSite(dist);
  server = await startServer({ dir: dist, port: 0, csp: true });
  base = server.url;
  ({ context, profile } = await launchContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' }));
  mkdirSync(shots, { recursive: true });
}, 180_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

// What each lesson shows of its experiment, and the element that says it has trained.
const SHOWN = {
  approximation: ['#steps', '#loss', '#bias'],
  depth: ['#steps', '.net-shallow output[data-k="loss"]', '.net-deep output[data-k="loss"]'],
  training: ['.cur-step', '.cur-w1', '.cur-w2', '.cur-loss'],
  fitting: ['.fit-steps', '[data-k="small_train"]', '[data-k="big_train"]', '[data-k="big_test"]'],
};

const shown = (page, which) =>
  page.evaluate((sels) => sels.map((s) => document.querySelector(s)?.textContent ?? null), SHOWN[which]);
const steps = async (page, which) => Number((await shown(page, which))[0]);

async function open(path) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${base}${path}`);
  return { page, errors };
}

// Play for a while in `scope` (the lesson's own bar), pause, let the autosave save.
async function train(page, scope, which, { play = 'Play', pause = 'Pause' } = {}) {
  const bar = page.locator(`${scope} .trainbar`);
  await bar.getByRole('button', { name: play }).click();
  await expect.poll(() => steps(page, which), { timeout: 20_000 }).toBeGreaterThan(100);
  await bar.getByRole('button', { name: pause }).click();
  await page.waitForTimeout(2600); // the autosave's interval, and a frame after the pause
  const before = await shown(page, which);
  expect(Number(before[0])).toBeGreaterThan(100);
  return before;
}

async function reloadAndCompare(page, which, before, { fresh = 'Start fresh' } = {}) {
  await page.reload();
  await page.getByRole('button', { name: fresh }).waitFor({ timeout: 20_000 });
  await expect.poll(() => shown(page, which), { timeout: 10_000 }).toEqual(before);
}

describe('lessons keep their experiment across a reload', () => {
  test('approximation: the same steps, loss and bias; it trains on; Start fresh clears it', async () => {
    const { page, errors } = await open('lessons/approximation.html#units=6');
    await page.locator('#loss').filter({ hasText: /\d/ }).waitFor({ timeout: 20_000 });
    const before = await train(page, '.approx', 'approximation');
    await reloadAndCompare(page, 'approximation', before);
    expect(await page.locator('#notes').textContent()).toMatch(/back where it was at .* \(epoch \d+\)/);
    await page.screenshot({ path: join(shots, 'lesson-approximation-restored.png') });
    // It trains on from there.
    await page.locator('button.step').click();
    await expect.poll(() => steps(page, 'approximation')).toBe(Number(before[0]) + 50);
    await page.getByRole('button', { name: 'Start fresh' }).click();
    await expect.poll(() => steps(page, 'approximation')).toBe(0);
    await page.waitForTimeout(300);
    await page.reload();
    await page.locator('#loss').filter({ hasText: /\d/ }).waitFor({ timeout: 20_000 });
    await page.waitForTimeout(800);
    expect(await steps(page, 'approximation')).toBe(0);
    expect(await page.getByRole('button', { name: 'Start fresh' }).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('depth: both networks come back', async () => {
    const { page, errors } = await open('lessons/depth.html#bits=5');
    await page.locator('.net-deep output[data-k="params"]').filter({ hasText: /^\d+$/ }).waitFor();
    const before = await train(page, '.depth', 'depth');
    await reloadAndCompare(page, 'depth', before);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('training: the landscape path and step 5’s networks come back', async () => {
    const { page, errors } = await open('lessons/training.html#stage=4&lr=0.03');
    await page.locator('.cur-loss').filter({ hasText: /\d/ }).waitFor({ timeout: 20_000 });
    const before = await train(page, '.panel', 'training');
    await reloadAndCompare(page, 'training', before);
    await page.getByRole('button', { name: 'Start fresh' }).waitFor();
    // Step 5 trained too: both parts come back on a reload there.
    await page.locator('.stepper button[data-stage="5"]').click();
    await page.locator('[data-k="big_test"]').filter({ hasText: /\d/ }).waitFor({ timeout: 20_000 });
    const fit = await train(page, '.fitting', 'fitting');
    await reloadAndCompare(page, 'fitting', fit);
    expect(await shown(page, 'training')).toEqual(before);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  test('in Chinese: the note and 重新开始', async () => {
    const { page, errors } = await open('lessons/depth.html#bits=4&lang=zh');
    await page.locator('.net-deep output[data-k="params"]').filter({ hasText: /^\d+$/ }).waitFor();
    const before = await train(page, '.depth', 'depth', { play: '播放', pause: '暂停' });
    await reloadAndCompare(page, 'depth', before, { fresh: '重新开始' });
    expect(await page.locator('#notes').textContent()).toMatch(/你的实验已恢复到 .* 时的状态（第 \d+ 轮）/);
    await page.screenshot({ path: join(shots, 'lesson-depth-restored-zh.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
