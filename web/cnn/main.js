// The CNN page: wires the controls, the URL state, the engine worker, the data sets and the drawings.
// The worker trains flat out and sends a frame per animation frame (weights for the filters, every
// layer's output for the chosen input); the test set is evaluated every second or so (outputs of
// the whole test split and of up to 2,000 training examples) for the curves, the confusion matrix and
// the most confidently wrong images.
import {
  parseHash,
  toHash,
  defaultState,
  applyPreset,
  toSpec,
  toHyper,
  blockOf,
  DATASETS,
  OPTIMIZERS,
  LEARNING_RATES,
  BATCHES,
  ACTIVATIONS,
  DENSE_ACTIVATIONS,
  BLOCK_TYPES,
  PRESET_NAMES,
  MAX_BLOCKS,
  TEST_RATIO,
} from './state.js';
import { t, setLang, getLang, apply as applyI18n, detectLang } from './i18n.js';
import { createClient } from './engine.js';
import { decodeDataset } from './dataset.js';
import { drawValues, drawDigit, drawFilters, filterGrid, range } from './draw.js';
import { DrawingPad, toMnist, toDigits8, PAD } from './pad.js';
import { Curves } from './charts.js';
import { weightsZip, download } from './save.js';
import { unzipSync } from 'fflate';
import { registerServiceWorker } from '../offline/register.js';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('aria-') || k === 'role' || k === 'for') e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...children);
  return e;
};
const TRAIN_SAMPLE = 1000; // training examples evaluated for the train curve
const EVAL_MIN_MS = 800;

let state;
let urlProblems = [];
let message = '';
let keepMessage = false; // the next rebuild keeps the note (e.g. "Loaded the model …")
let netError = null;
let playing = false;
let client;
let session = null; // RemoteSession
let built = null; // {info, layers, test, train, set}
let buildSeq = 0;
let pendingModel = null; // layers (with weights) of a loaded model, for the next build
let source = { kind: 'test' }; // what the feature maps and probabilities show: a test image or the drawing
let pad;
let lossChart;
let accChart;
let latestFrame = null;
let rafPending = false;
let evalBusy = false;
let evalTimer = 0;
let lastEvalMs = 0;
let confusion = null; // {counts, cells: [t][p] → test positions}
let selectedCell = null;
const progress = { step: 0, seen: 0, samples: [] }; // examples seen, for epochs and examples/s
const datasets = new Map(); // name → Promise<decoded set>

// Read by the browser tests.
const stats = {
  frames: 0,
  evaluations: 0,
  speed: 0,
  testAccuracy: null,
  epoch: 0,
  drawMs: [],
  input: () => Array.from(currentInput() ?? []),
  shape: () => built?.info.inputShape,
};
window.dlplayCnn = stats;

// ---------- notes ----------
function renderNotes() {
  const notes = $('notes');
  notes.replaceChildren();
  if (urlProblems.length) {
    const box = el('div', { class: 'note warn', role: 'status' }, el('p', { text: t('urlProblems') }));
    const ul = el('ul');
    for (const p of urlProblems) {
      const value = String(p.value).slice(0, 80);
      ul.append(
        el('li', {
          text:
            p.reason === 'unknown'
              ? t('urlProblemUnknown', { key: p.key })
              : t('urlProblemInvalid', { key: p.key, value }),
        }),
      );
    }
    const dismiss = el('button', { type: 'button', class: 'text-button', text: t('dismiss') });
    dismiss.onclick = () => {
      urlProblems = [];
      renderNotes();
    };
    box.append(ul, dismiss);
    notes.append(box);
  }
  if (message) notes.append(el('div', { class: 'note error', role: 'alert', text: message }));
}
function showMessage(text) {
  message = text;
  renderNotes();
}

// ---------- controls ----------
function fillSelect(select, values, label) {
  const v = select.value;
  select.replaceChildren(...values.map((x) => el('option', { value: String(x), text: label(x) })));
  if (v) select.value = v;
}

function fillControls() {
  fillSelect($('dataset'), Object.keys(DATASETS), datasetLabel);
  fillSelect($('collect-class'), [...Array(10).keys()], String);
  $('collect-count').textContent = t('mineCount', { n: mine.labels.length });
  fillSelect($('preset'), ['', ...PRESET_NAMES], (p) => (p ? t(p) : t('presetChoose')));
  fillSelect($('optimizer'), OPTIMIZERS, t);
  fillSelect($('lr'), LEARNING_RATES, String);
  fillSelect($('batch'), BATCHES, String);
  fillSelect($('add-type'), BLOCK_TYPES, t);
}

