// The playground page: wires the controls, the URL state, the engine worker and the drawings.
import {
  parseHash,
  toHash,
  defaultState,
  toSpec,
  toHyper,
  isClassification,
  DATASETS,
  ACTIVATIONS,
  OPTIMIZERS,
  REGULARIZATIONS,
  PROBLEMS,
  LEARNING_RATES,
  SPEEDS,
  REGULARIZATION_RATES,
  MAX_LAYERS,
  MAX_NEURONS,
  MAX_POINTS,
  EXTENT,
} from './state.js';
import { t, setLang, getLang, apply as applyI18n, detectLang } from './i18n.js';
import { connect } from './engine.js';
import { NetworkView } from './network.js';
import { DataPlot } from './dataplot.js';
import { LossChart } from './linechart.js';
import { parseCsv, pointsFromData } from './data.js';
import { colorOf } from './heatmap.js';
import { registerServiceWorker } from '../offline/register.js';

const GRID_N = 24; // per-neuron heatmaps
const OUT_N = 80; // the output's decision map
const $ = (id) => document.getElementById(id);

let state;
let urlProblems = [];
let playing = false;
let built = null; // {id, info, data} of the current session
let buildSeq = 0;
let latestFrame = null;
let rafPending = false;
let diverged = false;
let engine;

// ---------- notes (URL problems, divergence, engine errors): always text, never markup ----------
function renderNotes() {
  const notes = $('notes');
  notes.replaceChildren();
  if (urlProblems.length) {
    const box = document.createElement('div');
    box.className = 'note warn';
    box.setAttribute('role', 'status');
    const p = document.createElement('p');
    p.textContent = t('urlProblems');
    box.appendChild(p);
    const ul = document.createElement('ul');
    for (const pr of urlProblems) {
      const li = document.createElement('li');
      const value = String(pr.value).length > 80 ? `${String(pr.value).slice(0, 80)}…` : String(pr.value);
      li.textContent =
        pr.reason === 'unknown'
          ? t('urlProblemUnknown', { key: pr.key })
          : t('urlProblemInvalid', { key: pr.key, value });
      ul.appendChild(li);
    }
    box.appendChild(ul);
    const dismiss = document.createElement('button');
    dismiss.type = 'button';
    dismiss.className = 'text-button';
    dismiss.textContent = t('dismiss');
    dismiss.onclick = () => {
      urlProblems = [];
      renderNotes();
    };
    box.appendChild(dismiss);
    notes.appendChild(box);
  }
  if (diverged) {
    const box = document.createElement('div');
    box.className = 'note error';
    box.setAttribute('role', 'alert');
    const p = document.createElement('p');
    p.textContent = t('diverged');
    box.appendChild(p);
    const lr = saferLr(state.lr);
    const b = document.createElement('button');
    b.type = 'button';
    b.id = 'diverged-reset';
    b.textContent = t('divergedReset', { lr });
    b.onclick = () => {
      diverged = false;
      update({ lr }, true);
    };
    box.appendChild(b);
    notes.appendChild(box);
  }
  if (message) {
    const box = document.createElement('div');
    box.className = 'note error';
    box.setAttribute('role', 'alert');
    box.textContent = message;
    notes.appendChild(box);
  }
}
let message = '';
function showMessage(text) {
  message = text;
  renderNotes();
}

// The rate the divergence note offers: 0.01 from anything larger (0.03 still diverges on some sets,
// e.g. the plane with linear units), one step down from there on.
function saferLr(lr) {
  const i = LEARNING_RATES.indexOf(lr);
  const safe = LEARNING_RATES.indexOf(0.01);
  return LEARNING_RATES[Math.max(0, Math.min(i > safe ? safe : i - 1, safe))];
}

// ---------- controls ----------
function fillSelect(select, values, label) {
  const v = select.value;
  select.replaceChildren(
    ...values.map((x) => {
      const o = document.createElement('option');
      o.value = String(x);
      o.textContent = label(x);
      return o;
    }),
  );
  if (v) select.value = v;
}

