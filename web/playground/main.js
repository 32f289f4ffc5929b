// The playground page: wires the controls, the URL state, the engine worker and the drawings.
import { parseHash, toHash, defaultState, fits, EXTENT } from './state.js';
import { toSpec, toHyper, classCount, denseIndices, weightsOf } from './spec.js';
import { t, setLang, getLang, apply as applyI18n, detectLang } from './i18n.js';
import { connect } from './engine.js';
import { NetworkView } from './network.js';
import { DataPlot, renderLegend } from './dataplot.js';
import { LossChart } from './linechart.js';
import { DatasetPicker } from './datasets.js';
import { bindControls, fillControls, syncControls } from './controls.js';
import { addPoint, importCsv, renderClickClasses } from './data.js';
import {
  clearScores,
  showScores,
  showClassification,
  showFormula,
  showConfusion,
  explainScores,
} from './scores.js';
import { createHealth } from './health.js';
import { createRollback } from '../kit/rollback.js';
import { divergedNote, saturatedNote, stoppedNote } from './hints.js';
import { bindFiles } from './files.js';
import { networkHandlers } from './edits.js';
import { keepExperiment } from '../kit/keep.js';
import { createExplainer } from './explain.js';
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
let built = null; // {id, info, data, dense} of the current session
let buildSeq = 0;
let diverged = false;
let engine;
let notes, hash, picker, embed, explainer, keep;
let lastMetrics = null;
const health = createHealth();
const rollback = createRollback(() => engine.checkpoint());

// ---------- notes (URL problems, divergence, saturation, stops, engine errors): always text ----------
// Errors under 'message' (a successful build clears them); confirmations ("Loaded 120 points")
// under 'info', until the next change.
function showMessage(text, kind = 'error') {
  notes.set(kind === 'info' ? 'info' : 'message', text ? { kind, text } : null);
}

// Divergence: a rollback to the last good weights with a safer rate, or a fresh start.
function showDiverged() {
  notes.set('diverged', diverged ? divergedNote(state, rollback.good, update, rollBack, t) : null);
}

// Back to a good checkpoint, trained on at a smaller learning rate.
async function rollBack(checkpoint, lr) {
  try {
    await engine.restore(checkpoint);
  } catch (err) {
    return showMessage(t('engineError', { message: err.message }));
  }
  diverged = false;
  showDiverged();
  update({ lr });
}

function setPlaying(on) {
  playing = on;
  setPlayButton($('play'), on, t);
}

// Fields whose change needs a new session (the others are hyper-parameters or drawing options).
// prettier-ignore
const REBUILD = new Set(['dataset', 'classes', 'noise', 'ratio', 'features', 'network', 'activation',
  'dropout', 'loss', 'problem', 'seed', 'init', 'points']);
const HYPER = new Set(['lr', 'batch', 'reg', 'regRate', 'optimizer']);

