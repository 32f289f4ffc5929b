// The rnn page (web/rnn.html) in headless Chromium (Debian's, through playwright-core): built with
// Vite into its own folder (build/web-rnn-test), served by scripts/serve.mjs with the strict CSP,
// with the real wasm engine and the texts of scripts/build-data.mjs. Screenshots go to
// test-results/rnn/.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, servedSite } from './site.js';

const out = join(root, 'build/web-rnn-test');
const shots = join(root, 'test-results/rnn');

const site = servedSite(out);
const open = (path, options) => site.open(path, options);

beforeAll(async () => {
  await site.start();
  mkdirSync(shots, { recursive: true });
}, 240_000);

afterAll(() => site.close());

const rnn = (page, expr) => page.evaluate(`window.dlplayRnn.${expr}`);

// The first evaluation and sample of a freshly built character model.
const firstSample = (page) =>
  page.waitForFunction(() => window.dlplayRnn?.samples > 0 && window.dlplayRnn.sample.length > 0, null, {
    timeout: 60_000,
  });

describe('the rnn view', () => {
  test('loads in English: a model, its first sample, the probabilities and the heatmap', async () => {
    const { page, errors } = await open('rnn.html#lang=en');
    await firstSample(page);
    expect(await page.locator('h1').textContent()).toBe('dlplay · recurrent networks learn sequences');
    await expect.poll(() => page.locator('#probs li').count(), { timeout: 20_000 }).toBe(10);
    expect(await page.locator('#heatmap').evaluate((c) => c.width > 0 && c.height > 0)).toBe(true);
    // The Lincoln text: ASCII characters only in its vocabulary.
    const vocabulary = await rnn(page, 'vocabulary()');
    expect(vocabulary.length).toBeGreaterThan(40);
    expect(vocabulary.length).toBeLessThan(100);
    // A click on a character of the text: the probabilities after it.
    await page.locator('#excerpt .ch').nth(40).click();
    await expect.poll(() => page.locator('#probs-caption').textContent()).toContain('position 41');
    await page.screenshot({ path: join(shots, 'en.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('loads in Chinese with the Tang quatrains', async () => {
    const { page, errors } = await open('rnn.html#lang=zh&text=tang');
    await firstSample(page);
    expect(await page.locator('h1').textContent()).toBe('dlplay · 循环神经网络学习序列');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('#text').inputValue()).toBe('tang');
    const vocabulary = await rnn(page, 'vocabulary()');
    expect(vocabulary.length).toBeGreaterThan(1000);
    expect(vocabulary.length).toBeLessThanOrEqual(2000);
    expect(vocabulary).toContain('春');
    expect(await page.locator('#sample').textContent()).toMatch(/^春/);
    await page.screenshot({ path: join(shots, 'zh.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  test('embed.html#view=rnn at 700×480: the embedded layout with the sample and the bars', async () => {
    const { page, errors } = await open('embed.html#view=rnn', { viewport: { width: 700, height: 480 } });
    await page.waitForURL((url) => url.pathname.endsWith('/rnn.html') && url.search === '?embed=1');
    await firstSample(page);
    expect(await page.locator('html').getAttribute('class')).toContain('embed');
    expect(await page.locator('header.site').isHidden()).toBe(true);
    // The essentials within the frame: play, the sample, the bars.
    for (const sel of ['#play', '#sample', '#probs'])
      expect((await page.locator(sel).boundingBox()).y).toBeLessThan(480);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(700);
    await page.screenshot({ path: join(shots, 'embed.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('the character model trains: the loss falls and the samples change', async () => {
    const { page, errors } = await open('rnn.html#lang=en&hidden=64&length=16&lr=0.01');
    await firstSample(page);
    const sample0 = await rnn(page, 'sample');
    const loss0 = await rnn(page, 'loss');
    const evaluations0 = await rnn(page, 'evaluations');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect
      .poll(() => rnn(page, 'evaluations'), { timeout: 60_000, intervals: [500] })
      .toBeGreaterThan(evaluations0 + 2);
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => rnn(page, 'sample'), { timeout: 20_000 }).not.toBe(sample0);
    const loss = await rnn(page, 'loss');
    console.log(
      `rnn: loss ${loss0} → ${loss} after epoch ${await rnn(page, 'epoch')}; sample now “${(await rnn(page, 'sample')).slice(0, 80)}”`,
    );
    expect(loss).toBeLessThan(loss0 * 0.8);
    expect(Number((await page.locator('#ppl-out').textContent()) ?? 'NaN')).toBeGreaterThan(1);
    await page.screenshot({ path: join(shots, 'trained.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  test('the parity toy learns: its accuracy rises', async () => {
    const { page, errors } = await open('rnn.html#lang=en&tab=parity&plength=6&phidden=8');
    await page.waitForFunction(() => window.dlplayRnn?.parity.builds > 0, null, { timeout: 30_000 });
    expect(await page.locator('#panel-parity').isVisible()).toBe(true);
    expect(await page.locator('#panel-text').isHidden()).toBe(true);
    expect(await page.locator('#bits .bit').count()).toBe(6);
    await expect.poll(() => page.locator('#pred .bit').count()).toBe(6);
    await page.locator('#p-step').click();
    await expect.poll(() => rnn(page, 'parity.accuracy'), { timeout: 10_000 }).not.toBeNull();
    const acc0 = await rnn(page, 'parity.accuracy');
    await page.locator('#p-play').click();
    await expect
      .poll(() => rnn(page, 'parity.accuracy'), { timeout: 45_000, intervals: [500] })
      .toBeGreaterThan(Math.max(acc0 + 0.1, 0.8));
    await page.locator('#p-play').click();
    console.log(`parity: accuracy ${acc0} → ${await rnn(page, 'parity.accuracy')}`);
    await page.screenshot({ path: join(shots, 'parity.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('the hash: a choice is written, a bad value is reported and replaced', async () => {
    const { page, errors } = await open('rnn.html#lang=en&hidden=7&bogus=1');
    await firstSample(page);
    await expect.poll(() => page.locator('#notes').textContent()).toContain('hidden = “7”');
    expect(await page.locator('#notes').textContent()).toContain('unknown setting “bogus”');
    expect(await page.locator('#hidden').inputValue()).toBe('64');
    expect(await page.locator('#act-field').isHidden()).toBe(true); // (an LSTM has no activation choice)
    await page.locator('#cell').selectOption('rnn');
    expect(await page.locator('#act-field').isVisible()).toBe(true);
    await page.locator('#act').selectOption('relu');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('act=relu');
    // (the rnn build may be overtaken by the relu one: at least one more build)
    await expect.poll(() => rnn(page, 'builds'), { timeout: 30_000 }).toBeGreaterThan(1);
    await page.locator('#cell').selectOption('gru');
    expect(await page.locator('#act-field').isHidden()).toBe(true);
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('cell=gru');
    await page.locator('#tab-parity').click();
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('tab=parity');
    // The Share dialog: the link holds the state, the iframe snippet the embed address.
    await page.locator('#share').click();
    const link = await page.locator('dialog.share textarea').first().inputValue();
    expect(link).toMatch(/rnn\.html#.*cell=gru/);
    expect(await page.locator('dialog.share').textContent()).toContain(
      'Cell, activation, hidden size, sequence length',
    );
    const iframe = await page.locator('dialog.share textarea').last().inputValue();
    expect(iframe).toContain('embed.html#view=rnn');
    await page.locator('#share-save-image').click(); // the snapshot (an error would be a page error)
    await page.locator('#share-close').click();
    // The language from the menu: every text in Chinese.
    await page.locator('#lang').selectOption('zh');
    await expect.poll(() => page.locator('#tab-parity').textContent()).toContain('奇偶');
    await expect.poll(() => page.locator('#p-caption').textContent(), { timeout: 20_000 }).toMatch(/答对/);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('the own text: asked for, pasted, learned; its characters are the vocabulary', async () => {
    const { page, errors } = await open('rnn.html#lang=en&text=own&length=16');
    await expect
      .poll(() => page.locator('#own-info').textContent(), { timeout: 30_000 })
      .toContain('at least 500');
    expect(await page.locator('#own-box').isVisible()).toBe(true);
    expect(await page.locator('#play').isDisabled()).toBe(true);
    const own = 'abab cdcd abab cdcd. '.repeat(30);
    await page.locator('#own-text').fill(own);
    await page.locator('#own-use').click();
    await expect.poll(() => rnn(page, 'builds'), { timeout: 30_000 }).toBeGreaterThan(0);
    await firstSample(page);
    expect(await rnn(page, 'vocabulary()')).toEqual([' ', '.', 'a', 'b', 'c', 'd']);
    expect(await page.locator('#own-info').textContent()).toBe('630 characters, 6 distinct');
    expect(await rnn(page, 'sample')).toMatch(/^a/);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('hide= and lock=: the marked groups are hidden or locked', async () => {
    const { page, errors } = await open('rnn.html#lang=en&hide=model,tabs&lock=sampling');
    await firstSample(page);
    expect(await page.locator('#cell').isHidden()).toBe(true);
    expect(await page.locator('#tab-parity').isHidden()).toBe(true);
    expect(await page.locator('#temp').isDisabled()).toBe(true);
    expect(await page.locator('#resample').isDisabled()).toBe(true);
    expect(await page.locator('#play').isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