function fillControls() {
  fillSelect($('lr'), LEARNING_RATES, String);
  fillSelect($('activation'), ACTIVATIONS, t);
  fillSelect($('optimizer'), OPTIMIZERS, t);
  fillSelect($('reg'), REGULARIZATIONS, t);
  fillSelect($('regRate'), REGULARIZATION_RATES, String);
  fillSelect($('problem'), PROBLEMS, t);
  fillSelect($('speed'), SPEEDS, (v) => (v ? `${v}×` : t('speedMax')));
}

// A seed in 1 … 2³¹ − 1 other than `old`.
function newSeed(old) {
  const a = new Uint32Array(1);
  do crypto.getRandomValues(a);
  while ((a[0] & 0x7fffffff) === old || (a[0] & 0x7fffffff) === 0);
  return a[0] & 0x7fffffff;
}

// The data picker: a radio per data set of the problem type, each with a thumbnail of its points as
// the engine generates them (with the current noise and seed), as in TensorFlow Playground.
const thumbs = new Map(); // name → {key, data}

function renderDatasets() {
  const root = $('datasets');
  const list = [...DATASETS[state.problem]];
  if (state.dataset === 'custom') list.push('custom');
  const have = [...root.querySelectorAll('input[name=dataset]')].map((i) => i.value);
  if (have.join() !== list.join()) {
    root.replaceChildren();
    for (const name of list) {
      const label = document.createElement('label');
      label.className = 'dataset';
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = 'dataset';
      input.value = name;
      input.onchange = () => update({ dataset: name, points: null }, true);
      const canvas = document.createElement('canvas');
      canvas.className = 'thumb';
      canvas.dataset.dataset = name;
      canvas.setAttribute('aria-hidden', 'true');
      const span = document.createElement('span');
      label.append(input, canvas, span);
      root.appendChild(label);
      const cached = thumbs.get(name);
      if (cached) paintThumbnail(canvas, cached.data, cached.classification);
    }
  }
  for (const label of root.children) {
    const input = label.querySelector('input');
    input.checked = state.dataset === input.value;
    label.querySelector('span').textContent = t(input.value);
  }
}