// A user's change: a history entry (Back undoes it), a dl-change event for a host page.
// rebuildOptions: for rebuild() ({weights} to start from these parameters).
function update(change, force = false, rebuildOptions = {}, userInitiated = true) {
  const before = state;
  state = { ...state, ...change };
  // Hand-edited weights go with the network they were made for.
  if (state.weights && !fits(state.weights, state)) state.weights = null;
  // More than two classes: a softmax, trained with cross-entropy unless the user chose otherwise.
  if (!('loss' in change) && classCount(before) <= 2 && classCount(state) > 2) state.loss = 'cross_entropy';
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
  if (playing && ['speed', 'batch', 'stopEpoch', 'stopLoss'].some((k) => keys.includes(k))) startEngine();
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
  health.clear();
  rollback.clear();
  notes.set('info', null);
  notes.set('restored', null);
  notes.set('saturated', null);
  notes.set('stopped', null);
  try {
    const spec = toSpec(state);
    const dense = denseIndices(state);
    const classes = classCount(state);
    const result = await engine.build(
      spec,
      { n: GRID_N, outN: OUT_N, extent: EXTENT, layers: dense },
      { weights: weights ?? weightsOf(state), initSeed: state.init ?? state.seed, classes: classes > 0 },
    );
    if (id !== buildSeq) return;
    built = { id: result.id, info: result.info, data: result.data, dense, classes };
    showMessage('');
    network.layout(state);
    plot.setData(result.data, classes);
    renderLegend($('legend'), classes, t);
    renderClickClasses($('click-class'), classes, t);
    showClassification(classes > 0);
    showFormula(spec.loss, classes, t);
    chart.reset();
    clearScores();
    if (state.dataset === 'custom') picker.drawCustom(state, result.data);
    picker.thumbnails(state); // after the session: the first frame is not kept waiting
    if (await keep?.restore()) return;
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
  watch(frame); // every frame, drawn or not: a divergence or a stop is never missed
  drawLatest(frame);
}

// The stop conditions not reached yet (a reached one lets Play go on past it).
function stopOf() {
  const m = lastMetrics ?? {};
  const stop = {};
  if (state.stopEpoch !== null && !((m.epoch ?? 0) >= state.stopEpoch)) stop.epoch = state.stopEpoch;
  if (state.stopLoss !== null && !(m.testLoss <= state.stopLoss)) stop.testLoss = state.stopLoss;
  return Object.keys(stop).length ? stop : null;
}

// Paced at `speed` epochs per drawn frame (0: flat out).
function startEngine() {
  const trainSize = built?.info?.trainSize ?? 250;
  engine.play(state.speed ? state.speed * Math.max(1, Math.ceil(trainSize / state.batch)) : 0, stopOf());
}

// Frames drawn and the time they took (read by the browser tests).
const stats = { frames: 0, drawMs: [] };
window.dlplayStats = stats;

function draw(frame) {
  const t0 = performance.now();
  drawFrame(frame);
  stats.frames++;
  if (stats.drawMs.push(performance.now() - t0) > 600) stats.drawMs.splice(0, 300);
}

// The drawn layers' part of a frame: dense layers only (dropout layers have nothing to show).
function viewOf(frame) {
  return { ...frame, params: built.dense.map((i) => frame.params[i]) };
}

function drawFrame(frame) {
  latestFrameDrawn = frame;
  const m = frame.metrics;
  showScores(m);
  if (playing) embed.emit('step', metricsOf(m));
  const view = viewOf(frame);
  network.update(view, GRID_N, OUT_N, state.discretize);
  plot.drawOutput(
    built.classes
      ? { probs: frame.classes.probabilities, classes: built.classes }
      : { grid: frame.grids.at(-1), unit: 0 },
    OUT_N,
    state.discretize,
  );
  showConfusion(frame.confusion ?? null, t);
  if (m.epoch !== undefined) chart.add(m.epoch, m.trainLoss, m.testLoss);
}

// Divergence, saturation and stops, from the engine's metrics.
function watch(frame) {
  const m = frame.metrics;
  lastMetrics = m;
  if (m.step > 0 && !m.diverged) keep?.changed();
  rollback.observe(m);
  const verdict = health.observe(frame);
  if (verdict?.kind === 'diverged' && !diverged) {
    diverged = true;
    setPlaying(false);
    engine.pause();
    showDiverged();
    embed.emit('diverged', { step: m.step });
  } else if (verdict?.kind === 'saturated')
    notes.set('saturated', saturatedNote(state, verdict.epochs, update, t));
  if (m.stopped) {
    setPlaying(false);
    notes.set('stopped', stoppedNote(m, state, t));
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
  use: (points, change = {}) => update({ ...change, dataset: 'custom', points }, true),
  say: showMessage,
});

// ---------- start ----------
function applyLang() {
  setLang(state.lang ?? detectLang(navigator.languages ?? [navigator.language]));
  applyI18n(document);
  document.title = t('title');
  explainer?.setLang(getLang());
  fillControls();
  syncControls(state, picker);
  setPlaying(playing);
  notes.render();
  showDiverged();
  if (built) {
    network.layout(state);
    if (latestFrameDrawn) network.update(viewOf(latestFrameDrawn), GRID_N, OUT_N, state.discretize);
    renderLegend($('legend'), built.classes, t);
    renderClickClasses($('click-class'), built.classes, t);
    showFormula(toSpec(state).loss, built.classes, t);
    $('confusion').replaceChildren();
    if (latestFrameDrawn) showConfusion(latestFrameDrawn.confusion ?? null, t);
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
  notes.set('stopped', null);
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
  const reset = (user) => update({ init: newSeed(state.init ?? state.seed), weights: null }, true, {}, user);
  embed = startEmbed({
    id: 'playground',
    api: {
      play,
      pause,
      step: async (n = 1) => {
        setPlaying(false);
        return metricsOf(await engine.step(n));
      },
      reset: () => reset(false),
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
  network = new NetworkView(
    $('network'),
    networkHandlers({
      state: () => state,
      update,
      relayout: () => network.layout(state),
      params: () => (latestFrameDrawn?.build === built?.id ? latestFrameDrawn?.params : null),
      dense: () => built.dense,
      setWeight: (...args) => engine.setWeight(...args),
    }),
  );
  network.featureGrids = featureGrids;
  explainer = createExplainer(document.body, getLang());
  network.explainer = explainer;
  explainScores(explainer, () => built?.classes ?? 2);
  plot = new DataPlot($('output-map'), $('points'), {
    onClick: (click) => !embed.isLocked('data') && !embed.isHidden('data') && addPoint(click, userData(), t),
  });
  chart = new LossChart($('chart'));
  bindControls(update);
  const files = { engine, state: () => state, diverged: () => diverged, say: showMessage };
  bindFiles({ ...files, apply: (change) => update(change, true) }, t);
  applyLang();

  $('play').onclick = () => (playing ? pause() : play());
  const share = createShare({ viewId: 'playground', t, groups: GROUPS, getHash: ownHash, getLang, snapshot });
  $('share').onclick = () => share.open();
  $('step').onclick = () => {
    if (diverged) return;
    setPlaying(false);
    engine.step(1);
  };
  // As in TensorFlow Playground: Reset draws fresh initial weights and keeps the data; Regenerate
  // draws new data and keeps the network's current weights (both seeds are in the URL).
  $('reset').onclick = () => reset(true);
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
    keep.forget();
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
        if (latestFrameDrawn) network.update(viewOf(latestFrameDrawn), GRID_N, OUT_N, state.discretize);
      }
    }, 150);
  });
  keep = await keepExperiment({
    view: 'playground',
    notes,
    t,
    hash: ownHash,
    save: async () => ({ checkpoint: await engine.checkpoint(), curves: chart.curves() }),
    load: async ({ checkpoint, curves }) => {
      await engine.restore(checkpoint);
      chart.setCurves(curves);
      return curves?.epochs?.at(-1);
    },
    fresh: () => rebuild(),
  });
  hash.write(state);
  await rebuild();
  embed.ready();
}

// The control groups a teacher can hide or lock when embedding (data-group in index.html).
// prettier-ignore
const GROUPS = ['play', 'data', 'features', 'network', 'activation', 'optimizer', 'regularization',
  'problem', 'loss', 'stop', 'speed', 'output', 'files', 'share'];

init();
registerServiceWorker();
