// Every view of web/views.js, the lessons index and embed.html's redirects, served with the strict
// Content-Security-Policy of scripts/serve.mjs (--csp): no violation (securitypolicyviolation events
// in the page, console errors), the engine loads, and each view that trains trains a few steps (the
// others show the engine's numbers). The site is built into build/site-csp-test, its own folder.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { launchBrowser } from './chromium.js';
import { CSP, startServer } from '../../scripts/serve.mjs';
import { buildSite, root } from './site.js';
import { buildAll } from '../../scripts/build-data.mjs';
import { VIEWS } from '../../web/views.js';

const dist = join(root, 'build/site-csp-test');

let server;
let browser;
let context;

beforeAll(async () => {
  buildAll({ log: () => {} });
  buildSite(dist);
  server = await startServer({ dir: dist, port: 0, csp: true });
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  // Before any of the page's scripts: every violation the document sees.
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(
        `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`,
      ),
    );
  });
}, 240_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

const number = async (page, selector) =>
  Number.parseFloat((await page.locator(selector).first().textContent()).replace(/,/g, ''));
const hasText = (page, selector) =>
  page.waitForFunction((s) => /\d/.test(document.querySelector(s)?.textContent ?? ''), selector, {
    timeout: 30_000,
  });
const reads = (page, selector, value) =>
  expect.poll(() => page.locator(selector).first().textContent(), { timeout: 20_000 }).toBe(String(value));

// The hash a view opens with, when its default shows no training.
const HASH = { training: '#stage=4' };

// Per view: how to see the engine work in it (trained steps where it trains).
const CHECKS = {
  async playground(page) {
    await hasText(page, '#train-loss');
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(() => number(page, '#epoch'), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Pause' }).click();
    return `epoch ${await number(page, '#epoch')}, training loss ${await number(page, '#train-loss')}`;
  },
  async cnn(page) {
    await page.waitForFunction(() => window.dlplayCnn?.evaluations > 0, null, { timeout: 30_000 });
    // The epoch the frames report (dlplayCnn.progress() would pause the training).
    const epoch = () => page.evaluate(() => window.dlplayCnn.epoch);
    const before = await epoch();
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(epoch, { timeout: 15_000 }).toBeGreaterThan(before);
    await page.getByRole('button', { name: 'Pause' }).click();
    return `epoch ${(await epoch()).toFixed(2)}, test accuracy ${await page.evaluate(() => window.dlplayCnn.testAccuracy)}`;
  },
  async rnn(page) {
    await page.waitForFunction(() => window.dlplayRnn?.samples > 0, null, { timeout: 30_000 });
    const epoch = () => page.evaluate(() => window.dlplayRnn.epoch);
    await page.getByRole('button', { name: 'Play' }).click();
    await expect.poll(epoch, { timeout: 15_000 }).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Pause' }).click();
    return `epoch ${(await epoch()).toFixed(3)}, sample “${(await page.evaluate(() => window.dlplayRnn.sample)).slice(0, 30)}”`;
  },
  async neuron(page) {
    await hasText(page, 'output.z');
    await page.locator('#learn').click();
    await expect.poll(() => number(page, 'output.step'), { timeout: 15_000 }).toBeGreaterThan(0);
    return `“Let it learn”: step ${await number(page, 'output.step')}`;
  },
  // Lesson 2 trains nothing: the engine's forward pass fills every node.
  async network(page) {
    await hasText(page, 'output.node-value.col-3');
    return `output node ${await number(page, 'output.node-value.col-3')}`;
  },
  async approximation(page) {
    await expect.poll(() => number(page, '#loss'), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.locator('button.step').click();
    await reads(page, '#steps', 50);
    return `50 steps, loss ${await number(page, '#loss')}`;
  },
  async depth(page) {
    await page.waitForFunction(
      () => /^\d+$/.test(document.querySelector('.net-deep output[data-k="params"]')?.textContent ?? ''),
      null,
      {
        timeout: 30_000,
      },
    );
    await page.locator('.depth button.step').click();
    await reads(page, '#steps', 100);
    return `100 steps, deep loss ${await number(page, '.net-deep output[data-k="loss"]')}`;
  },
  async training(page) {
    await page.locator('.landscape-canvas').waitFor();
    await page.locator('.panel button.step').click();
    await reads(page, '.cur-step', 50);
    return `50 steps, loss ${await number(page, '.cur-loss')}`;
  },
  // Lessons 5 and 6 train nothing: the engine's convolution fills the feature map; its parameter counts.
  async convolution(page) {
    await hasText(page, 'table.feature-map td');
    await page.locator('#step').click();
    return `feature map ${await page.locator('table.feature-map td').first().textContent()}`;
  },
  async gan(page) {
    await page.waitForFunction(() => window.dlplayGan?.ready && window.dlplayGan.generated().length > 0);
    await page.locator('.trainbar button.step').click();
    await reads(page, 'output.m-steps', 50);
    return `50 steps, D's loss ${await number(page, 'output.m-d')}`;
  },
  async parameters(page) {
    await hasText(page, 'output.conv-params');
    return `conv parameters ${await page.locator('output.conv-params').first().textContent()}`;
  },
};

async function open(path) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  const response = await page.goto(`${server.url}${path}`);
  expect(response.headers()['content-security-policy']).toBe(CSP);
  return { page, errors };
}

async function finish(page, errors) {
  await page.waitForTimeout(200); // late reports (a worker's, an image's)
  const violations = await page.evaluate(() => window.__csp);
  await page.close();
  return [...violations.map((v) => `CSP: ${v}`), ...errors];
}

describe('under the strict CSP', () => {
  test('the policy is the strict one', () => {
    expect(CSP).toBe("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'");
  });

  for (const view of VIEWS) {
    const hash = HASH[view.id] ?? '';
    test(`${view.id} (${view.page}): no violation, the engine works`, async () => {
      const { page, errors } = await open(`${view.page}${hash}`);
      const did = await CHECKS[view.id](page);
      console.log(`${view.id}: ${did}`);
      expect(await finish(page, errors)).toEqual([]);
    }, 60_000);

    test(`embed.html#view=${view.id}: redirects, no violation, the engine works`, async () => {
      const { page, errors } = await open(`embed.html#view=${view.id}${hash.replace('#', '&')}`);
      await page.waitForURL((url) => url.pathname.endsWith(`/${view.page}`) && url.search === '?embed=1');
      await CHECKS[view.id](page);
      expect(await finish(page, errors)).toEqual([]);
    }, 60_000);
  }

  test('the lessons index and an unknown embed view: no violation', async () => {
    const index = await open('lessons/index.html');
    await index.page.waitForFunction(() => document.querySelectorAll('a[href$=".html"]').length >= 8);
    expect(await finish(index.page, index.errors)).toEqual([]);
    const unknown = await open('embed.html#view=nope');
    await expect
      .poll(() => unknown.page.locator('#message').textContent())
      .toContain('dlplay has no view “nope”');
    expect(await finish(unknown.page, unknown.errors)).toEqual([]);
  }, 60_000);

  test('the listener sees a violation: an inline script is refused', async () => {
    const { page } = await open('lessons/index.html');
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__ran = true';
      document.head.append(s);
    });
    await expect.poll(() => page.evaluate(() => window.__csp.length)).toBeGreaterThan(0);
    expect(await page.evaluate(() => window.__ran)).toBeUndefined();
    expect((await page.evaluate(() => window.__csp))[0]).toMatch(/^script-src-elem blocked inline/);
    await page.close();
  }, 30_000);
});
