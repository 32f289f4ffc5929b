// The package as people install it: `npm pack` of this repository, installed offline into a
// scratch project in a temporary folder, then used from there exactly as a user would:
//   - the tarball holds what an installed package needs and nothing else (package.json "files");
//   - a Node script imports 'dlplay' and 'dlplay/testing' (resolved through "exports" to the
//     installed copy) and runs the lesson's network;
//   - the typed usage (tests/types/usage.ts) type-checks against the installed declarations under
//     Node's own resolution rules (module: nodenext);
//   - a Vite page importing 'dlplay' is built with the repository's Vite and loaded in headless
//     Chromium under a strict Content-Security-Policy: the bundle must carry the engine's .mjs and
//     .wasm and compute the same outputs.
// Needs the wasm build (npm run build) and Debian's chromium (scripts/setup.sh). No network.
import { test, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';
import { launchBrowser } from '../browser/chromium.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const lessonFixture = join(root, 'tests/fixtures/lesson-2222.json');
// The lesson's 2-2-2-2 network on [1, -1] (docs/lessons.md, lesson 2), to two decimals.
const lessonOutput = [0.62, 0.83];
const round2 = (row) => row.map((v) => Number(v.toFixed(2)));

// What an installed package needs: the API, its Node loader and testing entry, their
// declarations, wasm/package.json (it makes wasm/*.js ES modules), and the engine where
// wasm/dlplay.js looks for it by default (../build/wasm/ from wasm/).
const expectedFiles = [
  'README.md',
  'package.json',
  'build/wasm/dlplay_engine.mjs',
  'build/wasm/dlplay_engine.wasm',
  'wasm/dlplay.d.ts',
  'wasm/dlplay.js',
  'wasm/gan.js',
  'wasm/internal.js',
  'wasm/node.js',
  'wasm/package.json',
  'wasm/session.js',
  'wasm/testing.d.ts',
  'wasm/testing.js',
  'wasm/values.js',
  'wasm/team.js',
  'wasm/team-node.js',
  'wasm/team.d.ts',
  ...(existsSync(join(root, 'LICENSE')) ? ['LICENSE'] : []),
].sort();

let work; // the temporary folder: the tarball and the scratch project
let project;
let packed; // npm pack --json's description of the tarball
let browser;
let server;

// Runs a command without blocking the test worker; rejects with its output when it fails.
function run(file, args, { cwd, timeout = 240000, env = process.env } = {}) {
  return new Promise((resolveRun, reject) => {
    execFile(file, args, { cwd, timeout, env, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error)
        reject(new Error(`${file} ${args.join(' ')} failed (${error.message})\n${stdout}\n${stderr}`));
      else resolveRun({ stdout, stderr });
    });
  });
}

// The environment of a user's shell: without what Vitest sets for its own workers.
function userEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key === 'NODE_ENV' || key.startsWith('VITEST')) delete env[key];
  return env;
}

function files(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) =>
      relative(dir, join(e.parentPath ?? e.path, e.name))
        .split(sep)
        .join('/'),
    );
}

beforeAll(async () => {
  if (!existsSync(join(root, 'build/wasm/dlplay_engine.wasm')))
    throw new Error('build/wasm/dlplay_engine.wasm is missing: run npm run build');
  work = mkdtempSync(join(tmpdir(), 'dlplay-pack-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: root });
  [packed] = JSON.parse(stdout);
  project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'dlplay-user', version: '1.0.0', private: true, type: 'module' }, null, 2),
  );
  // A local tarball without dependencies: no registry needed.
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', join(work, packed.filename)], {
    cwd: project,
    env: userEnv(),
  });
}, 300000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the tarball holds exactly what an installed package needs', () => {
  expect(packed.files.map((f) => f.path).sort()).toEqual(expectedFiles);
  const installed = join(project, 'node_modules/dlplay');
  expect(files(installed).sort()).toEqual(expectedFiles);
});

