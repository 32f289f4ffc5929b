// The playground page: wires the controls, the URL state, the engine worker and the drawings.
import {
  parseHash,
  toHash,
  defaultState,
  toSpec,
  toHyper,
  isClassification,
  saferLr,
  features as featureList,
  MAX_LAYERS,
  MAX_NEURONS,
  EXTENT,
} from './state.js';
import { t, setLang, getLang, apply as applyI18n, detectLang } from './i18n.js';
import { connect } from './engine.js';
import { NetworkView } from './network.js';
import { DataPlot } from './dataplot.js';
import { LossChart } from './linechart.js';
import { DatasetPicker } from './datasets.js';
import { bindControls, fillControls, syncControls } from './controls.js';
import { addPoint, importCsv } from './data.js';
import { registerServiceWorker } from '../offline/register.js';
import { createNotes } from '../kit/notes.js';
import { bindHash } from '../kit/hash.js';
import { setPlayButton, newSeed } from '../kit/controls.js';
import { frameLoop } from '../kit/frames.js';
import { createShare } from '../kit/share.js';
import { startEmbed, cleanMetrics } from '../kit/embed.js';

const GRID_N = 24; // per-neuron heatmaps
const OUT_N = 80; // the output's decision map
/** @type {(id: string) => any} */
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
  syncControls(state, picker);
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
    $('train-loss').textContent = '–'; // until the new session's first frame
    $('test-loss').textContent = '–';
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
  const bad = m.diverged; // the engine's: a loss or a weight is NaN or infinite
  if (bad && !diverged) {
    diverged = true;
    setPlaying(false);
    engine.pause();
    showDiverged();
    embed.emit('diverged', { step: m.step });
  }
}

// ---------- user data: clicked points and CSV files (./data.js) ----------
const userData = () => ({
  state,
  built,
  choice: () =>
    Number(
      /** @type {HTMLInputElement | null} */ (document.querySelector('input[name=clickClass]:checked'))
        ?.value ?? 1,
    ),
  use: (points) => update({ dataset: 'custom', points }, true),
  say: showMessage,
});

// ---------- start ----------
function applyLang() {
  setLang(state.lang ?? detectLang(navigator.languages ?? [navigator.language]));
  applyI18n(document);
  document.title = t('title');
  fillControls();
  syncControls(state, picker);
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
const metricsOf = (m) => cleanMetrics({ step: 0, epoch: 0, ...m });

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
  plot = new DataPlot($('output-map'), $('points'), {
    onClick: (click) => !embed.isLocked('data') && !embed.isHidden('data') && addPoint(click, userData(), t),
  });
  chart = new LossChart($('chart'));
  bindControls(update);
  applyLang();

  $('play').onclick = () => (playing ? pause() : play());
  const share = createShare({
    viewId: 'playground',
    t,
    groups: GROUPS,
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
  $('csv').onchange = (ev) => importCsv(ev.target, userData(), t);
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
// prettier-ignore
const GROUPS = ['play', 'data', 'features', 'network', 'activation', 'optimizer', 'regularization',
  'problem', 'speed', 'output', 'share'];

init();
registerServiceWorker();
