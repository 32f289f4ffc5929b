// The playground's models in headless Chromium: several classes, regression files, the loss and
// its formula, accuracy and the confusion matrix, hand-edited weights in the URL, save → load →
// `dlplay eval`, PyTorch export, stop conditions, saturation and divergence hints, the phone layout.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchContext } from './chromium.js';
import { startServer } from '../../scripts/serve.mjs';
import { buildSite } from './site.js';
import { loadEngine } from '../../wasm/dlplay.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dist = join(root, 'build/site-playground-models-test');
const shots = join(root, 'test-results');
const cli = join(root, 'build/native/dlplay');

let server, context, profile, base, tmp;

beforeAll(async () => {
  buildSite(dist);
  server = await startServer({ dir: dist, port: 0 });
  base = server.url;
  ({ context, profile } = await launchContext({
    viewport: { width: 1400, height: 900 },
    locale: 'en-US',
    acceptDownloads: true,
  }));
  mkdirSync(shots, { recursive: true });
  tmp = mkdtempSync(join(tmpdir(), 'dlplay-models-'));
}, 120_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function open(hash = '', ctx = context) {
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${base}${hash}`);
  await page.waitForFunction(() => /\d/.test(document.getElementById('train-loss').textContent), null, {
    timeout: 15_000,
  });
  return { page, errors };
}

const number = async (page, label) =>
  Number((await page.getByLabel(label, { exact: true }).textContent()).replace(/[,%]/g, ''));
const epoch = (page) => number(page, 'Epoch');

// Three Gaussian blobs, labels 0, 1, 2, as a teacher's CSV would hold them.
function threeClassCsv() {
  const centres = [
    [-3, -2],
    [3, -2],
    [0, 3.5],
  ];
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const lines = ['x1,x2,label'];
  for (let i = 0; i < 240; i++) {
    const k = i % 3;
    lines.push(
      `${(centres[k][0] + rand() * 1.4).toFixed(3)},${(centres[k][1] + rand() * 1.4).toFixed(3)},${k}`,
    );
  }
  return lines.join('\n');
}

// The distinct class colours drawn on the decision map (hues of saturated pixels, in 30° bins).
function mapHues(page) {
  return page.evaluate(() => {
    const c = /** @type {HTMLCanvasElement} */ (document.getElementById('output-map'));
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const bins = new Map();
    for (let i = 0; i < px.length; i += 4) {
      const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
      const max = Math.max(r, g, b);
      const min = Math.min(r, g, b);
      if (max - min < 40) continue; // near white or grey
      let h;
      if (max === r) h = ((g - b) / (max - min)) % 6;
      else if (max === g) h = (b - r) / (max - min) + 2;
      else h = (r - g) / (max - min) + 4;
      const bin = Math.round(((h * 60 + 360) % 360) / 30) % 12;
      bins.set(bin, (bins.get(bin) ?? 0) + 1);
    }
    return [...bins.entries()].filter(([, n]) => n > 100).map(([b]) => b);
  });
}

async function upload(page, selector, name, text) {
  await page.locator(selector).setInputFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
}

async function downloaded(page, click) {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync(await download.path(), 'utf8');
}

describe('playground models', () => {
  test('a 3-class CSV trains a softmax network to ≥ 90 % test accuracy; the map shows three colours', async () => {
    const { page, errors } = await open('#speed=10');
    await upload(page, '#csv', 'three.csv', threeClassCsv());
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContainEqual(expect.stringContaining('Loaded 240 points, 3 classes.'));
    // The output layer draws its three neurons; the confusion matrix is 3 × 3.
    await expect.poll(() => page.locator('#network .neuron[data-layer="2"]').count()).toBe(3);
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => number(page, 'Test accuracy'), { timeout: 20_000 }).toBeGreaterThanOrEqual(90);
    await page.getByRole('button', { name: 'Pause' }).click();
    expect((await mapHues(page)).length).toBeGreaterThanOrEqual(3);
    expect(await page.locator('#confusion tbody tr').count()).toBe(3);
    expect(await page.locator('#loss-formula').textContent()).toContain('softmax');
    await page.screenshot({ path: join(shots, 'playground-3-classes.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('spiral arms with a class count: K outputs, cross-entropy, K swatches in the legend', async () => {
    const { page, errors } = await open('#dataset=spiral&classes=4&loss=cross_entropy&network=8,8');
    expect(await page.locator('#network .neuron[data-layer="2"]').count()).toBe(4);
    expect(await page.getByLabel('Classes').inputValue()).toBe('4');
    expect(await page.locator('#legend .swatch').count()).toBe(4);
    expect(await page.locator('#loss-formula').textContent()).toContain('ln p');
    await page.getByLabel('Classes').selectOption('5');
    await expect.poll(() => page.locator('#network .neuron[data-layer="2"]').count()).toBe(5);
    expect(await page.evaluate(() => location.hash)).toContain('classes=5');
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  test('a regression CSV trains and says what it loaded', async () => {
    const { page, errors } = await open();
    const rows = ['x1,x2,value'];
    for (let i = 0; i < 100; i++) {
      const x = (i % 10) - 4.5;
      const y = Math.floor(i / 10) - 4.5;
      rows.push(`${x},${y},${(0.1 * x + 0.05 * y + 0.132).toFixed(3)}`);
    }
    await upload(page, '#csv', 'values.csv', rows.join('\n'));
    await expect
      .poll(() => page.getByRole('status').allTextContents())
      .toContainEqual(
        expect.stringMatching(/Loaded 100 points for regression, values from -?0\.\d+ to 0\.\d+/),
      );
    expect(await page.getByLabel('Problem type').inputValue()).toBe('regression');
    // The scores read '–' while the new data's network is rebuilt; its first loss follows.
    await expect.poll(() => number(page, 'Training loss')).toBeGreaterThan(0);
    const before = await number(page, 'Training loss');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => epoch(page), { timeout: 15_000 }).toBeGreaterThan(20);
    expect(await number(page, 'Training loss')).toBeLessThan(before);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  test('hand-edited weights survive a reload from the URL', async () => {
    const { page, errors } = await open('#network=2');
    await page.locator('#network path.hit').first().hover();
    const input = page.getByLabel('Weight from X₁ to layer 1, neuron 1');
    await input.fill('2.5');
    await input.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toContain('weights=2.5,');
    // Enter and Escape in the weight card raise no page error.
    // (links cross: the card of a link under another one is opened by its own mouseenter)
    await page.locator('#network path.hit').nth(1).dispatchEvent('mouseenter');
    await page.getByLabel('Weight from X₂ to layer 1, neuron 1').press('Escape');
    await expect.poll(() => page.locator('.weight-card').count()).toBe(0);
    await page.locator('#network path.hit').nth(2).dispatchEvent('mouseenter');
    await page.getByLabel('Weight from X₁ to layer 1, neuron 2').press('Enter');
    await expect.poll(() => page.locator('.weight-card').count()).toBe(0);
    const url = page.url();
    await page.close();
    const again = await open(url.slice(base.length));
    await again.page.locator('#network path.hit').first().hover();
    expect(await again.page.getByLabel('Weight from X₁ to layer 1, neuron 1').inputValue()).toBe('2.500');
    expect(errors).toEqual([]);
    expect(again.errors).toEqual([]);
    await again.page.close();
  }, 30_000);

  test('save → load gives the same model; dlplay eval agrees; the PyTorch script compiles', async () => {
    const { page, errors } = await open(
      '#dataset=gaussian&classes=3&features=x1,x2,x1sq&network=3&dropout=0.1&speed=10',
    );
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => epoch(page)).toBeGreaterThan(5);
    await page.getByRole('button', { name: 'Pause' }).click();
    const saved = await downloaded(page, () => page.getByRole('button', { name: 'Save model' }).click());
    const model = JSON.parse(saved);
    expect(model.features).toEqual(['x1', 'x2', 'x1sq']);
    // Another page loads it: the same network, the same weights, to the last bit.
    const other = await open('');
    await upload(other.page, '#load-model', 'model.json', saved);
    await expect.poll(() => other.page.evaluate(() => location.hash)).toContain('network=3');
    await expect.poll(() => other.page.locator('#network .neuron[data-layer="1"]').count()).toBe(3);
    const again = JSON.parse(
      await downloaded(other.page, () => other.page.getByRole('button', { name: 'Save model' }).click()),
    );
    expect(again.layers.map((l) => l.weights ?? null)).toEqual(model.layers.map((l) => l.weights ?? null));
    // dlplay eval on the saved file gives the engine's predictions for 2-D points.
    const file = join(tmp, 'model.json');
    writeFileSync(file, saved);
    const points = [
      [1, 2],
      [-3, 0.5],
      [0, -4],
    ];
    const run = spawnSync(cli, ['eval', file, '--input', JSON.stringify(points)], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const outputs = JSON.parse(run.stdout).outputs;
    const dl = await loadEngine();
    const s = dl.session(model);
    s.predict(points).forEach((row, i) => row.forEach((v, j) => expect(outputs[i][j]).toBeCloseTo(v, 6)));
    s.dispose();
    // The PyTorch script: compiles, and holds the trained weights.
    const py = await downloaded(page, () => page.getByRole('button', { name: 'Export as PyTorch' }).click());
    expect(py).toContain('nn.Sequential(');
    expect(py).toContain('nn.Softmax(dim=1)');
    expect(py).toContain('nn.Dropout(p=0.1)');
    const w = model.layers[0].weights[0][0];
    expect(py).toContain(Number(w.toPrecision(9)).toString().slice(0, 8));
    writeFileSync(join(tmp, 'model.py'), py);
    const compiled = spawnSync('python3', ['-m', 'py_compile', join(tmp, 'model.py')], { encoding: 'utf8' });
    expect(compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
    // A file that is not a model says so, and the page keeps its network.
    await upload(other.page, '#load-model', 'bad.json', '{"layers": 3}');
    await expect
      .poll(() => other.page.getByRole('alert').allTextContents())
      .toContainEqual(expect.stringContaining('Could not use the model file'));
    expect(await other.page.locator('#network .neuron[data-layer="1"]').count()).toBe(3);
    expect(errors).toEqual([]);
    expect(other.errors).toEqual([]);
    await page.close();
    await other.page.close();
  }, 60_000);

  test('stop at an epoch: training pauses there and says so', async () => {
    const { page, errors } = await open('#stopEpoch=20&speed=10');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Play' }).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => epoch(page)).toBe(20); // the scores are drawn on the frame after the stop
    expect(await page.getByRole('status').allTextContents()).toContainEqual(
      expect.stringContaining('Stopped at epoch 20'),
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);

  test('saving a diverged model says why and downloads nothing, in English and Chinese', async () => {
    for (const [lang, play, save, says] of [
      ['en', 'Play', 'Save model', 'The model cannot be saved: training diverged'],
      ['zh', '播放', '保存模型', '无法保存模型：训练已发散'],
    ]) {
      const { page, errors } = await open(`#lang=${lang}&dataset=plane&lr=3&activation=linear`);
      let downloads = 0;
      page.on('download', () => ++downloads);
      await page.getByRole('button', { name: play }).click();
      await page.locator('#diverged-rollback, #diverged-reset').waitFor({ timeout: 15_000 });
      await page.getByRole('button', { name: save }).click();
      await expect
        .poll(() => page.getByRole('alert').allTextContents())
        .toContainEqual(expect.stringContaining(says));
      if (lang === 'zh') await page.screenshot({ path: join(shots, 'playground-save-diverged-zh.png') });
      expect(downloads).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 40_000);

  test('a learning rate of 10 on classification shows the saturation hint, and its fix trains', async () => {
    const { page, errors } = await open('#lr=10&speed=10');
    await page.getByRole('button', { name: 'Play' }).click();
    const fix = page.locator('#saturated-fix');
    await fix.waitFor({ timeout: 20_000 });
    const hint = await page.getByRole('status').allTextContents();
    expect(hint.join(' ')).toContain('learning rate 10 is too high');
    await page.screenshot({ path: join(shots, 'playground-saturated.png') });
    await fix.click();
    expect(await page.getByLabel('Learning rate').inputValue()).toBe('0.01');
    expect(await page.locator('#saturated-fix').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 40_000);

  test('in Chinese: the new controls, the confusion matrix and the hints speak Chinese', async () => {
    const { page, errors } = await open('#lang=zh&dataset=gaussian&classes=3&loss=cross_entropy');
    expect(await page.locator('label[for=loss]').textContent()).toBe('损失函数');
    expect(await page.locator('#confusion caption').textContent()).toContain('测试数据');
    expect(await page.locator('#save-model').textContent()).toBe('保存模型');
    await page.screenshot({ path: join(shots, 'playground-zh-3-classes.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 30_000);
});
