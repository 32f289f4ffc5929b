// The engine side of the page. The worker trains flat out and sends a frame per animation frame
// (the filters' weights, and for the shown input every layer's output, the engine's class
// probabilities and the saliency); the splits are evaluated by the engine every second or so (the
// whole test split and up to 1,000 training examples) for the curves, the confusion matrix and the
// most confidently wrong images. Every number shown comes from the engine: the page draws, it does
// not compute.
import { app, stats } from './app.js';
import { $ } from './dom.js';
import { t } from './i18n.js';
import { DATASETS, TEST_RATIO, toSpec } from './state.js';
import { loadDataset } from './collection.js';
import { layoutMaps, layoutFilters, drawMaps, drawFilterFrame } from './maps.js';
import { showSourceAfterBuild, drawProbs } from './input.js';
import { evaluateSplits } from './evaluation.js';
import { applyCores } from './cores.js';
import { renderBlocks as drawBlocks } from './blocks.js';
import { frameLoop } from '../kit/frames.js';
import { setPlayButton } from '../kit/controls.js';
import { createRollback, divergedNote } from '../kit/rollback.js';

// The last good training state, to go back to after a divergence.
const rollback = createRollback(() => app.session.evaluate('checkpoint'));

const EVAL_MIN_MS = 800;
const SPEED_WINDOW_MS = 2000; // examples/s: the change of the engine's example count over this long

let buildSeq = 0;
let evalBusy = false;
let evalAgain = false; // asked for while one was running
let evalTimer = 0;
let lastEvalMs = 0;
let samples = []; // [time, examples seen], for examples/s
let undrawn = null; // the latest frame not drawn while the embedded view was out of sight
let unshown = []; // evaluations not drawn meanwhile: [epoch, result]

// ---------- notes and the play button ----------
/** The page's one message note (an error, or a confirmation with kind 'info'); '' removes it. */
export function showMessage(text, kind = 'error') {
  app.notes.set('message', text ? { kind, text } : null);
}

export function setPlaying(on) {
  app.playing = on;
  setPlayButton($('play'), on, t);
}

// The learning rate the divergence note offers: the next smaller one of the menu.
function saferLr(lr) {
  const rates = app.menus.learningRates;
  const smaller = rates.filter((r) => r < lr);
  return smaller.length ? smaller[smaller.length - 1] : rates[0];
}

/** The divergence note (with its reset at a smaller learning rate), or none. */
export function showDiverged() {
  if (!app.diverged) return app.notes.set('diverged', null);
  const reset = (lr) => app.update({ lr }, true);
  app.notes.set(
    'diverged',
    divergedNote({ t, good: rollback.good, lr: saferLr(app.state.lr), back: rollBack, reset }),
  );
}

// Back to a good checkpoint, trained on at a smaller learning rate.
async function rollBack(checkpoint, lr) {
  try {
    await app.session.restore(checkpoint);
  } catch (err) {
    return showMessage(t('engineError', { message: err.message }));
  }
  app.diverged = false;
  showDiverged();
  app.update({ lr });
  evaluateNow();
}

export function renderBlocks() {
  drawBlocks({
    net: app.state.net,
    built: app.built?.info ?? null,
    inputShape: DATASETS[app.state.dataset].shape,
    netError: app.netError,
    onChange: (net) => app.update({ net }),
  });
}

