// Embedding (docs/embedding.md) in headless Chromium: the example course page (examples/course/) on one
// loopback origin drives views served from another, through <dl-playground> (dist/embed.js), the raw
// postMessage API, embed.html's redirect and the frame side (web/kit/embed.js).
//   · the kit against a stand-in view (tests/browser/fixtures/embed/, the sources as they are);
//   · the real playground, built with Vite into build/web-embed-test (never racing the other tests' dist/);
//   · the real CNN page.
// A cross-origin module script (embed.js) needs Access-Control-Allow-Origin, which scripts/serve.mjs
// sends, as GitHub Pages does (docs/embedding.md, "Hosting").
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from './chromium.js';
import { startServer } from '../../scripts/serve.mjs';
import { buildSite } from './site.js';
import {
  JUNK,
  rawRoute,
  events,
  now,
  readyOf,
  frameOf,
  call,
  addElement,
  visibleIn,
} from './fixtures/embed/host.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const out = join(root, 'build/web-embed-test');
const shots = join(root, 'test-results');
const EVENTS = ['dl-ready', 'dl-step', 'dl-change', 'dl-diverged', 'dl-error'];

let browser;
let context;
let course; // the course page's origin: 127.0.0.2
const servers = [];
const temps = [];

// A view server on 127.0.0.1 (with the CSP the pages must run under) that allows cross-origin scripts.
async function viewServer(dir) {
  const s = await startServer({ dir, port: 0, csp: true });
  servers.push(s);
  return s.url;
}

