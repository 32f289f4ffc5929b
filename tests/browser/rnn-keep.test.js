// The rnn view keeps its experiment (web/rnn/keep.js on ../kit/keep.js): trained and paused, a
// reload in the same tab shows the same step, losses, curves and sample, with the "restored" note
// and Start fresh; trained on from there it gives what the same steps give without a reload; the
// parity toy comes back too; an own text changed meanwhile starts fresh with no error. Built into
// its own folder (build/web-rnn-keep-test), served with the strict CSP; pictures in test-results/rnn/.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, servedSite } from './site.js';

const out = join(root, 'build/web-rnn-keep-test');
const shots = join(root, 'test-results/rnn');
const SMALL = 'hidden=16&length=16'; // a small model: its steps are quick

const site = servedSite(out);
const open = (path, options) => site.open(path, options);

beforeAll(async () => {
  await site.start();
  mkdirSync(shots, { recursive: true });
}, 240_000);

afterAll(() => site.close());

const rnn = (page, expr) => page.evaluate(`window.dlplayRnn.${expr}`);

const firstSample = (page) =>
  page.waitForFunction(() => window.dlplayRnn?.samples > 0 && window.dlplayRnn.sample.length > 0, null, {
    timeout: 60_000,
  });

// What the character model shows of its experiment.
const shown = (page) =>
  page.evaluate(() => ({
    step: window.dlplayRnn.step(),
    epoch: document.getElementById('epoch').textContent,
    loss: document.getElementById('loss-out').textContent,
    ppl: document.getElementById('ppl-out').textContent,
    sample: window.dlplayRnn.sample,
    curves: window.dlplayRnn.curves(),
  }));

// n steps of the engine (the step button's path), then the autosave's interval.
async function train(page, n) {
  await rnn(page, `train(${n})`);
  await page.waitForTimeout(2600);
}

async function reload(page, fresh = '#start-fresh') {
  await page.reload();
  await page.locator(fresh).waitFor({ timeout: 30_000 });
  await firstSample(page);
}