// ---------- build ----------
/** A new session for the state (a loaded model's weights if pending); the views laid out for it. */
export async function rebuild() {
  const seq = ++buildSeq;
  const pending = app.pendingModel; // for this build only
  app.pendingModel = null;
  setPlaying(false);
  clearTimeout(evalTimer);
  const old = app.session;
  app.session = null;
  app.built = null;
  app.diverged = false;
  rollback.clear();
  app.notes.set('restored', null);
  showDiverged();
  old?.pause().catch(() => {});
  let set;
  try {
    set = await loadDataset(app.state.dataset);
  } catch (err) {
    if (seq !== buildSeq) return;
    old?.dispose().catch(() => {});
    app.netError = null;
    showBuilt(null);
    showMessage(t('dataError', { message: err.message }));
    return;
  }
  if (seq !== buildSeq) return;
  const spec = toSpec(app.state);
  if (pending)
    spec.layers = spec.layers.map((l, i) => {
      const src = pending[i];
      return src
        ? { ...l, ...(src.weights ? { weights: src.weights } : {}), ...(src.bias ? { bias: src.bias } : {}) }
        : l;
    });
  try {
    const s = await app.client.build(
      spec,
      { params: true, evaluate: false, activations: null },
      { x: set.images, y: set.labels, scale: 1 / set.max, testRatio: TEST_RATIO },
    );
    if (seq !== buildSeq) {
      s.dispose().catch(() => {});
      return;
    }
    old?.dispose().catch(() => {});
    app.session = s;
    app.netError = null;
    app.built = { info: s.info, layers: s.info.layers, test: s.data.test, train: s.data.train, set };
    await applyCores(s);
    s.onFrame(drawLatest);
    s.onError((err) => {
      setPlaying(false);
      showMessage(t('engineError', { message: err.message }));
    });
  } catch (err) {
    if (seq !== buildSeq) return;
    old?.dispose().catch(() => {});
    app.netError = err.message;
  }
  showMessage('');
  showBuilt(set);
  if (!app.built) return;
  showSourceAfterBuild();
  await app.keep?.restore();
  evaluateNow();
}

// The views for a new build (or none): empty, laid out for its layers.
function showBuilt(set) {
  app.progress = { step: 0, epoch: 0, examples: 0 };
  app.evaluation = null;
  app.latestDrawn = null;
  undrawn = null;
  unshown = [];
  samples = [];
  stats.speed = 0;
  stats.testAccuracy = null;
  stats.epoch = 0;
  $('epoch').textContent = '0';
  $('speed-out').textContent = '–';
  app.views.evaluation.reset(app.built ? set : null);
  app.views.saliency.clear();
  drawProbs(null);
  renderBlocks();
  layoutMaps();
  layoutFilters();
  $('play').disabled = !app.built;
  $('step').disabled = !app.built;
}

// ---------- frames ----------
// At most one draw per animation frame, with the latest frame; none while out of sight (embedded).
const drawLatest = frameLoop((f) => {
  // (not a frame of a session replaced meanwhile: it would not fit the new one's views)
  if (!app.built || f.id !== app.session?.id) return;
  noteProgress(f.metrics);
  if (app.playing) app.embed.emit('step', metrics());
  if (!app.embed.visible) {
    undrawn = f;
    return;
  }
  const t0 = performance.now();
  drawFrame(f);
  stats.frames++;
  if (stats.drawMs.push(performance.now() - t0) > 600) stats.drawMs.splice(0, 300);
});

/** Draws what came while the view was out of sight: the latest frame, the evaluations. */
export function drawUndrawn() {
  const f = undrawn;
  const evaluations = unshown;
  undrawn = null;
  unshown = [];
  if (f && app.built && f.id === app.session?.id) drawFrame(f);
  evaluations.forEach(([epoch, result], i) =>
    app.views.evaluation.add(epoch, result, i === evaluations.length - 1),
  );
}

function drawFrame(f) {
  showProgress();
  if (f.params) drawFilterFrame(f.params);
  if (f.activations) {
    app.latestDrawn = f;
    drawInputViews(f);
  }
}

/** What a frame says about the shown input: feature maps, probabilities, saliency. */
export function drawInputViews(f) {
  drawMaps(f.activations);
  drawProbs(f.classified);
  app.views.saliency.draw(f.saliency, f.classified?.predicted?.[0], app.built.info.inputShape);
}

