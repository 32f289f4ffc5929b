// The site as the browser tests see it: built with Vite (as npm run build:site builds it) into a
// folder of the test file's own, so test files running side by side never race one output.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAll } from '../../scripts/build-data.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { launchContext } from './chromium.js';

export const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Builds the site into `out` (absolute, or relative to the repository); returns the folder. */
export function buildSite(out) {
  if (!existsSync(join(root, 'build/wasm/dlplay_engine.mjs')))
    throw new Error('build/wasm/dlplay_engine.mjs is missing: run bash scripts/build-wasm.sh first');
  const dir = resolve(root, out);
  const args = ['vite', 'build', '--config', 'web/vite.config.mjs', '--logLevel', 'error'];
  const built = spawnSync('npx', [...args, '--outDir', dir, '--emptyOutDir'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production' }, // vitest sets 'test'
  });
  if (built.status !== 0) throw new Error(`vite build failed:\n${built.stdout}\n${built.stderr}`);
  return dir;
}

/**
 * A page's test site: the data sets and the site built into `out`, served with the strict CSP,
 * and a Chromium context. open(path, {viewport}) gives a new tab {page, errors} (its uncaught
 * errors and console errors collected); close() ends it all. Call start() in beforeAll.
 */
export function servedSite(out, { viewport = { width: 1400, height: 1000 }, locale = 'en-US' } = {}) {
  let server;
  let context;
  let profile;
  return {
    async start() {
      buildAll({ log: () => {} });
      buildSite(out);
      server = await startServer({ dir: out, port: 0, csp: true });
      ({ context, profile } = await launchContext({ viewport, locale }));
    },
    async open(path, { viewport: size } = {}) {
      const page = await context.newPage();
      if (size) await page.setViewportSize(size);
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`${server.url}${path}`);
      return { page, errors };
    },
    async close() {
      await context?.close();
      await server?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    },
  };
}
