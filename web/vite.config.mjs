// Vite for the static site: root web/, built to dist/. The engine module (the Emscripten build,
// build/wasm/dlplay_engine.mjs + .wasm) is referenced as 'dlplay-engine-module?url' and
// 'dlplay-engine-wasm?url' and loaded by wasm/dlplay.js's loadEngine({moduleUrl, wasmUrl});
// DLPLAY_ENGINE_MJS points elsewhere when needed (e.g. a private build while developing).
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { serviceWorker } from './offline/sw-plugin.mjs';
import { VIEWS } from './views.js';

const web = dirname(fileURLToPath(import.meta.url));
const root = resolve(web, '..');
const engineModule = resolve(process.env.DLPLAY_ENGINE_MJS ?? resolve(root, 'build/wasm/dlplay_engine.mjs'));
const engineWasm = engineModule.replace(/\.mjs$/, '.wasm');

export default defineConfig({
  root: web,
  base: './',
  // web/public: the data scripts/build-data.mjs writes (data/*.bin, data/*.txt, gitignored) and their licences.
  publicDir: resolve(web, 'public'),
  plugins: [serviceWorker()],
  resolve: {
    alias: [
      { find: /^dlplay-engine-module(\?.*)?$/, replacement: `${engineModule}$1` },
      { find: /^dlplay-engine-wasm(\?.*)?$/, replacement: `${engineWasm}$1` },
    ],
  },
  server: { fs: { allow: [root, dirname(engineModule)] } },
  worker: { format: 'es' },
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    rollupOptions: {
      // Every view's page (views.js), the lessons index, and embed.html#view=<id>&…: the stable
      // address course pages embed (docs/embedding.md); the host-side element, web/public/embed.js,
      // is copied as it is to dist/embed.js.
      input: {
        ...Object.fromEntries(
          VIEWS.filter((v) => existsSync(resolve(web, v.page))).map((v) => [v.id, resolve(web, v.page)]),
        ),
        ...(existsSync(resolve(web, 'lessons/index.html')) && {
          lessons: resolve(web, 'lessons/index.html'),
        }),
        embed: resolve(web, 'embed.html'),
      },
    },
  },
});