// The engine's progress ({step, epoch, examples, loss, diverged} of a frame or a step's reply):
// kept, with examples/s as the change of its example count over the last seconds of wall time.
function noteProgress(m) {
  if (!Number.isFinite(m?.epoch)) return;
  const now = performance.now();
  const last = samples[samples.length - 1];
  if (last && m.examples < last[1]) samples = []; // a fresh model
  samples.push([now, m.examples]);
  while (samples.length > 2 && now - samples[0][0] > SPEED_WINDOW_MS) samples.shift();
  const [t0, seen0] = samples[0];
  if (app.playing && now - t0 > 300) stats.speed = ((m.examples - seen0) * 1000) / (now - t0);
  app.progress = { step: m.step ?? app.progress.step, epoch: m.epoch, examples: m.examples };
  stats.epoch = m.epoch;
  rollback.observe(m);
  if (m.step > 0 && !m.diverged) app.keep?.changed();
  const bad = m.diverged; // the engine's: a loss or a weight is NaN or infinite
  if (bad && !app.diverged) {
    app.diverged = true;
    setPlaying(false);
    app.session?.pause().catch(() => {});
    showDiverged();
    app.embed.emit('diverged', { step: app.progress.step });
  }
}

function showProgress() {
  const epoch = app.progress.epoch;
  $('speed-out').textContent =
    app.playing && stats.speed ? Math.round(stats.speed).toLocaleString('en-US') : '–';
  $('epoch').textContent = epoch < 10 ? epoch.toFixed(2) : Math.floor(epoch).toString();
}

/**
 * The metrics a host page receives: the engine's step and epoch, and the losses and accuracies of
 * its last evaluation of the splits (null before the first).
 */
export function metrics() {
  const e = app.evaluation;
  return {
    step: app.progress.step,
    epoch: app.progress.epoch,
    trainLoss: e?.train.loss ?? null,
    testLoss: e?.test.loss ?? null,
    trainAccuracy: e?.train.accuracy ?? null,
    testAccuracy: e?.test.accuracy ?? null,
  };
}

// ---------- evaluation (the engine's: see evaluation.js) ----------
export async function evaluateNow() {
  clearTimeout(evalTimer);
  if (!app.session || !app.built) return;
  if (evalBusy) {
    evalAgain = true; // once this one is done: the model may have changed since it was asked for
    return;
  }
  evalBusy = stats.evaluating = true;
  evalAgain = false;
  const s = app.session;
  const t0 = performance.now();
  try {
    const result = await evaluateSplits(s);
    if (s === app.session) {
      app.evaluation = result;
      if (app.embed.visible) app.views.evaluation.add(app.progress.epoch, result);
      else unshown.push([app.progress.epoch, result]);
      stats.testAccuracy = result.test.accuracy;
      stats.evaluations++;
    }
  } catch (err) {
    if (s === app.session) showMessage(t('engineError', { message: err.message }));
  } finally {
    evalBusy = stats.evaluating = false;
    lastEvalMs = performance.now() - t0;
  }
  // One asked for meanwhile, or a new session's (whose build asked while this one ran).
  if (evalAgain || s !== app.session) evaluateNow();
  else if (app.playing) evalTimer = setTimeout(evaluateNow, Math.max(EVAL_MIN_MS, 6 * lastEvalMs));
}

// ---------- play, pause, step ----------
export function play() {
  if (!app.session || app.playing || app.diverged) return;
  setPlaying(true);
  app.session.play(0).catch((e) => showMessage(e.message));
  clearTimeout(evalTimer);
  evalTimer = setTimeout(evaluateNow, EVAL_MIN_MS);
}

export function pause() {
  if (!app.playing) return;
  setPlaying(false);
  app.session?.pause().catch(() => {});
  evaluateNow();
}

/** Pauses and trains `n` batches; resolves with the metrics (the evaluation follows). */
export async function step(n = 1) {
  const s = app.session;
  if (!s || app.diverged) return metrics();
  setPlaying(false);
  const m = await s.step(n);
  if (s !== app.session) return metrics();
  noteProgress(m);
  showProgress();
  evaluateNow();
  return metrics();
}
