// The character model: a session of the engine built from the chosen text (embedding → RNN, LSTM
// or GRU → a softmax over the text's characters at every step), trained flat out in the worker.
// About once a second while it trains (and after a step) the page asks the engine for the loss and
// perplexity of both splits (the curves), a sample at the chosen temperature, and for the chosen
// character the next-character probabilities and the hidden states of its window.
import { app, stats } from './app.js';
import { t } from './i18n.js';
import { charSpec, recurrentLayer, LEARNING_RATES, MAX_VOCABULARY, MIN_OWN_TEXT } from './state.js';
import { loadText, defaultPrefix } from './texts.js';
import { textVocabulary, metricsOf } from './engine.js';
import { drawProbs } from './draw.js';
import { showExcerpt, resample, showChosen } from './sample.js';
import { Curves } from '../cnn/charts.js';
import { setPlayButton } from '../kit/controls.js';
import { frameLoop } from '../kit/frames.js';
import { createRollback, divergedNote } from '../kit/rollback.js';

export { resample } from './sample.js';

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 1200;
const METRICS_MS = 3000;

export const model = {
  session: null,
  text: '',
  vocabulary: [],
  spec: null,
  layer: 1,
  playing: false,
  diverged: false,
  progress: { step: 0, epoch: 0, loss: null },
  evaluation: null, // {train, test}: the engine's {loss, perplexity, accuracy}
  sample: { text: '', ids: [] },
  excerpt: { text: '', ids: [] },
  chosen: null, // {where: 'sample' | 'excerpt', pos}
  resampleSeed: 0, // New sample: another seed for the engine's sampling
  prefixProblem: false, // the start text's characters are not all in the vocabulary
  error: null,
};

let seq = 0;
let timer = 0;
let busy = false;
let again = false;
let againFull = false;
let metricsAt = 0; // when the last metrics came
let metricsCost = 0; // how long they took (ms)
let charts = null;
let built = false; // a model was built before: a new build is another experiment than the kept one
// The last good training state (at most a second old), to go back to after a divergence.
const rollback = createRollback(() => model.session.evaluate('checkpoint'));

export function initCharts() {
  charts = {
    loss: new Curves($('loss-chart'), {
      yRange: (u, min, max) => [0, Math.max(max || 0, 0.1)],
      labels: ['', ''],
    }),
    ppl: new Curves($('ppl-chart'), {
      yRange: (u, min, max) => [1, Math.max(max || 0, 2)],
      labels: ['', ''],
    }),
  };
  relabelCharts();
}

export function relabelCharts() {
  const labels = [t('trainSeries'), t('testSeries')];
  charts?.loss.setLabels(labels);
  charts?.ppl.setLabels(labels);
}

/** The two charts ({loss, ppl}: ../cnn/charts.js's Curves). */
export const curves = () => charts;

export const resizeCharts = () => {
  charts?.loss.resize();
  charts?.ppl.resize();
};

export function message(text, kind = 'error') {
  app.notes.set('message', text ? { kind, text } : null);
}

function setPlaying(on) {
  model.playing = on;
  setPlayButton($('play'), on, t);
}

export function showDiverged() {
  if (!model.diverged) return app.notes.set('diverged', null);
  const smaller = LEARNING_RATES.filter((r) => r < app.state.lr);
  const lr = smaller.length ? smaller[smaller.length - 1] : LEARNING_RATES[0];
  const reset = (lr) => app.update({ lr }, true);
  app.notes.set('diverged', divergedNote({ t, good: rollback.good, lr, back: rollBack, reset }));
}

// Back to a good checkpoint, trained on at a smaller learning rate.
async function rollBack(checkpoint, lr) {
  try {
    await model.session.restore(checkpoint);
  } catch (err) {
    return message(t('engineError', { message: err.message }));
  }
  model.diverged = false;
  showDiverged();
  await app.update({ lr });
  await refresh({ full: true });
}

/** The prefix the sample starts with: the state's, or the text's default. */
export const prefixOf = () => app.state.prefix || defaultPrefix(app.state.text, model.text);

