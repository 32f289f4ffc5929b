// The CNN page: wires the controls, the URL state, the engine worker, the data sets and the drawings.
// The worker trains flat out and sends a frame per animation frame (weights for the filters, and for
// the chosen input every layer's output, the engine's class probabilities and the saliency); the
// splits are evaluated by the engine every second or so (the whole test split and up to 1,000
// training examples) for the curves, the confusion matrix and the most confidently wrong images.
// Every number shown comes from the engine: the page draws, it does not compute.
import {
  parseHash,
  toHash,
  defaultState,
  applyPreset,
  toSpec,
  toHyper,
  blockOf,
  menusOf,
  newBlock,
  DATASETS,
  PRESET_NAMES,
  MAX_BLOCKS,
  TEST_RATIO,
} from './state.js';
import { t, setLang, getLang, apply as applyI18n, detectLang } from './i18n.js';
import { $, el } from './dom.js';
import { setVocabulary } from '../kit/vocabulary.js';
import { createClient } from './engine.js';
import { decodeDataset } from './dataset.js';
import { drawValues, drawDigit, drawFilters, filterGrid, range } from './draw.js';
import { DrawingPad, toMnist, toDigits8, PAD } from './pad.js';
import { EvaluationView, evaluateSplits } from './evaluation.js';
import { SaliencyView } from './saliency.js';
import { renderBlocks as drawBlocks, insertBlock, blockName, shapeText } from './blocks.js';
import { weightsZip, download } from './save.js';
import { unzipSync } from 'fflate';
import { registerServiceWorker } from '../offline/register.js';

const EVAL_MIN_MS = 800;
const SPEED_WINDOW_MS = 2000; // examples/s: the change of the engine's example count over this long

let menus = null; // what the page takes from the engine's vocabulary (state.js menusOf)
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
let evaluation; // EvaluationView
let saliency; // SaliencyView
let latestFrame = null;
let latestDrawn = null; // the last frame with activations
let rafPending = false;
let evalBusy = false;
let evalAgain = false; // asked for while one was running
let evalTimer = 0;
let lastEvalMs = 0;
const progress = { epoch: 0, samples: [] }; // the engine's epoch; [time, examples seen] for examples/s
const datasets = new Map(); // name → Promise<decoded set>

// Read by the browser tests.
const stats = {
  frames: 0,
  evaluations: 0,
  evaluating: false,
  speed: 0,
  testAccuracy: null,
  epoch: 0,
  drawMs: [],
  input: () => Array.from(currentInput() ?? []),
  shape: () => built?.info.inputShape,
  // The engine's evaluation of a split now, as plain numbers (to check what the page shows).
  evaluate: async (split = 'test') => {
    const r = await session.evaluate('evaluate', split);
    return {
      count: r.count,
      classes: r.classes,
      loss: r.loss,
      accuracy: r.accuracy,
      confusion: [...r.confusion],
    };
  },
  // The engine's progress now (a step of 0 batches: pauses, trains nothing).
  progress: async () => {
    const m = await session.step(0);
    return { step: m.step, epoch: m.epoch, examples: m.examples };
  },
  // The last saliency drawn: its values and the class it points to.
  saliency: () => ({
    values: Array.from(latestDrawn?.saliency?.[0] ?? []),
    predicted: latestDrawn?.classified?.predicted?.[0] ?? null,
  }),
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
  fillSelect($('optimizer'), menus.optimizers, t);
  fillSelect($('lr'), menus.learningRates, String);
  fillSelect($('batch'), menus.batches, String);
  fillSelect($('add-type'), menus.blockTypes, t);
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
  // Frames then carry, for this input, every layer's output, its probabilities and its saliency.
  session?.configure({ activations: { input: currentInput(), saliency: true } }).catch(() => {});
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
  progress.epoch = 0;
  progress.samples = [];
  stats.speed = 0;
  stats.testAccuracy = null;
  stats.epoch = 0;
  $('epoch').textContent = '0';
  $('speed-out').textContent = '–';
  evaluation.reset(built ? set : null);
  saliency.clear();
  latestDrawn = null;
  latestFrame = null;
  renderBlocks();
  layoutMaps();
  layoutFilters();
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
    // (not a frame of a session replaced meanwhile: it would not fit the new one's views)
    if (f && built && f.id === session?.id) {
      const t0 = performance.now();
      drawFrame(f);
      stats.frames++;
      if (stats.drawMs.push(performance.now() - t0) > 600) stats.drawMs.splice(0, 300);
    }
  });
}

