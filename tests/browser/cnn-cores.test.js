// The CNN page's cores menu in headless Chromium (strict CSP, the real engine): with 2 cores the
// engine's worker trains with a nested helper worker, and the weights it reaches equal, bit for bit,
// those of the same number of steps by the engine's worker alone; the menu speaks en and zh and
// shows in the embedded page at 700×480.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
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
      Array.from(
        { length: await page.evaluate(() => Math.max(2, Math.min(8, navigator.hardwareConcurrency))) },
        (_, i) => String(i + 1),
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

  test('the ConvNetJS net on mnist10k with 1 and with 2 cores: examples/s in the page (logged)', async () => {
    const { page, errors } = await open('cnn.html#dataset=mnist10k');
    await page.getByLabel('Preset').selectOption('convnetjs');
    await expect.poll(() => page.locator('#net-total').textContent()).toBe('5,994 parameters in all');
    const speeds = {};
    for (const n of ['1', '2']) {
      await page.getByLabel('Cores').selectOption(n);
      await page.waitForFunction((k) => window.dlplayCnn.workers() === k, Number(n));
      await page.getByRole('button', { name: 'Play' }).click();
      const seen = [];
      for (let i = 0; i < 8; i++) {
        await page.waitForTimeout(1000);
        seen.push(await page.evaluate(() => window.dlplayCnn.speed));
      }
      await page.getByRole('button', { name: 'Pause' }).click();
      speeds[n] = seen.slice(3).sort((a, b) => a - b)[2]; // the median of the last 5 s
    }
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(
      `cnn convnetjs/mnist10k: ${Math.round(speeds[1])} examples/s with 1 core, ${Math.round(speeds[2])} with 2 ` +
        `(${(speeds[2] / speeds[1]).toFixed(2)}×), load average ${load}`,
    );
    expect(speeds[1]).toBeGreaterThan(0);
    expect(speeds[2]).toBeGreaterThan(0);
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