function syncControls() {
  $('dataset').value = state.dataset;
  $('preset').value = '';
  $('optimizer').value = state.optimizer;
  $('lr').value = String(state.lr);
  $('batch').value = String(state.batch);
  $('lang').value = getLang();
  for (const r of document.querySelectorAll('input[name=scale]')) r.checked = r.value === state.scale;
  $('add').disabled = state.net.length >= MAX_BLOCKS;
}

function setPlaying(on) {
  playing = on;
  const b = $('play');
  b.classList.toggle('playing', on);
  b.setAttribute('aria-label', t(on ? 'pause' : 'play'));
  b.title = t(on ? 'pause' : 'play');
}

function writeHash() {
  const h = toHash(state);
  if (h !== location.hash) history.replaceState(null, '', h || location.pathname + location.search);
}

const REBUILD = new Set(['dataset', 'net', 'seed']);
const HYPER = new Set(['optimizer', 'lr', 'batch']);

function update(change, force = false) {
  const before = state;
  state = { ...state, ...change };
  const keys = Object.keys(change).filter(
    (k) => force || JSON.stringify(before[k]) !== JSON.stringify(state[k]),
  );
  writeHash();
  syncControls();
  if (keys.includes('net') || keys.includes('dataset')) pendingModel = change.pendingModel ?? null;
  if (keys.some((k) => REBUILD.has(k)) || force) return rebuild();
  if (keys.some((k) => HYPER.has(k))) session?.set(toHyper(state)).catch((e) => showMessage(e.message));
  if (keys.includes('image')) showSource({ kind: 'test' });
  if (keys.includes('scale') && latestDrawn) drawMaps(latestDrawn.activations);
}

// ---------- data ----------
// The user's own data set: drawings added one by one with their class, kept in memory (28×28).
const mine = { images: [], labels: [] };
const MINE_MIN = 10;

