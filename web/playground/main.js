// The playground page: wires the controls, the URL state, the engine worker and the drawings.
import {
  parseHash,
  toHash,
  defaultState,
  toSpec,
  toHyper,
  isClassification,
  datasets,
  activations,
  optimizers,
  regularizations,
  features as featureList,
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
import { DatasetPicker } from './datasets.js';
import { parseCsv, pointsFromData } from './data.js';
import { registerServiceWorker } from '../offline/register.js';
import { createNotes } from '../kit/notes.js';
import { bindHash } from '../kit/hash.js';
import { fillSelect, setPlayButton } from '../kit/controls.js';
import { frameLoop } from '../kit/frames.js';
import { createShare } from '../kit/share.js';
import { startEmbed } from '../kit/embed.js';

const GRID_N = 24; // per-neuron heatmaps
const OUT_N = 80; // the output's decision map
const $ = (id) => document.getElementById(id);

let state;
let playing = false;
let built = null; // {id, info, data} of the current session
let buildSeq = 0;
let diverged = false;
let engine;
let notes, hash, picker, embed;
let lastMetrics = null;

// ---------- notes (URL problems, divergence, engine errors): the kit's, always text ----------
function showMessage(text, kind = 'error') {
  notes.set('message', text ? { kind, text } : null);
}

function showDiverged() {
  if (!diverged) return notes.set('diverged', null);
  const lr = saferLr(state.lr);
  notes.set('diverged', {
    kind: 'error',
    text: t('diverged'),
    action: {
      id: 'diverged-reset',
      label: t('divergedReset', { lr }),
      onClick: () => {
        diverged = false;
        update({ lr }, true, {}, true);
      },
    },
  });
}

// The rate the divergence note offers: 0.01 from anything larger (0.03 still diverges on some sets,
// e.g. the plane with linear units), one step down from there on.
function saferLr(lr) {
  const i = LEARNING_RATES.indexOf(lr);
  const safe = LEARNING_RATES.indexOf(0.01);
  return LEARNING_RATES[Math.max(0, Math.min(i > safe ? safe : i - 1, safe))];
}

// ---------- controls ----------
function fillControls() {
  fillSelect($('lr'), LEARNING_RATES, String);
  fillSelect($('activation'), activations(), t);
  fillSelect($('optimizer'), optimizers(), t);
  fillSelect($('reg'), regularizations(), t);
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
  picker.render(state);
}

function setPlaying(on) {
  playing = on;
  setPlayButton($('play'), on, t);
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

// A user's change: a history entry (Back undoes it), a dl-change event for a host page.
// rebuildOptions: for rebuild() ({weights} to keep the network's weights).
function update(change, force = false, rebuildOptions = {}, userInitiated = true) {
  const before = state;
  state = { ...state, ...change };
  const keys = Object.keys(change).filter(
    (k) => force || JSON.stringify(before[k]) !== JSON.stringify(state[k]),
  );
  hash.write(state, { push: userInitiated && keys.length > 0 });
  if (keys.length) embed.emit('change', { state: ownHash(), userInitiated });
  syncControls();
  if (keys.some((k) => REBUILD.has(k)) || force || diverged) {
    diverged = false;
    showDiverged();
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
  built = null; // frames of the session being replaced are not drawn on the new layout
  try {
    const spec = toSpec(state);
    const result = await engine.build(
      spec,
      { n: GRID_N, outN: OUT_N, extent: EXTENT },
      { weights, initSeed: state.init ?? state.seed },
    );
    if (id !== buildSeq) return;
    built = { id: result.id, info: result.info, data: result.data };
    showMessage('');
    network.layout(state);
    plot.setData(result.data, isClassification(state));
    chart.reset();
    $('epoch').textContent = '0';
    if (state.dataset === 'custom') picker.drawCustom(state, result.data);
    picker.thumbnails(state); // after the session: the first frame is not kept waiting
    if (playing) startEngine(); // Play was pressed while the session was being built
  } catch (err) {
    if (id === buildSeq) showMessage(t('engineError', { message: err.message }));
  }
}

const drawLatest = frameLoop((f) => {
  if (built && f.build === built.id && embed.visible) draw(f);
  engine.ack();
});

function onFrame(frame) {
  if (!built || frame.build !== built.id) return;
  drawLatest(frame);
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
  lastMetrics = m;
  if (playing) embed.emit('step', metricsOf(m));
  network.update(frame, GRID_N, OUT_N, state.discretize);
  plot.drawOutput(frame.grids[frame.grids.length - 1], OUT_N, state.discretize);
  if (m.epoch !== undefined) chart.add(m.epoch, m.trainLoss, m.testLoss);
  const bad = m.diverged || !Number.isFinite(m.trainLoss) || !Number.isFinite(m.testLoss);
  if (bad && !diverged) {
    diverged = true;
    setPlaying(false);
    engine.pause();
    showDiverged();
    embed.emit('diverged', { step: m.step });
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
    showMessage('');
    update({ dataset: 'custom', points }, true);
    showMessage(t('csvLoaded', { n: points.length }), 'info');
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
  notes.render();
  showDiverged();
  if (built) {
    network.layout(state);
    if (latestFrameDrawn) network.update(latestFrameDrawn, GRID_N, OUT_N, state.discretize);
  }
}

function loadFromHash(h = location.hash) {
  const parsed = parseHash(h);
  state = parsed.state;
  notes.setProblems(parsed.problems);
}

// A state from outside: a pasted link, Back/Forward, a host page's setState.
function applyExternal(h, userInitiated) {
  loadFromHash(h);
  diverged = false;
  built = null;
  applyLang();
  rebuild();
  embed.emit('change', { state: ownHash(), userInitiated });
}

const ownHash = () => toHash(state).replace(/^#/, '');
const metricsOf = (m) => ({
  step: m?.step ?? 0,
  epoch: m?.epoch ?? 0,
  trainLoss: m?.trainLoss ?? null,
  testLoss: m?.testLoss ?? null,
  trainAccuracy: m?.trainAccuracy ?? null,
  testAccuracy: m?.testAccuracy ?? null,
});

function play() {
  if (diverged || playing) return;
  setPlaying(true);
  startEngine();
}

function pause() {
  setPlaying(false);
  engine.pause();
}

// The main picture as one image: the decision map with its points.
function snapshot() {
  const pts = $('points');
  const c = document.createElement('canvas');
  c.width = pts.width;
  c.height = pts.height;
  const ctx = c.getContext('2d');
  ctx.drawImage($('output-map'), 0, 0, pts.width, pts.height);
  ctx.drawImage(pts, 0, 0);
  return c;
}

async function init() {
  notes = createNotes($('notes'), t);
  engine = connect({
    onFrame,
    onError: (err) => {
      setPlaying(false);
      showMessage(t('engineError', { message: err.message }));
    },
  });
  let featureGrids;
  try {
    await engine.ready; // the engine's vocabulary: every list of names the state and controls use
    featureGrids = await engine.featureGrids(24, EXTENT);
  } catch (err) {
    setLang(detectLang(navigator.languages ?? [navigator.language]));
    showMessage(t('engineError', { message: err.message }));
    return;
  }
  picker = new DatasetPicker($('datasets'), {
    t,
    onPick: (name) => update({ dataset: name, points: null }, true),
    dataOf: (spec) => engine.dataOf(spec),
  });
  embed = startEmbed({
    id: 'playground',
    api: {
      play,
      pause,
      step: async (n = 1) => {
        setPlaying(false);
        return metricsOf(await engine.step(n));
      },
      reset: () => update({ init: newSeed(state.init ?? state.seed) }, true, {}, false),
      getState: () => ({ state: ownHash(), metrics: metricsOf(lastMetrics) }),
      setState: (h) => {
        applyExternal(`#${String(h).replace(/^#/, '')}`, false);
        hash.write(state);
      },
      snapshot,
    },
  });
  embed.onVisibility((visible, keepTraining) => {
    if (!visible && !keepTraining && playing) pause();
  });
  hash = bindHash({ toHash, onExternal: (h) => applyExternal(h, true) });
  loadFromHash();
  network = new NetworkView($('network'), {
    toggleFeature(f, on) {
      const features = on ? [...state.features, f] : state.features.filter((x) => x !== f);
      if (!features.length) return network.layout(state);
      update({ features: featureList().filter((x) => features.includes(x)) });
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
  network.featureGrids = featureGrids;
  plot = new DataPlot($('output-map'), $('points'), { onClick: onPlotClick });
  chart = new LossChart($('chart'));

  applyLang();

  $('play').onclick = () => (playing ? pause() : play());
  const share = createShare({
    viewId: 'playground',
    t,
    groups: GROUPS.map((name) => ({ name, label: t(`group_${name}`) })),
    getHash: ownHash,
    getLang,
    snapshot,
  });
  $('share').onclick = () => share.open();
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
    update({ problem: e.target.value, dataset: datasets(e.target.value)[0], points: null });
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
    hash.write(state, { push: true });
    applyLang();
  };
  $('reset-defaults').onclick = (e) => {
    e.preventDefault();
    state = { ...defaultState(), lang: state.lang };
    notes.setProblems([]);
    diverged = false;
    built = null;
    hash.write(state, { push: true });
    applyLang();
    rebuild();
  };
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
  hash.write(state);
  await rebuild();
  embed.ready();
}

// The control groups a teacher can hide or lock when embedding (data-group in index.html).
const GROUPS = [
  'play',
  'data',
  'features',
  'network',
  'activation',
  'optimizer',
  'regularization',
  'problem',
  'speed',
  'output',
  'share',
];

init();
registerServiceWorker();