// The engine's progress ({epoch, examples} of a frame's metrics or a step's reply): the epoch as it
// says, and examples/s as the change of its example count over the last seconds of wall time.
function showProgress(m) {
  if (!Number.isFinite(m?.epoch)) return;
  const now = performance.now();
  const last = progress.samples[progress.samples.length - 1];
  if (last && m.examples < last[1]) progress.samples = []; // a fresh model
  progress.samples.push([now, m.examples]);
  while (progress.samples.length > 2 && now - progress.samples[0][0] > SPEED_WINDOW_MS)
    progress.samples.shift();
  const [t0, seen0] = progress.samples[0];
  if (playing && now - t0 > 300) stats.speed = ((m.examples - seen0) * 1000) / (now - t0);
  $('speed-out').textContent = playing && stats.speed ? Math.round(stats.speed).toLocaleString('en-US') : '–';
  progress.epoch = stats.epoch = m.epoch;
  $('epoch').textContent = m.epoch < 10 ? m.epoch.toFixed(2) : Math.floor(m.epoch).toString();
}

function drawFrame(f) {
  showProgress(f.metrics);
  if (f.params) drawFilterFrame(f.params);
  if (f.activations) {
    latestDrawn = f;
    drawInputViews(f);
  }
}

// What a frame says about the shown input: feature maps, probabilities, saliency.
function drawInputViews(f) {
  drawMaps(f.activations);
  drawProbs(f.classified);
  saliency.draw(f.saliency, f.classified?.predicted?.[0], built.info.inputShape);
}

// ---------- evaluation (the engine's: see evaluation.js) ----------
async function evaluateNow() {
  clearTimeout(evalTimer);
  if (!session || !built) return;
  if (evalBusy) {
    evalAgain = true; // once this one is done: the model may have changed since it was asked for
    return;
  }
  evalBusy = stats.evaluating = true;
  evalAgain = false;
  const s = session;
  const t0 = performance.now();
  try {
    const result = await evaluateSplits(s);
    if (s !== session) return;
    evaluation.add(progress.epoch, result);
    stats.testAccuracy = result.test.accuracy;
    stats.evaluations++;
  } catch (err) {
    if (s === session) showMessage(t('engineError', { message: err.message }));
  } finally {
    evalBusy = stats.evaluating = false;
    lastEvalMs = performance.now() - t0;
  }
  if (s !== session) return;
  if (evalAgain) evaluateNow();
  else if (playing) evalTimer = setTimeout(evaluateNow, Math.max(EVAL_MIN_MS, 6 * lastEvalMs));
}

// ---------- probabilities (the engine's, for the shown input) ----------
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

// classified: {classes, predicted, probabilities} of one example (session.classify in the worker).
function drawProbs(classified) {
  const p = classified?.probabilities;
  const best = classified?.predicted?.[0];
  const items = $('probs').children;
  for (let d = 0; d < items.length; ++d) {
    const v = p && d < classified.classes ? p[d] : null;
    items[d].querySelector('.fill').style.width = v === null ? '0' : `${(v * 100).toFixed(1)}%`;
    items[d].querySelector('output').textContent = v === null ? '–' : v.toFixed(3);
    items[d].classList.toggle('best', d === best);
  }
}

// ---------- feature maps and filters ----------
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

// ---------- block editor (blocks.js) ----------
function renderBlocks() {
  drawBlocks({
    net: state.net,
    built: built?.info ?? null,
    inputShape: DATASETS[state.dataset].shape,
    netError,
    onChange: (net) => update({ net }),
  });
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
        if (!menus.activations.includes(l.type)) continue; // a flatten: the blocks flatten as needed
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
  evaluation.setLabels();
  evaluation.render();
  saliency.relabel();
  if (built) {
    layoutMaps();
    layoutFilters();
    drawSeen();
    if (latestDrawn) {
      if (latestDrawn.params) drawFilterFrame(latestDrawn.params);
      drawInputViews(latestDrawn);
    }
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

async function init() {
  pad = new DrawingPad($('pad'), { onChange: onDraw });
  evaluation = new EvaluationView({ onPick: (position) => update({ image: position }) });
  saliency = new SaliencyView();
  client = createClient({
    onError: (err) => {
      setPlaying(false);
      showMessage(t('engineError', { message: err.message }));
    },
  });
  // The engine's vocabulary (its optimizers, activations, layers and their ranges) before the URL:
  // the hash is read against it.
  try {
    setVocabulary((await client.ready).vocabulary);
    menus = menusOf();
  } catch (err) {
    setLang(detectLang(navigator.languages ?? [navigator.language]));
    applyI18n(document);
    showMessage(t('engineError', { message: err.message }));
    return;
  }
  const parsed = parseHash(location.hash);
  state = parsed.state;
  urlProblems = parsed.problems;
  applyLang();
  $('play').onclick = play;
  $('step').onclick = async () => {
    if (!session) return;
    setPlaying(false);
    const s = session;
    const metrics = await s.step(1).catch((e) => showMessage(e.message));
    if (metrics && s === session) showProgress(metrics);
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
  $('add').onclick = () => update({ net: insertBlock(state.net, newBlock($('add-type').value)) });
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
    resizeTimer = setTimeout(() => evaluation.resize(), 150);
  });
  writeHash();
  rebuild();
}

init();
registerServiceWorker(); // offline, as the MLP page (the data sets are cached when first loaded)