function paintThumbnail(canvas, data, classification) {
  const size = 48;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(size * dpr);
  canvas.height = Math.round(size * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#f7f7f7';
  ctx.fillRect(0, 0, size, size);
  const n = data.y.length;
  for (let i = 0; i < n; i++) {
    const v = classification ? (data.y[i] > 0 ? 1 : -1) : data.y[i];
    ctx.fillStyle = colorOf(v);
    const x = ((data.x[2 * i] + EXTENT) / (2 * EXTENT)) * size;
    const y = ((EXTENT - data.x[2 * i + 1]) / (2 * EXTENT)) * size;
    ctx.fillRect(x - 1, y - 1, 2, 2);
  }
  canvas.dataset.points = String(n);
}

function drawThumbnail(name, data) {
  const classification = isClassification(state);
  thumbs.set(name, { key: `custom|${state.problem}`, data, classification });
  const canvas = document.querySelector(`#datasets canvas[data-dataset="${name}"]`);
  if (canvas) paintThumbnail(canvas, data, classification);
}

let thumbSeq = 0;
async function renderThumbnails() {
  const seq = ++thumbSeq;
  const problem = state.problem;
  for (const name of DATASETS[problem]) {
    const key = `${name}|${state.noise}|${state.seed}`;
    let entry = thumbs.get(name);
    if (entry?.key !== key) {
      const spec = toSpec({ ...state, problem, dataset: name, points: null, network: [] });
      try {
        const data = await engine.dataOf(spec);
        entry = { key, data, classification: problem === 'classification' };
        thumbs.set(name, entry);
      } catch {
        continue;
      }
    }
    if (seq !== thumbSeq) return;
    const canvas = document.querySelector(`#datasets canvas[data-dataset="${name}"]`);
    if (canvas) paintThumbnail(canvas, entry.data, entry.classification);
  }
}

function syncControls() {
  $('lr').value = String(state.lr);
  $('activation').value = state.activation;
  $('optimizer').value = state.optimizer;
  $('reg').value = state.reg;
  $('regRate').value = String(state.regRate);
  $('problem').value = state.problem;
  $('speed').value = String(state.speed);
  $('ratio').value = state.ratio;
  $('ratio-out').textContent = `${state.ratio}%`;
  $('noise').value = state.noise;
  $('noise-out').textContent = String(state.noise);
  $('batch').value = state.batch;
  $('batch-out').textContent = String(state.batch);
  $('showTest').checked = state.showTest;
  $('discretize').checked = state.discretize;
  $('lang').value = getLang();
  $('noise').disabled = state.dataset === 'custom';
  renderDatasets();
}

function setPlaying(on) {
  playing = on;
  const b = $('play');
  b.classList.toggle('playing', on);
  b.setAttribute('aria-label', t(on ? 'pause' : 'play'));
  b.title = t(on ? 'pause' : 'play');
}

// Fields whose change needs a new session (the others are hyper-parameters or drawing options).
const REBUILD = new Set([
  'dataset',
  'noise',
  'ratio',
  'features',
  'network',
  'activation',
  'problem',
  'seed',
  'points',
]);
const HYPER = new Set(['lr', 'batch', 'reg', 'regRate', 'optimizer']);

function writeHash() {
  const h = toHash(state);
  if (h !== location.hash && !(h === '' && location.hash === '')) {
    history.replaceState(null, '', h || location.pathname + location.search);
  }
}

// rebuildOptions: for rebuild() ({weights} to keep the network's weights).
function update(change, force = false, rebuildOptions = {}) {
  const before = state;
  state = { ...state, ...change };
  const keys = Object.keys(change).filter(
    (k) => force || JSON.stringify(before[k]) !== JSON.stringify(state[k]),
  );
  writeHash();
  syncControls();
  if (keys.some((k) => REBUILD.has(k)) || force || diverged) {
    diverged = false;
    renderNotes();
    rebuild(rebuildOptions);
  } else if (keys.some((k) => HYPER.has(k))) engine.set(toHyper(state));
  if (playing && (keys.includes('speed') || keys.includes('batch'))) startEngine();
  if (keys.includes('showTest')) plot.setShowTest(state.showTest);
  if (keys.includes('discretize') && latestFrameDrawn) draw(latestFrameDrawn);
}

// ---------- engine ----------
let network, plot, chart;
let latestFrameDrawn = null;

async function rebuild({ weights = null } = {}) {
  const id = ++buildSeq;
  setPlaying(false);
  engine.pause();
  latestFrame = null;
  try {
    const spec = toSpec(state);
    const result = await engine.build(
      spec,
      { n: GRID_N, outN: OUT_N, extent: EXTENT },
      { weights, initSeed: state.init ?? state.seed },
    );
    if (id !== buildSeq) return;
    built = { id: result.id, info: result.info, data: result.data };
    message = '';
    renderNotes();
    network.layout(state);
    plot.setData(result.data, isClassification(state));
    chart.reset();
    $('epoch').textContent = '0';
    if (state.dataset === 'custom') drawThumbnail('custom', result.data);
    renderThumbnails(); // after the session: the first frame is not kept waiting
    if (playing) startEngine(); // Play was pressed while the session was being built
  } catch (err) {
    if (id === buildSeq) showMessage(t('engineError', { message: err.message }));
  }
}

function onFrame(frame) {
  if (!built || frame.build !== built.id) return;
  latestFrame = frame;
  if (!rafPending) {
    rafPending = true;
    requestAnimationFrame(() => {
      rafPending = false;
      const f = latestFrame;
      latestFrame = null;
      if (f) draw(f);
      engine.ack();
    });
  }
}

// Paced at `speed` epochs per drawn frame (0: flat out).
function startEngine() {
  const trainSize = built?.info?.trainSize ?? 250;
  engine.play(state.speed ? state.speed * Math.max(1, Math.ceil(trainSize / state.batch)) : 0);
}

const fmt = (v) => (Number.isFinite(v) ? v.toFixed(3) : 'NaN');

// Frames drawn and the time they took (read by the browser tests).
const stats = { frames: 0, drawMs: [] };
window.dlplayStats = stats;

function draw(frame) {
  const t0 = performance.now();
  drawFrame(frame);
  stats.frames++;
  if (stats.drawMs.push(performance.now() - t0) > 600) stats.drawMs.splice(0, 300);
}

function drawFrame(frame) {
  latestFrameDrawn = frame;
  const m = frame.metrics;
  const epoch = m.epoch ?? 0;
  // Fractions while the first epochs go by (a step is one batch), whole epochs after.
  $('epoch').textContent =
    epoch < 10 ? String(Math.floor(epoch * 100) / 100) : Math.floor(epoch).toLocaleString('en-US');
  $('train-loss').textContent = fmt(m.trainLoss);
  $('test-loss').textContent = fmt(m.testLoss);
  network.update(frame, GRID_N, OUT_N, state.discretize);
  plot.drawOutput(frame.grids[frame.grids.length - 1], OUT_N, state.discretize);
  if (m.epoch !== undefined) chart.add(m.epoch, m.trainLoss, m.testLoss);
  const bad = m.diverged || !Number.isFinite(m.trainLoss) || !Number.isFinite(m.testLoss);
  if (bad && !diverged) {
    diverged = true;
    setPlaying(false);
    engine.pause();
    renderNotes();
  }
}

// ---------- user data ----------
function currentPoints() {
  if (state.points) return state.points.map((p) => [...p]);
  return built ? pointsFromData(built.data, isClassification(state)) : [];
}

function onPlotClick({ x, y, shift, hit }) {
  const points = currentPoints();
  if (hit >= 0) points.splice(hit, 1);
  else {
    if (points.length >= MAX_POINTS) return showMessage(t('pointsLimit', { n: MAX_POINTS }));
    const chosen = Number(document.querySelector('input[name=clickClass]:checked')?.value ?? 1);
    const sign = shift ? -chosen : chosen;
    const cx = Math.max(-EXTENT, Math.min(EXTENT, x));
    const cy = Math.max(-EXTENT, Math.min(EXTENT, y));
    points.push([cx, cy, isClassification(state) ? (sign > 0 ? 1 : 0) : sign]);
  }
  if (points.length < 2) return;
  update({ dataset: 'custom', points }, true);
}

async function onCsv(ev) {
  const file = ev.target.files?.[0];
  if (!file) return;
  try {
    const points = parseCsv(await file.text(), isClassification(state));
    message = '';
    update({ dataset: 'custom', points }, true);
    showMessage(t('csvLoaded', { n: points.length }));
  } catch (err) {
    showMessage(t('csvError', { message: err.message }));
  }
  ev.target.value = '';
}

// ---------- start ----------
function applyLang() {
  setLang(state.lang ?? detectLang(navigator.languages ?? [navigator.language]));
  applyI18n(document);
  document.title = t('title');
  fillControls();
  syncControls();
  setPlaying(playing);
  renderNotes();
  if (built) {
    network.layout(state);
    if (latestFrameDrawn) network.update(latestFrameDrawn, GRID_N, OUT_N, state.discretize);
  }
}

function loadFromHash() {
  const parsed = parseHash(location.hash);
  state = parsed.state;
  urlProblems = parsed.problems;
}

function init() {
  loadFromHash();
  network = new NetworkView($('network'), {
    toggleFeature(f, on) {
      const features = on ? [...state.features, f] : state.features.filter((x) => x !== f);
      if (!features.length) return network.layout(state);
      update({ features: FEATURE_ORDER.filter((x) => features.includes(x)) });
    },
    addLayer: () => state.network.length < MAX_LAYERS && update({ network: [...state.network, 2] }),
    removeLayer: () => state.network.length > 0 && update({ network: state.network.slice(0, -1) }),
    addNeuron: (l) =>
      state.network[l] < MAX_NEURONS &&
      update({ network: state.network.map((u, i) => (i === l ? u + 1 : u)) }),
    removeNeuron: (l) =>
      state.network[l] > 1 && update({ network: state.network.map((u, i) => (i === l ? u - 1 : u)) }),
    editWeight: ({ layer, index, bias, value }) => engine.setWeight(layer, index, value, bias),
  });
  plot = new DataPlot($('output-map'), $('points'), { onClick: onPlotClick });
  chart = new LossChart($('chart'));
  engine = connect({
    onFrame,
    onError: (err) => {
      setPlaying(false);
      showMessage(t('engineError', { message: err.message }));
    },
  });

  applyLang();

  $('play').onclick = () => {
    if (diverged) return;
    setPlaying(!playing);
    if (playing) startEngine();
    else engine.pause();
  };
  $('step').onclick = () => {
    if (diverged) return;
    setPlaying(false);
    engine.step(1);
  };
  // As in TensorFlow Playground: Reset draws fresh initial weights and keeps the data; Regenerate
  // draws new data and keeps the network's current weights (both seeds are in the URL).
  $('reset').onclick = () => update({ init: newSeed(state.init ?? state.seed) }, true);
  $('regenerate').onclick = () => {
    const params = !diverged && latestFrameDrawn?.build === built?.id ? latestFrameDrawn.params : null;
    update({ seed: newSeed(state.seed) }, false, { weights: params });
  };
  $('lr').onchange = (e) => update({ lr: Number(e.target.value) });
  $('activation').onchange = (e) => update({ activation: e.target.value });
  $('optimizer').onchange = (e) => update({ optimizer: e.target.value });
  $('reg').onchange = (e) => update({ reg: e.target.value });
  $('regRate').onchange = (e) => update({ regRate: Number(e.target.value) });
  $('speed').onchange = (e) => update({ speed: Number(e.target.value) });
  $('problem').onchange = (e) =>
    update({ problem: e.target.value, dataset: DATASETS[e.target.value][0], points: null });
  $('ratio').oninput = (e) => ($('ratio-out').textContent = `${e.target.value}%`);
  $('ratio').onchange = (e) => update({ ratio: Number(e.target.value) });
  $('noise').oninput = (e) => ($('noise-out').textContent = e.target.value);
  $('noise').onchange = (e) => update({ noise: Number(e.target.value) });
  $('batch').oninput = (e) => ($('batch-out').textContent = e.target.value);
  $('batch').onchange = (e) => update({ batch: Number(e.target.value) });
  $('showTest').onchange = (e) => update({ showTest: e.target.checked });
  $('discretize').onchange = (e) => update({ discretize: e.target.checked });
  $('csv').onchange = onCsv;
  $('lang').onchange = (e) => {
    state = { ...state, lang: e.target.value };
    writeHash();
    applyLang();
  };
  $('reset-defaults').onclick = (e) => {
    e.preventDefault();
    state = { ...defaultState(), lang: state.lang };
    urlProblems = [];
    diverged = false;
    writeHash();
    applyLang();
    rebuild();
  };
  window.addEventListener('hashchange', () => {
    if (location.hash === toHash(state)) return;
    loadFromHash();
    diverged = false;
    applyLang();
    rebuild();
  });
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      chart.resize();
      plot.drawPoints();
      if (built) {
        network.layout(state);
        if (latestFrameDrawn) network.update(latestFrameDrawn, GRID_N, OUT_N, state.discretize);
      }
    }, 150);
  });
  writeHash();
  rebuild();
}

const FEATURE_ORDER = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];

init();
registerServiceWorker();