function mineSet() {
  const classes = new Set(mine.labels);
  if (mine.labels.length < MINE_MIN || classes.size < 2) throw new Error(t('mineTooFew', { n: MINE_MIN }));
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

function addDrawing() {
  if (pad.empty) return;
  const input = toMnist(pad.ink());
  if (!input) return;
  mine.images.push(Uint8Array.from(input, (v) => Math.round(v * 255)));
  mine.labels.push(Number($('collect-class').value));
  $('collect-count').textContent = t('mineCount', { n: mine.labels.length });
  fillSelect($('dataset'), Object.keys(DATASETS), datasetLabel);
  $('dataset').value = state.dataset;
  pad.clear();
}

// The class of an uploaded image: its folder ("3/a.png") or the start of its name ("3_a.png").
function labelOf(path) {
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

// Images (or zips of them) with their classes in their paths, added to the user's data set.
async function uploadImages(ev) {
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
  for (const { path, blob } of items.slice(0, 5000)) {
    const label = labelOf(path);
    const input = label === null ? null : toMnist(await inkOf(blob).catch(() => new Float32Array(0)));
    if (!input) {
      skipped++;
      continue;
    }
    mine.images.push(Uint8Array.from(input, (v) => Math.round(v * 255)));
    mine.labels.push(label);
    added++;
  }
  $('collect-count').textContent = t('mineCount', { n: mine.labels.length });
  fillSelect($('dataset'), Object.keys(DATASETS), datasetLabel);
  $('dataset').value = state.dataset;
  showMessage(t('uploaded', { n: added, skipped }));
}

const datasetLabel = (d) => (d === 'mine' ? t('mine', { n: mine.labels.length }) : t(d));

function loadDataset(name) {
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

const exampleSize = (set) => set.shape[0] * set.shape[1] * set.shape[2];

function exampleOf(set, index) {
  const n = exampleSize(set);
  const out = new Float32Array(n);
  const src = set.images.subarray(index * n, (index + 1) * n);
  for (let i = 0; i < n; ++i) out[i] = src[i] / set.max;
  return out;
}

function testIndex() {
  const test = built.test;
  return test[((state.image % test.length) + test.length) % test.length];
}

function currentInput() {
  if (!built) return null;
  if (source.kind === 'draw' && source.input) return source.input;
  return exampleOf(built.set, testIndex());
}

function drawSeen() {
  if (!built) return;
  const [, h, w] = built.set.shape;
  const input = currentInput();
  drawDigit($('seen'), input, w, h, 1);
  const k = ((state.image % built.test.length) + built.test.length) % built.test.length;
  $('seen-caption').textContent =
    source.kind === 'draw'
      ? t('drawingCaption')
      : t('imageCaption', { k: k + 1, n: built.test.length, label: built.set.labels[testIndex()] });
}

function showSource(next) {
  source = next;
  if (!built) return;
  drawSeen();
  session?.configure({ activations: { input: currentInput() } }).catch(() => {});
}

function onDraw() {
  if (!built) return;
  if (pad.empty) return showSource({ kind: 'test' });
  const ink = pad.ink();
  const input = DATASETS[state.dataset].shape[1] === 28 ? toMnist(ink) : toDigits8(ink);
  if (input) showSource({ kind: 'draw', input });
}

// ---------- engine ----------
async function rebuild() {
  const seq = ++buildSeq;
  setPlaying(false);
  clearTimeout(evalTimer);
  const old = session;
  session = null;
  built = null;
  old?.pause().catch(() => {});
  let set;
  try {
    set = await loadDataset(state.dataset);
  } catch (err) {
    if (seq !== buildSeq) return;
    old?.dispose().catch(() => {});
    showMessage(t('dataError', { message: err.message }));
    netError = null;
    renderBlocks();
    layoutMaps();
    layoutFilters();
    $('play').disabled = true;
    $('step').disabled = true;
    return;
  }
  if (seq !== buildSeq) return;
  const spec = toSpec(state);
  if (pendingModel)
    spec.layers = spec.layers.map((l, i) => {
      const src = pendingModel[i];
      return src
        ? { ...l, ...(src.weights ? { weights: src.weights } : {}), ...(src.bias ? { bias: src.bias } : {}) }
        : l;
    });
  try {
    const s = await client.build(
      spec,
      { params: true, evaluate: false, activations: null },
      { x: set.images, y: set.labels, scale: 1 / set.max, testRatio: TEST_RATIO },
    );
    if (seq !== buildSeq) {
      s.dispose().catch(() => {});
      return;
    }
    old?.dispose().catch(() => {});
    session = s;
    pendingModel = null;
    netError = null;
    built = { info: s.info, layers: s.info.layers, test: s.data.test, train: s.data.train, set };
    s.onFrame(onFrame);
    s.onError((err) => {
      setPlaying(false);
      showMessage(t('engineError', { message: err.message }));
    });
  } catch (err) {
    if (seq !== buildSeq) return;
    old?.dispose().catch(() => {});
    netError = err.message;
  }
  if (!keepMessage) message = '';
  keepMessage = false;
  renderNotes();
  progress.step = 0;
  progress.seen = 0;
  progress.samples = [];
  stats.speed = 0;
  stats.testAccuracy = null;
  $('epoch').textContent = '0';
  $('speed-out').textContent = '–';
  $('test-acc').textContent = '–';
  lossChart.reset();
  accChart.reset();
  applyChartLabels();
  confusion = null;
  selectedCell = null;
  latestDrawn = null;
  renderBlocks();
  layoutMaps();
  layoutFilters();
  renderConfusion();
  renderWrong(null);
  $('play').disabled = !built;
  $('step').disabled = !built;
  if (!built) return;
  pad.lineWidth = DATASETS[state.dataset].shape[1] === 28 ? 22 : 36; // the sets' stroke widths, relative to the digit
  if (source.kind === 'draw') onDraw();
  showSource(source.kind === 'draw' && source.input?.length === exampleSize(set) ? source : { kind: 'test' });
  evaluateNow();
}

function onFrame(frame) {
  latestFrame = frame;
  if (rafPending) return;
  rafPending = true;
  requestAnimationFrame(() => {
    rafPending = false;
    const f = latestFrame;
    latestFrame = null;
    if (f && built) {
      const t0 = performance.now();
      drawFrame(f);
      stats.frames++;
      if (stats.drawMs.push(performance.now() - t0) > 600) stats.drawMs.splice(0, 300);
    }
  });
}

let latestDrawn = null;

function drawFrame(f) {
  const m = f.metrics;
  if (m.step < progress.step) progress.seen = 0;
  progress.seen += Math.max(0, m.step - progress.step) * state.batch;
  progress.step = m.step;
  const now = performance.now();
  progress.samples.push([now, progress.seen]);
  while (progress.samples.length > 2 && now - progress.samples[0][0] > 2000) progress.samples.shift();
  const [t0, s0] = progress.samples[0];
  if (playing && now - t0 > 300) stats.speed = ((progress.seen - s0) * 1000) / (now - t0);
  $('speed-out').textContent = playing && stats.speed ? Math.round(stats.speed).toLocaleString('en-US') : '–';
  stats.epoch = progress.seen / built.train.length;
  $('epoch').textContent = stats.epoch < 10 ? stats.epoch.toFixed(2) : Math.floor(stats.epoch).toString();
  if (f.params) drawFilterFrame(f.params);
  if (f.activations) {
    latestDrawn = f;
    drawMaps(f.activations);
    drawProbs(f.activations[f.activations.length - 1]);
  }
}

// ---------- evaluation: curves, confusion matrix, wrong images ----------
function softmaxRows(out, k, already) {
  if (already) return out;
  const p = new Float32Array(out.length);
  for (let i = 0; i < out.length; i += k) {
    let m = -Infinity;
    for (let j = 0; j < k; ++j) m = Math.max(m, out[i + j]);
    let s = 0;
    for (let j = 0; j < k; ++j) s += p[i + j] = Math.exp(out[i + j] - m);
    for (let j = 0; j < k; ++j) p[i + j] /= s;
  }
  return p;
}

function metricsOf(out, indices, labels, k) {
  const n = out.length / k;
  let loss = 0;
  let correct = 0;
  const pred = new Uint8Array(n);
  const conf = new Float32Array(n);
  for (let i = 0; i < n; ++i) {
    let best = 0;
    for (let j = 1; j < k; ++j) if (out[i * k + j] > out[i * k + best]) best = j;
    const y = labels[indices[i]];
    pred[i] = best;
    conf[i] = out[i * k + best];
    loss -= Math.log(Math.max(1e-7, out[i * k + y]));
    correct += best === y;
  }
  return { loss: loss / n, accuracy: correct / n, pred, conf };
}

function endsInSoftmax() {
  const last = built.layers[built.layers.length - 1];
  return last.type === 'softmax' || last.activation === 'softmax';
}

async function evaluateNow() {
  clearTimeout(evalTimer);
  if (!session || !built || evalBusy) return;
  evalBusy = true;
  const s = session;
  const b = built;
  const t0 = performance.now();
  try {
    const k = b.info.outputShape.reduce((a, c) => a * c, 1);
    const testOut = softmaxRows(await s.evaluate('splitOutputs', 'test', 0), k, endsInSoftmax());
    const trainOut = softmaxRows(await s.evaluate('splitOutputs', 'train', TRAIN_SAMPLE), k, endsInSoftmax());
    if (s !== session) return;
    const test = metricsOf(testOut, b.test, b.set.labels, k);
    const train = metricsOf(trainOut, b.train, b.set.labels, k);
    const epoch = progress.seen / b.train.length;
    lossChart.add(epoch, train.loss, test.loss);
    accChart.add(epoch, train.accuracy, test.accuracy);
    stats.testAccuracy = test.accuracy;
    stats.evaluations++;
    $('test-acc').textContent = Number.isFinite(test.accuracy) ? `${(test.accuracy * 100).toFixed(1)}%` : '–';
    confusion = { k, test, out: testOut };
    renderConfusion();
    renderWrong(confusion);
    if (selectedCell) showCell(...selectedCell);
  } catch (err) {
    if (s === session) showMessage(t('engineError', { message: err.message }));
  } finally {
    evalBusy = false;
    lastEvalMs = performance.now() - t0;
  }
  if (playing && s === session) evalTimer = setTimeout(evaluateNow, Math.max(EVAL_MIN_MS, 6 * lastEvalMs));
}

function thumb(position, caption) {
  const set = built.set;
  const idx = built.test[position];
  const [, h, w] = set.shape;
  const c = el('canvas', { class: 'pixelated thumb' });
  drawDigit(c, set.images.subarray(idx * h * w, (idx + 1) * h * w), w, h, set.max);
  const b = el('button', { type: 'button', class: 'example', title: caption, 'aria-label': caption }, c);
  b.onclick = () => update({ image: position });
  return b;
}

function renderConfusion() {
  const table = $('confusion');
  table.replaceChildren();
  if (!confusion) {
    table.append(el('caption', { class: 'hint', text: t('noneYet') }));
    return;
  }
  const { k, test } = confusion;
  const labels = built.set.labels;
  const counts = Array.from({ length: k }, () => new Array(k).fill(0));
  const cells = Array.from({ length: k }, () => Array.from({ length: k }, () => []));
  for (let i = 0; i < test.pred.length; ++i) {
    const y = labels[built.test[i]];
    counts[y][test.pred[i]]++;
    cells[y][test.pred[i]].push(i);
  }
  confusion.cells = cells;
  const head = el('tr', {}, el('th', { text: '' }));
  for (let p = 0; p < k; ++p) head.append(el('th', { scope: 'col', text: String(p) }));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  for (let y = 0; y < k; ++y) {
    const row = el('tr', {}, el('th', { scope: 'row', text: String(y) }));
    const total = counts[y].reduce((a, c) => a + c, 0) || 1;
    for (let p = 0; p < k; ++p) {
      const n = counts[y][p];
      const a = n / total;
      const b = el('button', {
        type: 'button',
        text: String(n),
        'aria-label': t('confusionCell', { n, t: y, p }),
      });
      const base = y === p ? [8, 119, 189] : [245, 147, 34];
      b.style.background = n ? `rgba(${base.join(',')},${(0.15 + 0.85 * a).toFixed(3)})` : 'transparent';
      if (a > 0.5) b.style.color = '#fff';
      b.onclick = () => showCell(y, p);
      row.append(el('td', {}, b));
    }
    body.append(row);
  }
  table.append(body);
}

function showCell(y, p) {
  selectedCell = [y, p];
  const list = confusion?.cells?.[y]?.[p] ?? [];
  const root = $('cell-examples');
  root.replaceChildren(el('p', { class: 'caption', text: t('cellExamples', { t: y, p, n: list.length }) }));
  const box = el('div', { class: 'thumbs' });
  for (const pos of list.slice(0, 40))
    box.append(thumb(pos, t('wrongItem', { t: y, p, c: '' }).replace(' (%)', '')));
  root.append(box);
}

function renderWrong(c) {
  const root = $('wrong');
  root.replaceChildren();
  if (!c) return root.append(el('p', { class: 'hint', text: t('noneYet') }));
  const labels = built.set.labels;
  const wrong = [];
  for (let i = 0; i < c.test.pred.length; ++i) if (c.test.pred[i] !== labels[built.test[i]]) wrong.push(i);
  wrong.sort((a, b) => c.test.conf[b] - c.test.conf[a]);
  const box = el('div', { class: 'thumbs' });
  for (const pos of wrong.slice(0, 16)) {
    const caption = t('wrongItem', {
      t: labels[built.test[pos]],
      p: c.test.pred[pos],
      c: Math.round(c.test.conf[pos] * 100),
    });
    const item = el(
      'figure',
      { class: 'wrong-item' },
      thumb(pos, caption),
      el('figcaption', { text: caption }),
    );
    box.append(item);
  }
  root.append(box);
}

function applyChartLabels() {
  lossChart.setLabels([t('trainLoss'), t('testLossShort')]);
  accChart.setLabels([t('trainAcc'), t('testAcc')]);
}

// ---------- probabilities ----------
function layoutProbs() {
  const root = $('probs');
  root.replaceChildren();
  for (let d = 0; d < 10; ++d) {
    root.append(
      el(
        'li',
        {},
        el('span', { class: 'digit', text: String(d) }),
        el('span', { class: 'prob-bar' }, el('span', { class: 'fill' })),
        el('output', {
          class: 'prob',
          id: `prob-${d}`,
          text: '–',
          'aria-label': `${t('probabilities')} ${d}`,
        }),
      ),
    );
  }
}

function drawProbs(out) {
  const k = out.length;
  const p = softmaxRows(out, k, endsInSoftmax());
  let best = 0;
  for (let j = 1; j < k; ++j) if (p[j] > p[best]) best = j;
  const items = $('probs').children;
  for (let d = 0; d < items.length; ++d) {
    const v = d < k ? p[d] : 0;
    items[d].querySelector('.fill').style.width = `${(v * 100).toFixed(1)}%`;
    items[d].querySelector('output').textContent = v.toFixed(3);
    items[d].classList.toggle('best', d === best);
  }
}

// ---------- feature maps and filters ----------
const shapeText = (s) => s.join('×');
let mapViews = []; // per entry of activationsAll: {shape, canvases}

function layoutMaps() {
  const root = $('maps');
  root.replaceChildren();
  mapViews = [];
  if (!built) return;
  const shapes = [built.info.inputShape, ...built.layers.map((l) => l.outputShape)];
  shapes.forEach((shape, j) => {
    const type = j === 0 ? t('inputBlock') : t(blockName(built.layers[j - 1].type));
    const caption =
      j === 0 ? `${type} ${shapeText(shape)}` : t('featureMapsOf', { n: j, type, shape: shapeText(shape) });
    const grid = el('div', { class: 'map-grid' });
    const canvases = [];
    const [c, h, w] = shape.length === 3 ? shape : [1, 1, shape[0]];
    const k = shape.length === 3 ? Math.ceil(48 / w) : Math.max(1, Math.floor(220 / w));
    for (let i = 0; i < c; ++i) {
      const cv = el('canvas', { class: 'pixelated map', role: 'img', 'aria-label': `${caption} #${i + 1}` });
      cv.width = w;
      cv.height = h;
      cv.style.width = `${w * k}px`;
      cv.style.height = `${shape.length === 3 ? h * k : 14}px`;
      canvases.push(cv);
      grid.append(cv);
    }
    root.append(el('div', { class: 'map-layer' }, el('p', { class: 'caption', text: caption }), grid));
    mapViews.push({ shape: [c, h, w], canvases });
  });
}

function drawMaps(acts) {
  if (!acts || acts.length !== mapViews.length) return;
  const global = state.scale === 'global' ? range(acts.flatMap((a) => range(a))) : null;
  acts.forEach((a, j) => {
    const { shape, canvases } = mapViews[j];
    const [c, h, w] = shape;
    const layer = state.scale === 'layer' ? range(a) : global;
    for (let i = 0; i < c; ++i) {
      const v = a.subarray(i * h * w, (i + 1) * h * w);
      drawValues(canvases[i], v, w, h, layer ?? range(v));
    }
  });
}

let filterViews = []; // {layer, canvas}

function layoutFilters() {
  const root = $('filters');
  root.replaceChildren();
  filterViews = [];
  if (!built) return;
  built.layers.forEach((l, i) => {
    if (l.type !== 'conv2d') return;
    const canvas = el('canvas', { class: 'pixelated filter', role: 'img' });
    const caption = el('p', { class: 'caption' });
    root.append(el('div', { class: 'filter-layer' }, caption, canvas));
    filterViews.push({ layer: i, canvas, caption });
  });
  if (!filterViews.length) root.append(el('p', { class: 'hint', text: t('noConv') }));
}

function drawFilterFrame(params) {
  for (const v of filterViews) {
    const p = params[v.layer];
    if (!p?.weights?.length) continue;
    const [f, c, kh, kw] = p.shape;
    const [rows, cols] = filterGrid([f, c]);
    const text = t('filtersOf', { n: v.layer + 1, shape: shapeText(p.shape) });
    if (v.caption.textContent !== text) {
      v.caption.textContent = text;
      v.canvas.setAttribute('aria-label', text);
      const k = Math.max(2, Math.floor(Math.min(240 / (cols * (kw + 1)), 300 / (rows * (kh + 1)), 10)));
      v.canvas.style.width = `${(cols * (kw + 1) - 1) * k}px`;
      v.canvas.style.height = `${(rows * (kh + 1) - 1) * k}px`;
    }
    drawFilters(v.canvas, p.weights, p.shape);
  }
}

// ---------- block editor ----------
function blockName(type) {
  return (
    {
      conv2d: 'conv',
      maxpool2d: 'max',
      avgpool2d: 'avg',
      dense: 'dense',
      dropout: 'dropout',
      softmax: 'softmax',
    }[type] ?? type
  );
}

const FIELDS = {
  conv: [
    ['filters', 1, 256],
    ['kernel', 1, 15],
    ['stride', 1, 8],
    ['padding', 0, 8],
    ['activation', ACTIVATIONS],
  ],
  max: [
    ['size', 1, 8],
    ['stride', 1, 8],
  ],
  avg: [
    ['size', 1, 8],
    ['stride', 1, 8],
  ],
  dropout: [['rate', 0, 0.9, 0.05]],
  dense: [
    ['units', 1, 1024],
    ['activation', DENSE_ACTIVATIONS],
  ],
  softmax: [],
};

const NEW_BLOCK = {
  conv: { type: 'conv', filters: 8, kernel: 3, stride: 1, padding: 1, activation: 'relu' },
  max: { type: 'max', size: 2, stride: 2 },
  avg: { type: 'avg', size: 2, stride: 2 },
  dropout: { type: 'dropout', rate: 0.25 },
  dense: { type: 'dense', units: 32, activation: 'relu' },
  softmax: { type: 'softmax' },
};

function setBlock(i, block) {
  const net = state.net.map((b, j) => (j === i ? block : b));
  update({ net });
}

function renderBlocks() {
  const root = $('blocks');
  root.replaceChildren();
  const input = built?.info.inputShape ?? DATASETS[state.dataset].shape;
  root.append(
    el(
      'li',
      { class: 'block input' },
      el('span', { class: 'block-title', text: t('inputBlock') }),
      el('span', { class: 'shape', text: shapeText(input) }),
    ),
  );
  const bad = netError ? Number(/layers\[(\d+)\]/.exec(netError)?.[1] ?? -1) : -1;
  state.net.forEach((b, i) => {
    const n = i + 1;
    const type = el('select', { 'aria-label': t('blockType', { n }) });
    for (const bt of BLOCK_TYPES) type.append(el('option', { value: bt, text: t(bt) }));
    type.value = b.type;
    type.onchange = () => setBlock(i, { ...NEW_BLOCK[type.value] });
    const fields = el('div', { class: 'block-fields' });
    for (const [name, lo, hi, step] of FIELDS[b.type]) {
      let input;
      if (Array.isArray(lo)) {
        input = el('select');
        for (const a of lo) input.append(el('option', { value: a, text: t(a) }));
        input.value = b[name];
        input.onchange = () => setBlock(i, { ...b, [name]: input.value });
      } else {
        input = el('input', { type: 'number', min: lo, max: hi, step: step ?? 1, value: b[name] });
        input.onchange = () => {
          const v = Number(input.value);
          if (!(v >= lo && v <= hi) || (!step && !Number.isInteger(v))) {
            input.value = b[name];
            return;
          }
          setBlock(i, { ...b, [name]: v });
        };
      }
      fields.append(el('label', {}, el('span', { text: t(name) }), input));
    }
    const layer = built?.layers[i];
    const info = el('span', { class: 'shape' });
    if (layer)
      info.textContent = `→ ${shapeText(layer.outputShape)} · ${layer.params.toLocaleString('en-US')}`;
    info.title = `${t('outputShape')} · ${t('paramsCount')}`;
    const remove = el('button', {
      type: 'button',
      class: 'block-remove',
      text: '×',
      'aria-label': t('removeBlock', { n }),
      title: t('removeBlock', { n }),
    });
    remove.onclick = () => state.net.length > 1 && update({ net: state.net.filter((_, j) => j !== i) });
    const up = el('button', {
      type: 'button',
      class: 'block-up',
      text: '↑',
      'aria-label': t('moveUp', { n }),
      title: t('moveUp', { n }),
    });
    up.disabled = i === 0;
    up.onclick = () => {
      const net = [...state.net];
      [net[i - 1], net[i]] = [net[i], net[i - 1]];
      update({ net });
    };
    const li = el(
      'li',
      { class: `block${i === bad ? ' bad' : ''}` },
      el('span', { class: 'block-title', text: `${n}.` }),
      type,
      up,
      remove,
      fields,
      info,
    );
    root.append(li);
  });
  const err = $('net-error');
  err.hidden = !netError;
  err.textContent = netError ? t('invalidNet', { message: netError }) : '';
  $('net-total').textContent = built
    ? t('totalParams', { n: built.info.params.toLocaleString('en-US') })
    : '';
}

// ---------- save and load ----------
async function saveJson() {
  if (!session) return;
  const model = await session.evaluate('toJSON');
  download(JSON.stringify(model), `dlplay-cnn-${state.dataset}.json`, 'application/json');
}

async function saveZip() {
  if (!session) return;
  const model = await session.evaluate('toJSON');
  const params = [];
  for (let i = 0; i < built.layers.length; ++i) params.push(await session.evaluate('weights', i));
  download(weightsZip(model, params), `dlplay-cnn-${state.dataset}-weights.zip`, 'application/zip');
}

async function loadModel(ev) {
  const file = ev.target.files?.[0];
  ev.target.value = '';
  if (!file) return;
  try {
    const model = JSON.parse(await file.text());
    if (model?.format !== 'dlplay-model' || !Array.isArray(model.layers))
      throw new Error('not a dlplay model JSON');
    const dataset = Object.keys(DATASETS).find(
      (d) => JSON.stringify(DATASETS[d].shape) === JSON.stringify(model.input),
    );
    if (!dataset) throw new Error(`input ${JSON.stringify(model.input)} matches no data set here`);
    const net = [];
    const layers = [];
    for (const l of model.layers) {
      const b = blockOf(l);
      if (b === undefined) throw new Error(`layer type ${JSON.stringify(l.type)} has no block here`);
      if (b === null) {
        if (l.type === 'flatten') continue;
        // An activation layer on its own: fold it into the previous block when it has none.
        const prev = net[net.length - 1];
        if (prev && 'activation' in prev && prev.activation === 'linear') prev.activation = l.type;
        else throw new Error(`activation layer ${l.type} after a block that has one`);
        continue;
      }
      net.push(b);
      layers.push(l);
    }
    if (net.length > MAX_BLOCKS) throw new Error(`more than ${MAX_BLOCKS} blocks`);
    message = t('loaded', { name: file.name });
    keepMessage = true;
    await update({ dataset, net, pendingModel: layers }, true);
  } catch (err) {
    showMessage(t('loadError', { message: err.message }));
  }
}

// ---------- start ----------
function applyLang() {
  setLang(state.lang ?? detectLang(navigator.languages ?? [navigator.language]));
  applyI18n(document);
  document.title = t('cnnTitle');
  fillControls();
  syncControls();
  setPlaying(playing);
  renderNotes();
  renderBlocks();
  layoutProbs();
  applyChartLabels();
  if (built) {
    layoutMaps();
    layoutFilters();
    drawSeen();
    renderConfusion();
    renderWrong(confusion);
    if (latestDrawn) drawFrame({ ...latestDrawn, metrics: { step: progress.step } });
  }
}

function play() {
  if (!session) return;
  setPlaying(!playing);
  if (playing) {
    session.play(0).catch((e) => showMessage(e.message));
    evalTimer = setTimeout(evaluateNow, EVAL_MIN_MS);
  } else {
    session.pause().catch(() => {});
    evaluateNow();
  }
}

function init() {
  const parsed = parseHash(location.hash);
  state = parsed.state;
  urlProblems = parsed.problems;
  lossChart = new Curves($('loss-chart'), {
    yRange: (u, min, max) => [0, Math.max(max || 0, 0.1)],
    labels: ['', ''],
  });
  accChart = new Curves($('acc-chart'), { yRange: () => [0, 1], labels: ['', ''] });
  pad = new DrawingPad($('pad'), { onChange: onDraw });
  client = createClient({
    onError: (err) => {
      setPlaying(false);
      showMessage(t('engineError', { message: err.message }));
    },
  });
  applyLang();
  $('play').onclick = play;
  $('step').onclick = async () => {
    if (!session) return;
    setPlaying(false);
    await session.step(1).catch((e) => showMessage(e.message));
    evaluateNow();
  };
  $('reset').onclick = () => rebuild();
  $('clear').onclick = () => pad.clear();
  $('collect').onclick = addDrawing;
  $('upload').onchange = (e) => uploadImages(e).catch((err) => showMessage(err.message));
  $('upload-folder').onchange = (e) => uploadImages(e).catch((err) => showMessage(err.message));
  $('dataset').onchange = (e) => {
    const dataset = e.target.value;
    const mlp = state.net.every((b) => b.type !== 'conv');
    // The user's drawings change as they add some: choosing them always rebuilds.
    update(mlp ? applyPreset({ ...state, dataset }, 'mlp') : { dataset }, dataset === 'mine');
  };
  $('preset').onchange = (e) => e.target.value && update(applyPreset(state, e.target.value));
  $('optimizer').onchange = (e) => update({ optimizer: e.target.value });
  $('lr').onchange = (e) => update({ lr: Number(e.target.value) });
  $('batch').onchange = (e) => update({ batch: Number(e.target.value) });
  $('add').onclick = () => {
    const b = { ...NEW_BLOCK[$('add-type').value] };
    const net = [...state.net];
    // Before the classifier (the last dense/softmax), where a new block usually goes.
    let at = net.length;
    while (
      at > 0 &&
      (net[at - 1].type === 'softmax' || net[at - 1].type === 'dense') &&
      b.type !== 'softmax' &&
      b.type !== 'dense'
    )
      at--;
    net.splice(at, 0, b);
    update({ net });
  };
  for (const r of document.querySelectorAll('input[name=scale]'))
    r.onchange = () => update({ scale: r.value });
  $('prev-image').onclick = () => update({ image: Math.max(0, state.image - 1) });
  $('next-image').onclick = () => update({ image: state.image + 1 });
  $('random-image').onclick = () =>
    update({ image: Math.floor(Math.random() * (built?.test.length ?? 100)) });
  $('save-json').onclick = () => saveJson().catch((e) => showMessage(e.message));
  $('save-zip').onclick = () => saveZip().catch((e) => showMessage(e.message));
  $('load-model').onchange = loadModel;
  $('lang').onchange = (e) => {
    state = { ...state, lang: e.target.value };
    writeHash();
    applyLang();
  };
  $('reset-defaults').onclick = (e) => {
    e.preventDefault();
    state = { ...defaultState(), lang: state.lang };
    urlProblems = [];
    writeHash();
    applyLang();
    rebuild();
  };
  window.addEventListener('hashchange', () => {
    if (location.hash === toHash(state)) return;
    const p = parseHash(location.hash);
    state = p.state;
    urlProblems = p.problems;
    applyLang();
    rebuild();
  });
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      lossChart.resize();
      accChart.resize();
    }, 150);
  });
  writeHash();
  rebuild();
}

init();
registerServiceWorker(); // offline, as the MLP page (the data sets are cached when first loaded)