beforeAll(async () => {
  course = await startServer({ dir: join(root, 'examples/course'), port: 0, host: '127.0.0.2' });
  servers.push(course);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  // Every dl-* event any element dispatches, in order, on the course page.
  await context.addInitScript((names) => {
    window.__events = [];
    for (const n of names)
      document.addEventListener(n, (e) =>
        window.__events.push({ type: e.type, id: e.target.id, detail: e.detail, t: performance.now() }),
      );
  }, EVENTS);
  mkdirSync(shots, { recursive: true });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  for (const s of servers) await s.close();
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

async function openCourse(site) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${course.url}index.html?dlplay=${encodeURIComponent(site)}`);
  return { page, errors };
}

describe('the kit, against a stand-in view', () => {
  let site;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dlplay-embed-stand-in-'));
    temps.push(dir);
    const fixture = join(root, 'tests/browser/fixtures/embed');
    mkdirSync(join(dir, 'kit'));
    mkdirSync(join(dir, 'embed'));
    cpSync(join(fixture, 'index.html'), join(dir, 'index.html'));
    cpSync(join(fixture, 'index.html'), join(dir, 'cnn.html'));
    cpSync(join(fixture, 'stand-in.js'), join(dir, 'stand-in.js'));
    cpSync(join(root, 'web/kit/embed.js'), join(dir, 'kit/embed.js'));
    cpSync(join(root, 'web/public/embed.js'), join(dir, 'embed.js'));
    cpSync(join(root, 'web/embed.html'), join(dir, 'embed.html'));
    cpSync(join(root, 'web/embed/redirect.js'), join(dir, 'embed/redirect.js'));
    cpSync(join(root, 'web/views.js'), join(dir, 'views.js'));
    cpSync(join(root, 'web/public/favicon.svg'), join(dir, 'favicon.svg'));
    site = await viewServer(dir);
  });

  test('both elements get ready; play gives one step event a frame, with falling loss; pause stops them', async () => {
    const { page, errors } = await openCourse(site);
    await readyOf(page, 'xor');
    await page.locator('#digits').scrollIntoViewIfNeeded();
    await readyOf(page, 'digits');
    const frame = await frameOf(page, 'xor');
    expect(frame.url()).toBe(
      `${site}index.html?embed=1#dataset=xor&network=4,2&lang=zh&hide=regularization&lock=problem`,
    );
    expect(await frame.evaluate(() => document.documentElement.className)).toBe('embed');
    await page.locator('#xor').scrollIntoViewIfNeeded();
    const t0 = await now(page);
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForTimeout(800);
    await call(page, 'xor', 'pause');
    const steps = await events(page, 'dl-step', 'xor', t0);
    const { frames, emitted } = await frame.evaluate(() => window.standIn);
    expect(steps.length).toBeGreaterThan(5);
    expect(emitted).toBe(3 * frames);
    expect(steps.length).toBeLessThanOrEqual(frames + 1); // throttled to one per animation frame
    expect(steps.at(-1).detail.trainLoss).toBeLessThan(steps[0].detail.trainLoss);
    expect(Object.keys(steps[0].detail).sort()).toEqual(
      ['epoch', 'step', 'testAccuracy', 'testLoss', 'trainAccuracy', 'trainLoss'].sort(),
    );
    await page.waitForTimeout(100);
    const t1 = await now(page);
    await page.waitForTimeout(500);
    expect(await events(page, 'dl-step', 'xor', t1)).toEqual([]);
    expect((await events(page, 'dl-step', 'digits')).length).toBe(0); // independent elements
    // A message the course page posts to itself is no frame's: no event.
    await page.evaluate(() => window.postMessage({ dlplay: 1, event: 'step', detail: {} }, '*'));
    await page.waitForTimeout(200);
    expect(await events(page, 'dl-step', 'xor', t1)).toEqual([]);
    expect(await call(page, 'xor', 'step', 5)).toMatchObject({ trainLoss: expect.any(Number) });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('getState and setState round-trip; only the view state and metrics are sent', async () => {
    const { page, errors } = await openCourse(site);
    await readyOf(page, 'xor');
    const first = await call(page, 'xor', 'getState');
    expect(first.state).toBe('dataset=xor&network=4,2&lang=zh');
    expect(first.metrics).not.toHaveProperty('secret');
    const t0 = await now(page);
    await call(page, 'xor', 'setState', '#dataset=circle&lr=0.1');
    expect((await call(page, 'xor', 'getState')).state).toBe('dataset=circle&lr=0.1');
    const frame = await frameOf(page, 'xor');
    expect(await frame.locator('#dataset').inputValue()).toBe('circle');
    const changes = await events(page, 'dl-change', 'xor', t0);
    expect(changes.map((c) => c.detail)).toEqual([{ state: 'dataset=circle&lr=0.1', userInitiated: false }]);
    // The course page's Get state button shows it.
    await page.getByRole('button', { name: 'Get state' }).click();
    await expect
      .poll(() => page.locator('#state').textContent())
      .toContain('"state": "dataset=circle&lr=0.1"');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('hide, lock and controls=none apply to marked groups, also those added later', async () => {
    const { page, errors } = await openCourse(site);
    await addElement(page, { id: 'k', view: 'playground', hide: 'optimizer', lock: 'data' });
    await addElement(page, { id: 'none', view: 'playground', controls: 'none' });
    await readyOf(page, 'k');
    await readyOf(page, 'none');
    const k = await frameOf(page, 'k');
    expect(await k.evaluate(() => window.standIn.late)).toBe(true);
    expect(await visibleIn(k, '[data-group=optimizer]')).toEqual([false, false]);
    expect(await visibleIn(k, '[data-group=data], [data-group=play]')).toEqual([true, true, true]);
    // Locked: the select (which the view re-enabled), the button added later; play is not.
    expect(await k.locator('#dataset').isDisabled()).toBe(true);
    expect(await k.locator('#late-data').isDisabled()).toBe(true);
    expect(await k.locator('#play').isDisabled()).toBe(false);
    const none = await frameOf(page, 'none');
    expect(await visibleIn(none, '[data-group]')).toEqual([true, false, false, false, false]);
    expect(await none.locator('#picture').isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('the frame is made only near the viewport; out of sight the view is told, keep-training too', async () => {
    const { page, errors } = await openCourse(site);
    await addElement(page, { id: 'far', view: 'playground' }, { before: 4000 });
    await addElement(page, { id: 'keep', view: 'playground', 'keep-training': '' }, { before: 4000 });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => document.getElementById('far').frame)).toBeNull();
    await page.locator('#far').scrollIntoViewIfNeeded();
    await readyOf(page, 'far');
    await page.locator('#keep').scrollIntoViewIfNeeded();
    await readyOf(page, 'keep');
    const far = await frameOf(page, 'far');
    const keep = await frameOf(page, 'keep');
    await expect.poll(() => far.evaluate(() => window.standIn.visibility)).toEqual([[false, false]]);
    await page.locator('#far').scrollIntoViewIfNeeded();
    await expect
      .poll(() => far.evaluate(() => window.standIn.visibility))
      .toEqual([
        [false, false],
        [true, false],
      ]);
    await expect.poll(() => keep.evaluate(() => window.standIn.visibility)).toEqual([[false, true]]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('the raw postMessage route answers; malformed messages are ignored without errors', async () => {
    const { page, errors } = await openCourse(site);
    const raw = await rawRoute(page, `${site}embed.html#view=playground&dataset=xor`, JUNK);
    expect(raw.reply).toEqual({
      dlplay: 1,
      id: 'ok',
      result: expect.objectContaining({ state: 'dataset=xor' }),
    });
    expect(raw.replies).toEqual(['ok']); // nothing for the junk
    expect(raw.resize).toBe(true);
    expect(raw.lti).toBe(true);
    expect(raw.frameErrors).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('an unknown view shows the known ids in both languages and fails the calls', async () => {
    const { page, errors } = await openCourse(site);
    await addElement(page, { id: 'nope', view: '<b>nope</b>' });
    const rejected = page.evaluate(() =>
      document
        .getElementById('nope')
        .getState()
        .then(
          () => 'resolved',
          (e) => e.message,
        ),
    );
    await page.waitForFunction(() => window.__events.some((e) => e.type === 'dl-error'));
    expect(await rejected).toContain('Known views: playground, cnn');
    const text = await (await frameOf(page, 'nope')).locator('#message').textContent();
    expect(text).toContain('dlplay has no view “<b>nope</b>”');
    expect(text).toContain('可用的视图：playground, cnn');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});

// The real views, built as the site is (npm run build:site), into a directory of their own.
describe('the real views, built', () => {
  let site;
  let page;
  let errors;
  beforeAll(async () => {
    buildSite(out);
    expect(existsSync(join(out, 'embed.html')) && existsSync(join(out, 'embed.js'))).toBe(true);
    site = await viewServer(out);
    ({ page, errors } = await openCourse(site));
  }, 180_000);
  afterAll(() => page?.close());

  test('the playground gets ready in embed mode, with its hidden and locked groups', async () => {
    await readyOf(page, 'xor');
    const frame = await frameOf(page, 'xor');
    // The view rewrites its hash in its own canonical form (network=4,2 is its default) and keeps the kit keys.
    expect(frame.url()).toMatch(
      /\/index\.html\?embed=1#dataset=xor&lang=zh&hide=regularization&lock=problem$/,
    );
    expect(await frame.evaluate(() => document.documentElement.classList.contains('embed'))).toBe(true);
    const hidden = await visibleIn(frame, '[data-group=regularization]');
    expect(hidden.length).toBeGreaterThan(0);
    expect(hidden.every((v) => v === false)).toBe(true);
    expect(await frame.locator('#problem').isDisabled()).toBe(true);
    expect(await frame.locator('#lr').isVisible()).toBe(true);
    expect(await frame.locator('#network .neuron').count()).toBe(4 + 2 + 1);
  }, 60_000);

  test('play gives step events with falling loss; pause stops them', async () => {
    const t0 = await now(page);
    await call(page, 'xor', 'play');
    await page.waitForTimeout(3000);
    await call(page, 'xor', 'pause');
    const steps = await events(page, 'dl-step', 'xor', t0);
    console.log(
      `playground: ${steps.length} step events in 3 s, train loss ${steps[0]?.detail.trainLoss} → ${steps.at(-1)?.detail.trainLoss}`,
    );
    expect(steps.length).toBeGreaterThan(10);
    expect(steps.at(-1).detail.trainLoss).toBeLessThan(steps[0].detail.trainLoss);
    expect(steps.at(-1).detail.step).toBeGreaterThan(steps[0].detail.step);
    await page.waitForTimeout(300);
    const t1 = await now(page);
    await page.waitForTimeout(700);
    expect(await events(page, 'dl-step', 'xor', t1)).toEqual([]);
    await page.getByRole('button', { name: 'Get state' }).click();
    await expect.poll(() => page.locator('#state').textContent()).toContain('"trainLoss"');
    await page.screenshot({ path: join(shots, 'embed-course.png'), fullPage: true });
  }, 60_000);

  test('setState changes the view and getState reports it', async () => {
    const t0 = await now(page);
    await call(page, 'xor', 'setState', 'dataset=circle&network=3&lang=zh');
    const frame = await frameOf(page, 'xor');
    await expect.poll(() => frame.locator('#network .neuron').count()).toBe(3 + 1);
    const got = await call(page, 'xor', 'getState');
    expect(got.state).toContain('network=3');
    expect(got.state).not.toContain('dataset=');
    expect(got.state).not.toContain('hide=');
    expect(Object.keys(got.metrics).sort()).toEqual(
      ['epoch', 'step', 'testAccuracy', 'testLoss', 'trainAccuracy', 'trainLoss'].sort(),
    );
    const changes = await events(page, 'dl-change', 'xor', t0);
    expect(
      changes.some((c) => c.detail.userInitiated === false && c.detail.state.includes('network=3')),
    ).toBe(true);
    await call(page, 'xor', 'setState', 'dataset=xor&network=4,2&lang=zh');
  }, 60_000);

  test('at 700×480 the main picture is inside the frame', async () => {
    await addElement(
      page,
      { id: 'small', view: 'playground', state: 'dataset=xor&network=4,2', height: '480' },
      {
        width: 700,
      },
    );
    await page.locator('#small').scrollIntoViewIfNeeded();
    await readyOf(page, 'small');
    const frame = await frameOf(page, 'small');
    const box = await page.locator('#small iframe').boundingBox();
    expect([Math.round(box.width), Math.round(box.height)]).toEqual([700, 480]);
    const pic = await frame.evaluate(() => {
      // The decision map (snapshot() composes a copy of it, outside the page).
      const r = document.getElementById('plot').getBoundingClientRect();
      return { left: r.left, top: r.top, right: r.right, bottom: r.bottom, w: innerWidth, h: innerHeight };
    });
    console.log(`700×480: main picture at ${JSON.stringify(pic)}`);
    expect(pic.right - pic.left).toBeGreaterThan(100);
    expect(pic.left).toBeGreaterThanOrEqual(0);
    expect(pic.top).toBeGreaterThanOrEqual(0);
    expect(pic.right).toBeLessThanOrEqual(pic.w);
    expect(pic.bottom).toBeLessThanOrEqual(pic.h);
    await page.waitForTimeout(500);
    await page.locator('#small').screenshot({ path: join(shots, 'embed-playground-700x480.png') });
  }, 60_000);

  test('the raw postMessage route answers; malformed messages cause no errors', async () => {
    const raw = await rawRoute(page, `${site}embed.html#view=playground&dataset=xor`, JUNK);
    expect(raw.reply.result.state).toContain('dataset=xor');
    expect(raw.replies).toEqual(['ok']);
    expect(raw.resize && raw.lti).toBe(true);
    expect(raw.frameErrors).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  test('the CNN page gets ready, trains from the host and hides its groups', async () => {
    await page.locator('#digits').scrollIntoViewIfNeeded();
    await readyOf(page, 'digits', 60_000);
    const frame = await frameOf(page, 'digits');
    for (const g of ['save', 'presets']) {
      const v = await visibleIn(frame, `[data-group=${g}]`);
      expect(v.length, g).toBeGreaterThan(0);
      expect(v.every((x) => x === false)).toBe(true);
    }
    const t0 = await now(page);
    await call(page, 'digits', 'play');
    await page.waitForTimeout(4000);
    await call(page, 'digits', 'pause');
    const steps = await events(page, 'dl-step', 'digits', t0);
    const losses = steps.map((e) => e.detail.trainLoss).filter((l) => typeof l === 'number');
    console.log(`cnn: ${steps.length} step events in 4 s, train loss ${losses[0]} → ${losses.at(-1)}`);
    expect(losses.length).toBeGreaterThan(3);
    expect(losses.at(-1)).toBeLessThan(losses[0]);
    expect((await call(page, 'digits', 'getState')).metrics.step).toBeGreaterThan(0);
    await page.locator('#digits').screenshot({ path: join(shots, 'embed-course-cnn.png') });
    expect(errors).toEqual([]);
  }, 90_000);
});