// ---------- build ----------
/** A fresh model for the state (the text loaded, its vocabulary taken from the engine). */
export async function rebuild() {
  const my = ++seq;
  clearTimeout(timer);
  setPlaying(false);
  const old = model.session;
  model.session = null;
  model.diverged = false;
  model.evaluation = null;
  model.chosen = null;
  model.progress = { step: 0, epoch: 0, loss: null };
  model.sample = { text: '', ids: [] };
  model.error = null;
  rollback.clear();
  app.notes.set('restored', null);
  if (built) app.keepText?.forget();
  built = true;
  showDiverged();
  old?.pause().catch(() => {});
  showEmpty();
  let text;
  let vocabulary;
  try {
    text = await loadText(app.state.text);
    vocabulary = await textVocabulary(app.client, text);
  } catch (err) {
    if (my !== seq) return;
    old?.dispose().catch(() => {});
    model.error =
      err.code === 'short'
        ? t('ownMissing', { min: MIN_OWN_TEXT })
        : t('dataError', { message: err.message });
    message(err.code === 'short' ? '' : model.error);
    showOwnBox(err.code === 'short' ? model.error : '');
    return;
  }
  if (my !== seq) return;
  if (vocabulary.length > MAX_VOCABULARY) {
    old?.dispose().catch(() => {});
    model.error = t('ownTooBig', { v: vocabulary.length, max: MAX_VOCABULARY });
    showOwnBox(model.error);
    return;
  }
  const spec = charSpec(app.state, text, vocabulary.length);
  let s;
  try {
    s = await app.client.build(spec, { params: false, evaluate: false, activations: null });
  } catch (err) {
    if (my !== seq) return;
    old?.dispose().catch(() => {});
    model.error = t('engineError', { message: err.message });
    message(model.error);
    return;
  }
  if (my !== seq) {
    s.dispose().catch(() => {});
    return;
  }
  old?.dispose().catch(() => {});
  Object.assign(model, { session: s, text, spec, layer: recurrentLayer(spec) });
  model.vocabulary = s.info?.vocabulary ?? vocabulary;
  stats.builds++;
  message('');
  showOwnBox('');
  s.onFrame(onFrame);
  s.onError((err) => {
    setPlaying(false);
    message(t('engineError', { message: err.message }));
  });
  $('play').disabled = $('step').disabled = false;
  showModelInfo();
  await showExcerpt();
  if (my === seq && !(await app.keepText?.restore())) await refresh();
}

function showEmpty() {
  charts?.loss.reset();
  charts?.ppl.reset();
  relabelCharts();
  $('play').disabled = $('step').disabled = true;
  $('epoch').textContent = '0';
  $('loss-out').textContent = '–';
  $('ppl-out').textContent = '–';
  $('sample').replaceChildren();
  $('excerpt').replaceChildren();
  $('model-info').textContent = '';
  drawProbs($('probs'), [], null, null);
  $('probs-caption').textContent = t('probsNone');
  $('heatmap').width = 0;
  $('heatmap-caption').textContent = '';
  stats.sample = '';
  stats.loss = stats.perplexity = null;
  stats.epoch = 0;
}

/** The own-text box: shown for the own text, with a message (or its size). */
export function showOwnBox(note) {
  const own = app.state.text === 'own';
  $('own-box').hidden = !own;
  if (!own) return;
  $('own-info').textContent =
    note || (model.text ? t('ownInfo', { chars: [...model.text].length, v: model.vocabulary.length }) : '');
}

function showModelInfo() {
  const params = model.session.info?.params ?? '–';
  const windows = model.session.info?.trainSize ?? '–';
  $('model-info').textContent = t('modelInfo', {
    v: model.vocabulary.length,
    params: typeof params === 'number' ? params.toLocaleString('en-US') : params,
    windows: typeof windows === 'number' ? windows.toLocaleString('en-US') : windows,
  });
}

// ---------- frames and the refresh ----------
const onFrame = frameLoop((f) => {
  if (f.id !== model.session?.id) return;
  const m = f.metrics ?? {};
  if (Number.isFinite(m.epoch))
    model.progress = { step: m.step, epoch: m.epoch, loss: m.loss > 0 ? m.loss : model.progress.loss };
  stats.epoch = model.progress.epoch;
  showProgress();
  if (model.playing) app.embed.emit('step', metrics());
  rollback.observe(m);
  if (m.step > 0 && !m.diverged) app.keepText?.changed();
  if (m.diverged && !model.diverged) {
    model.diverged = true;
    setPlaying(false);
    model.session?.pause().catch(() => {});
    showDiverged();
    app.embed.emit('diverged', { step: model.progress.step });
  }
});

