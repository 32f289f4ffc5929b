// The data sets: the two image sets (fetched once, web/public/data/*.bin) and the user's own, made
// of drawings added one by one with their class and of uploaded images (files, folders or zips
// whose paths give the class), kept in memory only (28×28, as MNIST).
import { unzipSync } from 'fflate';
import { app } from './app.js';
import { $ } from './dom.js';
import { t } from './i18n.js';
import { DATASETS } from './state.js';
import { decodeDataset } from './dataset.js';
import { toMnist, PAD } from './pad.js';
import { fillSelect } from '../kit/controls.js';

export const MINE_MIN = 10;
const MAX_UPLOAD = 5000;
const mine = { images: [], labels: [] };
const datasets = new Map(); // name → Promise<decoded set>

export const datasetLabel = (d) => (d === 'mine' ? t('mine', { n: mine.labels.length }) : t(d));

/** Shows the user's set's size (in the count and the data set menu). */
export function showCollection() {
  $('collect-count').textContent = t('mineCount', { count: mine.labels.length });
  fillSelect($('dataset'), Object.keys(DATASETS), datasetLabel);
  if (app.state) $('dataset').value = app.state.dataset;
}

function mineSet() {
  const classes = new Set(mine.labels);
  if (mine.labels.length < MINE_MIN || classes.size < 2)
    throw new Error(t('mineTooFew', { count: MINE_MIN }));
  const images = new Uint8Array(mine.images.length * 784);
  mine.images.forEach((im, i) => images.set(im, i * 784));
  return {
    n: mine.labels.length,
    shape: [1, 28, 28],
    classes: 10,
    max: 255,
    images,
    labels: Uint8Array.from(mine.labels),
  };
}

function addExample(input, label) {
  mine.images.push(Uint8Array.from(input, (v) => Math.round(v * 255)));
  mine.labels.push(label);
}

/** Adds the pad's drawing to the user's set with the class chosen beside it. */
export function addDrawing() {
  const pad = app.views.pad;
  if (pad.empty) return;
  const input = toMnist(pad.ink());
  if (!input) return;
  addExample(input, Number($('collect-class').value));
  showCollection();
  pad.clear();
}

// The class of an uploaded image: its folder ("3/a.png") or the start of its name ("3_a.png").
export function labelOf(path) {
  const parts = path.split('/').filter(Boolean);
  const folder = parts.length > 1 ? parts[parts.length - 2] : '';
  const m = /^(\d)$/.exec(folder) ?? /^(\d)[^\d]/.exec(parts[parts.length - 1] ?? '');
  return m ? Number(m[1]) : null;
}

// An image file as ink (PAD×PAD, 0..1), fitted into the pad; light backgrounds are inverted.
async function inkOf(blob) {
  const bmp = await createImageBitmap(blob);
  const c = new OffscreenCanvas(PAD, PAD);
  const ctx = c.getContext('2d');
  const k = Math.min(PAD / bmp.width, PAD / bmp.height);
  ctx.drawImage(bmp, (PAD - bmp.width * k) / 2, (PAD - bmp.height * k) / 2, bmp.width * k, bmp.height * k);
  bmp.close();
  const d = ctx.getImageData(0, 0, PAD, PAD).data;
  const ink = new Float32Array(PAD * PAD);
  let mean = 0;
  let count = 0;
  for (let i = 0; i < ink.length; ++i) {
    const a = d[i * 4 + 3] / 255;
    ink[i] = a ? (0.299 * d[i * 4] + 0.587 * d[i * 4 + 1] + 0.114 * d[i * 4 + 2]) / 255 : -1;
    if (a) ((mean += ink[i]), count++);
  }
  const light = count && mean / count > 0.5;
  for (let i = 0; i < ink.length; ++i) ink[i] = ink[i] < 0 ? 0 : light ? 1 - ink[i] : ink[i];
  return ink;
}

/** Images (or zips of them) with their classes in their paths, added to the user's set. */
export async function uploadImages(ev) {
  const files = [...(ev.target.files ?? [])];
  ev.target.value = '';
  const items = [];
  for (const f of files) {
    const path = f.webkitRelativePath || f.name;
    if (/\.zip$/i.test(f.name)) {
      const entries = unzipSync(new Uint8Array(await f.arrayBuffer()), {
        filter: (e) => /\.(png|jpe?g|gif|bmp|webp)$/i.test(e.name),
      });
      for (const [name, bytes] of Object.entries(entries))
        items.push({ path: name, blob: new Blob([bytes]) });
    } else if (f.type.startsWith('image/')) items.push({ path, blob: f });
  }
  let added = 0;
  let skipped = 0;
  for (const { path, blob } of items.slice(0, MAX_UPLOAD)) {
    const label = labelOf(path);
    const input = label === null ? null : toMnist(await inkOf(blob).catch(() => new Float32Array(0)));
    if (!input) {
      skipped++;
      continue;
    }
    addExample(input, label);
    added++;
  }
  showCollection();
  return { added, skipped };
}

/** A data set by name: {n, shape, classes, max, images, labels} (rejects with a message to show). */
export function loadDataset(name) {
  if (name === 'mine') {
    try {
      return Promise.resolve(mineSet());
    } catch (err) {
      return Promise.reject(err);
    }
  }
  if (!datasets.has(name)) {
    const p = fetch(new URL(DATASETS[name].file, location.href))
      .then((r) => {
        if (!r.ok) throw new Error(`${DATASETS[name].file}: HTTP ${r.status}`);
        return r.arrayBuffer();
      })
      .then((b) => decodeDataset(b));
    p.catch(() => datasets.delete(name));
    datasets.set(name, p);
  }
  return datasets.get(name);
}

export const exampleSize = (set) => set.shape[0] * set.shape[1] * set.shape[2];

/** Example `index` of a set as values 0..1. */
export function exampleOf(set, index) {
  const n = exampleSize(set);
  const out = new Float32Array(n);
  const src = set.images.subarray(index * n, (index + 1) * n);
  for (let i = 0; i < n; ++i) out[i] = src[i] / set.max;
  return out;
}