test('Node: the installed package loads its engine and runs the lesson network', async () => {
  const script = `
    import { readFileSync } from 'node:fs';
    import { loadEngine } from 'dlplay';
    import { testHooks } from 'dlplay/testing';
    const model = JSON.parse(readFileSync(process.argv[2], 'utf8'));
    const dl = await loadEngine();
    const hooks = testHooks(dl);
    const s = dl.session(model);
    const result = {
      api: import.meta.resolve('dlplay'),
      testing: import.meta.resolve('dlplay/testing'),
      simd: dl.simd,
      one: s.predict([1, -1]),
      rows: s.predict([[1, -1], [0, 0]]),
      memory: hooks.memory(),
    };
    s.dispose();
    result.disposed = s.disposed;
    try {
      testHooks({});
    } catch (e) {
      result.notAnEngine = e.constructor.name;
    }
    console.log(JSON.stringify(result));
  `;
  writeFileSync(join(project, 'check.mjs'), script);
  const { stdout } = await run(process.execPath, ['check.mjs', lessonFixture], {
    cwd: project,
    timeout: 120000,
    env: userEnv(),
  });
  const r = JSON.parse(stdout.trim().split('\n').pop());
  // Resolved to the installed copy, not to this repository.
  const installed = pathToFileURL(join(project, 'node_modules/dlplay')).href;
  expect(r.api).toBe(`${installed}/wasm/dlplay.js`);
  expect(r.testing).toBe(`${installed}/wasm/testing.js`);
  expect(r.simd).toBe('sse2');
  expect(round2(r.one)).toEqual(lessonOutput);
  expect(r.rows.map(round2)).toEqual([lessonOutput, [0.51, 0.85]]);
  expect(r.memory.heapSize).toBeGreaterThan(0);
  expect(r.memory.allocated).toBeGreaterThan(0);
  expect(r.disposed).toBe(true);
  expect(r.notAnEngine).toBe('TypeError');
}, 180000);

test('TypeScript: the typed usage checks against the installed declarations (nodenext)', async () => {
  copyFileSync(join(root, 'tests/types/usage.ts'), join(project, 'usage.ts'));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'es2022',
        lib: ['es2022', 'dom'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        types: [],
        strict: true,
        noEmit: true,
      },
      files: ['usage.ts'],
    }),
  );
  const tsc = join(root, 'node_modules/typescript/bin/tsc');
  // tsc prints its errors on stdout; run() puts them in the failure's message.
  await run(process.execPath, [tsc, '-p', join(project, 'tsconfig.json')], {
    cwd: project,
    timeout: 120000,
  });
}, 180000);

test('Vite: a page importing the installed package builds and runs in Chromium', async () => {
  const page = join(project, 'page');
  mkdirSync(join(page, 'public'), { recursive: true });
  copyFileSync(lessonFixture, join(page, 'lesson.json'));
  writeFileSync(join(page, 'public', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(
    join(page, 'index.html'),
    `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <link rel="icon" href="./icon.svg" />
    <title>dlplay from npm</title>
  </head>
  <body>
    <script type="module" src="./main.js"></script>
  </body>
</html>
`,
  );
  writeFileSync(
    join(page, 'main.js'),
    `import { loadEngine } from 'dlplay';
import { testHooks } from 'dlplay/testing';
import model from './lesson.json';

try {
  const dl = await loadEngine();
  const s = dl.session(model);
  window.__result = { ok: true, simd: dl.simd, out: s.predict([1, -1]), heap: testHooks(dl).memory().heapSize };
  s.dispose();
} catch (e) {
  window.__result = { ok: false, message: String((e && e.stack) || e) };
}
`,
  );
  // The user's build script, on the repository's Vite (resolved from here, run from the page).
  const vite = pathToFileURL(createRequire(join(root, 'package.json')).resolve('vite')).href;
  writeFileSync(
    join(project, 'build.mjs'),
    `import { build } from ${JSON.stringify(vite)};
await build({ root: 'page', configFile: false, logLevel: 'error', build: { outDir: 'dist', emptyOutDir: true } });
`,
  );
  await run(process.execPath, ['build.mjs'], { cwd: project, env: userEnv() });
  const dist = join(page, 'dist');
  const built = files(dist);
  expect(built.filter((f) => f.endsWith('.mjs')).length, `the engine's .mjs in ${built}`).toBe(1);
  expect(
    built.filter((f) => f.endsWith('.wasm')).length,
    `the engine's .wasm in the bundle (${built.join(', ')}): Vite emits it only for a literal ` +
      "new URL('../build/wasm/dlplay_engine.wasm', import.meta.url) in wasm/dlplay.js",
  ).toBe(1);

  server = await startServer({ dir: dist, port: 0, csp: true });
  browser = await launchBrowser();
  const tab = await browser.newPage();
  const problems = [];
  tab.on('pageerror', (e) => problems.push(String(e)));
  tab.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  tab.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  await tab.goto(server.url);
  await tab.waitForFunction(() => window.__result !== undefined, null, { timeout: 90000 });
  const result = await tab.evaluate(() => window.__result);
  expect(result, problems.join('\n')).toMatchObject({ ok: true, simd: 'sse2' });
  expect(round2(result.out)).toEqual(lessonOutput);
  expect(result.heap).toBeGreaterThan(0);
  expect(problems).toEqual([]);
}, 300000);
