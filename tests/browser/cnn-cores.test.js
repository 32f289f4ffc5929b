// The CNN page's cores menu in headless Chromium (strict CSP, the real engine): with 2 cores the
// engine's worker trains with a nested helper worker, and the weights it reaches equal, bit for bit,
// those of the same number of steps by the engine's worker alone; the menu speaks en and zh and
// shows in the embedded page at 700×480.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, servedSite } from './site.js';

const shots = join(root, 'test-results');
const site = servedSite('build/web-cnn-cores-test');

beforeAll(async () => {
  await site.start();
  mkdirSync(shots, { recursive: true });
}, 180_000);
afterAll(() => site.close());

async function open(path, options) {
  const r = await site.open(path, options);
  await r.page.waitForFunction(() => window.dlplayCnn?.evaluations > 0, null, { timeout: 30_000 });
  return r;
}

describe('CNN page cores', () => {
  test('2 cores train to the same weights as 1, step for step', async () => {
    const { page, errors } = await open('cnn.html#dataset=digits8x8&seed=4');
    const cores = page.getByLabel('Cores');
    expect(await cores.locator('option').allTextContents()).toEqual(
      Array.from({ length: await page.evaluate(() => Math.min(8, navigator.hardwareConcurrency)) }, (_, i) =>
        String(i + 1),
      ),
    );
    await cores.selectOption('2');
    await page.waitForFunction(() => window.dlplayCnn.workers() === 2);
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(2500);
    await page.getByRole('button', { name: 'Pause' }).click();
    const { step } = await page.evaluate(() => window.dlplayCnn.progress());
    expect(step).toBeGreaterThan(20);
    const together = await page.evaluate(() => window.dlplayCnn.parameters());
    await page.screenshot({ path: join(shots, 'cnn-cores-2.png') });
    // Reset: the same seed's fresh model; `step` steps by the engine's worker alone.
    const evaluations = await page.evaluate(() => window.dlplayCnn.evaluations);
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.waitForFunction((n) => window.dlplayCnn.evaluations > n, evaluations);
    expect((await page.evaluate(() => window.dlplayCnn.progress())).step).toBe(0);
    await page.evaluate((n) => window.dlplayCnn.train(n), step);
    const alone = await page.evaluate(() => window.dlplayCnn.parameters());
    expect(alone.length).toBe(together.length);
    expect(alone).toEqual(together);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  test('the menu in Chinese, kept across a reload, and in the embedded page at 700×480', async () => {
    const { page, errors } = await open('cnn.html#dataset=digits8x8&lang=zh');
    const base = page.url().split('cnn.html')[0];
    await page.getByLabel('核心数').selectOption('2');
    expect(await page.getByLabel('核心数').getAttribute('title')).toContain('训练结果都完全相同');
    await page.reload();
    await page.waitForFunction(() => window.dlplayCnn?.evaluations > 0);
    expect(await page.getByLabel('核心数').inputValue()).toBe('2');
    await page.waitForFunction(() => window.dlplayCnn.workers() === 2);
    await page.screenshot({ path: join(shots, 'cnn-cores-zh.png') });
    for (const lang of ['en', 'zh']) {
      await page.setViewportSize({ width: 700, height: 480 });
      await page.goto('about:blank');
      await page.goto(`${base}cnn.html?embed=1#dataset=digits8x8&lang=${lang}`);
      await page.waitForFunction(() => window.dlplayCnn?.evaluations > 0 && window.dlplayCnn.workers() === 2);
      await page.getByRole('button', { name: lang === 'zh' ? '播放' : 'Play' }).click();
      await page.waitForTimeout(1500);
      await page.screenshot({ path: join(shots, `cnn-cores-embed-700x480-${lang}.png`) });
      await page.getByRole('button', { name: lang === 'zh' ? '暂停' : 'Pause' }).click();
      expect((await page.evaluate(() => window.dlplayCnn.progress())).step).toBeGreaterThan(5);
      // The bar scrolls sideways in a narrow frame: the menu is at its end.
      await page.locator('#cores').scrollIntoViewIfNeeded();
      expect(await page.locator('#cores').isVisible()).toBe(true);
      await page.screenshot({ path: join(shots, `cnn-cores-embed-700x480-${lang}-menu.png`) });
    }
    // hide=cores takes the menu away.
    await page.goto('about:blank');
    await page.goto(`${base}cnn.html?embed=1#dataset=digits8x8&hide=cores`);
    await page.waitForFunction(() => window.dlplayCnn?.evaluations > 0);
    expect(await page.locator('#cores').isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
