// The engine in headless Chromium: web/engine/test.html starts the worker (web/engine/worker.js)
// under a strict Content-Security-Policy (script-src 'self' 'wasm-unsafe-eval': no eval), trains
// a session flat out and checks the frames, a second session in the same worker, and an error.
// Needs the wasm build (npm run build) and Debian's chromium (scripts/setup.sh).
import { test, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { launchContext } from './chromium.js';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
let server, context, profile;

beforeAll(async () => {
  if (!existsSync(join(root, 'build/wasm/dlplay_engine.wasm')))
    throw new Error('build/wasm/dlplay_engine.wasm is missing: run npm run build');
  server = await startServer({ dir: root, port: 0, csp: true });
  ({ context, profile } = await launchContext());
}, 60000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('the worker trains under a strict CSP and sends frames', async () => {
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content.Security.Policy|unsafe-eval/i.test(m.text()))
      problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  const response = await page.goto(`${server.url}web/engine/test.html`);
  expect(response.headers()['content-security-policy']).toContain("'wasm-unsafe-eval'");
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 60000 });
  const result = await page.evaluate(() => window.__result);
  const log = await page.locator('#log').innerText();
  expect(result, log).toMatchObject({ ok: true });
  expect(problems, log).toEqual([]);
  // At most one frame per animation frame (60 Hz, with slack for the headless clock).
  expect(result.frames).toBeLessThanOrEqual(Math.ceil(result.seconds * 60 * 1.5) + 2);
  expect(result.message).toContain('layers[0].units');
}, 90000);
