// The site as the browser tests see it: built with Vite (as npm run build:site builds it) into a
// folder of the test file's own, so test files running side by side never race one output.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
