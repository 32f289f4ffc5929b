// The data sets: the two image sets (fetched once, web/public/data/*.bin) and the user's own, made
// of drawings added one by one with their class and of uploaded images (files, folders or zips
// whose paths give the class), kept in memory only (28×28, as MNIST).
import { app } from './app.js';
import { $ } from './dom.js';
import { t } from './i18n.js';
import { DATASETS } from './state.js';
import { decodeDataset } from './dataset.js';
import { toMnist, PAD } from './pad.js';
import { fillSelect } from '../kit/controls.js';
import { LIMITS, LimitError, checkImage, limitText, zipEntries } from '../kit/limits.js';

export const MINE_MIN = 10;
const IMAGE_NAME = /\.(png|jpe?g|gif|bmp|webp)$/i;
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

/**
 * Images (or zips of them) with their classes in their paths, added to the user's set. What is over
 * the limits of ../kit/limits.js is not read and is listed in a note (or, when nothing was added,
 * in the rejection); a zip with a hostile entry adds nothing.
 */
export async function uploadImages(ev) {
  const files = [...(ev.target.files ?? [])];
  ev.target.value = '';
  app.notes.set('files', null);
  const refused = [];
  const info = { capped: false };
  let read = 0;
  let added = 0;
  let skipped = 0;
  // One image as an example {input, label}, or null (no class in its name, blank, not decodable).
  const example = async (path, image) => {
    const label = labelOf(path);
    if (label === null) return null;
    await checkImage(image, path); // its bytes and its header's size, before decoding
    const blob = image instanceof Blob ? image : new Blob([image]);
    const input = toMnist(await inkOf(blob).catch(() => new Float32Array(0)));
    return input ? { input, label } : null;
  };
  const add = (examples) => {
    for (const e of examples) {
      if (e) (addExample(e.input, e.label), added++);
      else skipped++;
    }
  };
  for (const f of files) {
    if (read >= LIMITS.images) {
      info.capped = true;
      break;
    }
    if (/\.zip$/i.test(f.name)) {
      const examples = [];
      try {
        const accept = (name) => IMAGE_NAME.test(name);
        for await (const e of zipEntries(f, { accept, max: LIMITS.images - read, info })) {
          read++;
          if (e.error) refused.push(e.error);
          else
            await example(e.name, e.bytes).then(
              (x) => examples.push(x),
              (err) => refused.push(err),
            );
        }
        add(examples); // only a zip read to its end
      } catch (err) {
        refused.push(err);
      }
    } else if (f.type.startsWith('image/')) {
      read++;
      await example(f.webkitRelativePath || f.name, f).then(
        (x) => add([x]),
        (err) => refused.push(err),
      );
    }
  }
  if (info.capped)
    refused.push(new LimitError('imagesCapped', { limit: LIMITS.images.toLocaleString('en-US') }));
  showCollection();
  if (refused.length) {
    const list = refused.slice(0, 3).map((err) => limitText(err, t));
    if (refused.length > 3) list.push(t('andMore', { count: refused.length - 3 }));
    const text = t('notRead', { list: list.join(' / ') });
    if (!added) throw new Error(text);
    app.notes.set('files', { kind: 'error', text });
  }
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
