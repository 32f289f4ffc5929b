// A Vite plugin (build only) that writes dist/sw.js: web/offline/sw.js with the list of every built
// file (pages, JS, CSS, the engine worker, the Emscripten module and its .wasm) and a version that
// changes whenever any of them changes. Files over maxBytes (large data sets, e.g. the CNN page's
// images) are not fetched at install; the worker caches them when a page first uses them. No
// dependency; the page registers it (web/offline/register.js) in the build, never on the dev server.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const TEMPLATE = new URL('./sw.js', import.meta.url);

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

export function serviceWorker({ fileName = 'sw.js', skip = /\.map$/, maxBytes = 2 * 1024 * 1024 } = {}) {
  let outDir;
  return {
    name: 'dlplay-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    // After every file is on disk (HTML, assets and the worker's chunks all included).
    closeBundle() {
      const files = walk(outDir)
        .map((p) => relative(outDir, p).split(sep).join('/'))
        .filter((f) => f !== fileName && !skip.test(f))
        .sort();
      const hash = createHash('sha256');
      for (const f of files)
        hash
          .update(f)
          .update('\0')
          .update(readFileSync(join(outDir, f)));
      const version = hash.digest('hex').slice(0, 16);
      const precache = files.filter((f) => statSync(join(outDir, f)).size <= maxBytes);
      const source = readFileSync(TEMPLATE, 'utf8')
        .replace('self.__DLPLAY_VERSION__', JSON.stringify(version))
        .replace('self.__DLPLAY_FILES__', JSON.stringify(['./', ...precache]));
      writeFileSync(join(outDir, fileName), source);
    },
  };
}