export function showProgress() {
  const e = model.progress.epoch;
  $('epoch').textContent = e < 10 ? e.toFixed(2) : Math.floor(e).toString();
  // The last batch's loss while training (the engine's, every frame); the training split's before.
  const live = model.progress.step > 0 && model.progress.loss > 0;
  const loss = live ? model.progress.loss : (model.evaluation?.train.loss ?? null);
  $('loss-out').textContent = Number.isFinite(loss) ? loss.toFixed(3) : '–';
}

/**
 * A sample and the chosen character's view, now, and the engine's metrics over both splits when
 * they are due (`full`: now): they cost a pass over the whole text, so they come every few
 * seconds while training (at most a fifth of the time), the samples about every second.
 */
export async function refresh({ full = false } = {}) {
  clearTimeout(timer);
  const s = model.session;
  if (!s) return;
  if (busy) {
    again = true;
    againFull ||= full;
    return;
  }
  busy = true;
  again = false;
  try {
    const due =
      full || !model.evaluation || performance.now() - metricsAt > Math.max(METRICS_MS, 5 * metricsCost);
    if (due) {
      const t0 = performance.now();
      const m = await metricsOf(app.client, s);
      metricsCost = performance.now() - t0;
      if (s !== model.session) return;
      takeMetrics(m, true);
    }
    await resample(false);
  } catch (err) {
    if (s === model.session) message(t('engineError', { message: err.message }));
  } finally {
    busy = false;
  }
  if (again) {
    const f = againFull;
    againFull = false;
    refresh({ full: f });
  } else if (model.playing) timer = setTimeout(refresh, REFRESH_MS);
}

/** Redraws what is shown in the page's language (a language change). */
export function redraw() {
  relabelCharts();
  showOwnBox('');
  if (model.error) {
    if (app.state.text === 'own') showOwnBox(model.error);
    return;
  }
  if (!model.session) return;
  showModelInfo();
  if (!model.chosen && !model.sample.text) $('probs-caption').textContent = t('probsNone');
  showChosen().catch(() => {});
}

// The engine's metrics over both splits: shown, and a point of the curves (`chart`).
export function takeMetrics(m, chart) {
  metricsAt = performance.now();
  model.evaluation = {
    train: { loss: m.trainLoss, perplexity: m.trainPerplexity, accuracy: m.trainAccuracy },
    test: { loss: m.testLoss, perplexity: m.testPerplexity, accuracy: m.testAccuracy },
  };
  model.progress = { ...model.progress, step: m.step, epoch: m.epoch };
  stats.epoch = m.epoch;
  stats.evaluations++;
  stats.loss = m.trainLoss;
  stats.perplexity = m.testPerplexity;
  if (chart) {
    charts.loss.add(m.epoch, m.trainLoss, m.testLoss);
    charts.ppl.add(m.epoch, m.trainPerplexity, m.testPerplexity);
  }
  $('ppl-out').textContent = Number.isFinite(m.testPerplexity) ? m.testPerplexity.toFixed(2) : '–';
  showProgress();
}

// ---------- play, pause, step ----------
export function play() {
  if (!model.session || model.playing || model.diverged) return;
  setPlaying(true);
  model.session.play(0).catch((e) => message(e.message));
  clearTimeout(timer);
  timer = setTimeout(refresh, REFRESH_MS);
}

export function pause() {
  if (!model.playing) return;
  setPlaying(false);
  model.session?.pause().catch(() => {});
  refresh({ full: true });
}

export async function step(n = 1) {
  const s = model.session;
  if (!s || model.diverged) return metrics();
  setPlaying(false);
  const m = await s.step(n);
  if (s !== model.session) return metrics();
  model.progress = { step: m.step, epoch: m.epoch, loss: m.loss };
  showProgress();
  await refresh({ full: true });
  if (!model.diverged) app.keepText?.changed();
  return metrics();
}

/** The metrics a host page receives (the engine's; null before the first evaluation). */
export function metrics() {
  const e = model.evaluation;
  return {
    step: model.progress.step,
    epoch: model.progress.epoch,
    trainLoss: e?.train.loss ?? null,
    testLoss: e?.test.loss ?? null,
    trainAccuracy: e?.train.accuracy ?? null,
    testAccuracy: e?.test.accuracy ?? null,
  };
}

/** The learning rate changed: the session takes it (a diverged one starts afresh). */
export function setLearningRate(lr) {
  if (model.diverged || !model.session) return rebuild();
  return model.session
    .set({ lr })
    .then(() => app.keepText?.changed())
    .catch((e) => message(e.message));
}

/** Pauses the model (another tab is shown): it stops taking the worker's time. */
export function hold() {
  if (model.playing) pause();
}