describe('the rnn view keeps its experiment across a reload', () => {
  test('the character model: same step, loss, curves and sample; trains on as without the reload; Start fresh', async () => {
    // The reference: 40 + 25 steps in one go, in a tab of its own.
    const ref = await open(`rnn.html#lang=en&${SMALL}`);
    await firstSample(ref.page);
    await rnn(ref.page, 'train(40)');
    await rnn(ref.page, 'train(25)');
    const expected = await shown(ref.page);
    await ref.page.close();

    const { page, errors } = await open(`rnn.html#lang=en&${SMALL}`);
    await firstSample(page);
    expect(await page.locator('#start-fresh').count()).toBe(0);
    await train(page, 40);
    const before = await shown(page);
    expect(before.step).toBe(40);
    expect(before.curves.loss.x.length).toBeGreaterThan(1);
    await reload(page);
    await expect.poll(() => shown(page), { timeout: 10_000 }).toEqual(before);
    expect(await page.locator('#notes').textContent()).toMatch(/back where it was at .* \(epoch \d+\)/);
    await page.screenshot({ path: join(shots, 'restored-en.png') });
    // Trained on from there: what the same steps gave without a reload.
    await rnn(page, 'train(25)');
    const after = await shown(page);
    expect(after.step).toBe(65);
    expect(after.loss).toBe(expected.loss);
    expect(after.ppl).toBe(expected.ppl);
    expect(after.sample).toBe(expected.sample);
    // Start fresh: step 0, and a reload stays there.
    await page.locator('#start-fresh').click();
    await expect.poll(() => rnn(page, 'step()')).toBe(0);
    await expect.poll(() => page.locator('#start-fresh').count()).toBe(0);
    await page.waitForTimeout(300);
    await page.reload();
    await firstSample(page);
    await page.waitForTimeout(800);
    expect(await rnn(page, 'step()')).toBe(0);
    expect(await page.locator('#start-fresh').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);

  test('in Chinese: the note and 重新开始', async () => {
    const { page, errors } = await open(`rnn.html#lang=zh&${SMALL}`);
    await firstSample(page);
    await train(page, 20);
    const before = await shown(page);
    await reload(page);
    await expect.poll(() => shown(page), { timeout: 10_000 }).toEqual(before);
    expect(await page.locator('#notes').textContent()).toContain('你的实验已恢复到');
    expect(await page.locator('#notes').textContent()).not.toMatch(/AM|PM/); // the time in Chinese too
    expect(await page.locator('#start-fresh').textContent()).toBe('重新开始');
    await page.screenshot({ path: join(shots, 'restored-zh.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  test('the parity toy comes back: its step, loss, accuracy and bits', async () => {
    const { page, errors } = await open('rnn.html#lang=en&tab=parity&plength=6');
    await page.waitForFunction(() => window.dlplayRnn?.parity.builds > 0, null, { timeout: 30_000 });
    await rnn(page, 'parity.train(60)');
    await page.locator('#bits .bit').nth(2).click(); // the student's own bits come back too
    await page.waitForTimeout(2600);
    const toy = () =>
      page.evaluate(() =>
        ['p-epoch', 'p-loss', 'p-acc', 'bits', 'pred'].map((id) => document.getElementById(id).textContent),
      );
    const before = await toy();
    await page.reload();
    await page.locator('#start-fresh-parity').waitFor({ timeout: 30_000 });
    await expect.poll(toy, { timeout: 10_000 }).toEqual(before);
    expect(await page.locator('#notes').textContent()).toContain('The memory toy (parity) is back');
    await page.locator('#start-fresh-parity').click();
    await expect.poll(() => page.locator('#p-epoch').textContent()).toBe('0.00');
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  test('the own text: continued when it is the same, started fresh (no error) when it changed', async () => {
    const { page, errors } = await open('rnn.html#lang=en&text=own&length=16&hidden=16');
    await page.locator('#own-box').waitFor();
    await page.locator('#own-text').fill('abab cdcd abab cdcd. '.repeat(30));
    await page.locator('#own-use').click();
    await firstSample(page);
    await train(page, 30);
    const before = await shown(page);
    await reload(page);
    await expect.poll(() => shown(page), { timeout: 10_000 }).toEqual(before);
    // Another own text in this browser (another tab pasted it): not the text trained on.
    await page.evaluate(() => localStorage.setItem('dlplay-rnn-own-text', 'xyzw xyzw wzyx. '.repeat(40)));
    await page.reload();
    await firstSample(page);
    await page.waitForTimeout(1000);
    expect(await rnn(page, 'step()')).toBe(0);
    expect(await page.locator('#start-fresh').count()).toBe(0);
    expect(await page.locator('.note.error').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});

describe('a divergence of the character model', () => {
  test('pauses, and goes back to the checkpoint of at most a second before at a smaller rate', async () => {
    const { page, errors } = await open(`rnn.html#lang=en&${SMALL}`);
    await firstSample(page);
    await page.locator('#play').click();
    await expect.poll(() => rnn(page, 'step()'), { timeout: 20_000 }).toBeGreaterThan(50);
    await page.waitForTimeout(1500); // a good checkpoint kept
    await rnn(page, 'setWeight(2, 0, NaN)');
    const alert = page.locator('.note.error', { hasText: 'diverged' });
    await alert.waitFor({ timeout: 15_000 });
    expect(await page.locator('#play').getAttribute('aria-label')).toMatch(/Play/);
    await page.screenshot({ path: join(shots, 'diverged-en.png') });
    expect(await page.locator('#diverged-rollback').textContent()).toMatch(
      /Go back to the weights of epoch [\d.]+ with learning rate 0\.003/,
    );
    const evaluations = await rnn(page, 'evaluations');
    await page.locator('#diverged-rollback').click();
    await expect.poll(() => alert.count()).toBe(0);
    expect(await page.locator('#lr').inputValue()).toBe('0.003');
    // The restored step is the page's once the engine's metrics of the restored weights are in.
    await expect.poll(() => rnn(page, 'evaluations')).toBeGreaterThan(evaluations);
    const back = await rnn(page, 'step()');
    expect(back).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#loss-out').textContent()).toMatch(/^\d+\.\d{3}$/);
    await rnn(page, 'train(10)');
    expect(await rnn(page, 'step()')).toBe(back + 10);
    expect(await page.locator('#loss-out').textContent()).toMatch(/^\d+\.\d{3}$/);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
