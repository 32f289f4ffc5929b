// Nothing lost (../kit/keep.js): each tab's training is kept in this browser tab while it trains
// (the engine's checkpoint, and for the character model its curves and its sample's seed), and a
// reload, or a crashed tab reopened, continues it, with a note and "Start fresh". A kept
// experiment is only continued when it is this one: the same settings, and for the own pasted text
// (kept in localStorage, never in the link) the same text; else the page starts fresh, silently.
import { app } from './app.js';
import { t } from './i18n.js';
import { metricsOf } from './engine.js';
import { ownText } from './texts.js';
import { model, rebuild, curves, takeMetrics, showProgress, showDiverged, resample } from './charmodel.js';
import { toy, rebuildParity, note, drawBits, show } from './parity.js';
import { keepExperiment } from '../kit/keep.js';

// The keys a session is built or trained from (the rest, as the temperature, change no weights).
const TEXT_KEYS = ['text', 'cell', 'act', 'hidden', 'length', 'seed', 'lr'];
const PARITY_KEYS = ['pcell', 'phidden', 'plength', 'seed'];

// A 32-bit FNV-1a fingerprint of the own text, with its length: is it the text trained on?
let printed = { text: null, print: '' };
function fingerprint(text) {
  if (printed.text === text) return printed.print;
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  printed = { text, print: `${text.length}:${(h >>> 0).toString(16)}` };
  return printed.print;
}

const key = (keys) => keys.map((k) => app.state[k]);
const textHash = () =>
  JSON.stringify([...key(TEXT_KEYS), app.state.text === 'own' ? fingerprint(ownText()) : null]);
const parityHash = () => JSON.stringify(key(PARITY_KEYS));

/** What a reload continues from: the engine's checkpoint, the curves, the sample's seed. */
async function saveText() {
  const s = model.session;
  if (!s) throw new Error('no model yet');
  const checkpoint = await s.evaluate('checkpoint');
  if (checkpoint.diverged) throw new Error('diverged'); // the last good one stays kept
  const p = model.progress;
  const charts = curves();
  return {
    checkpoint,
    loss: charts.loss.data(),
    ppl: charts.ppl.data(),
    resampleSeed: model.resampleSeed,
    // (the last batch's loss, when the frame it came in is of the checkpoint's step)
    batchLoss: p.step === checkpoint.step ? p.loss : null,
  };
}

/** Continues from saveText()'s payload; returns the epoch (the engine's metrics, now). */
async function loadText(payload) {
  const s = model.session;
  if (!s || !payload?.checkpoint) throw new Error('nothing to restore');
  await s.restore(payload.checkpoint); // refused (and so started fresh) unless of this text and model
  const m = await metricsOf(app.client, s);
  const charts = curves();
  charts.loss.setData(payload.loss);
  charts.ppl.setData(payload.ppl);
  model.resampleSeed = Number.isInteger(payload.resampleSeed) ? payload.resampleSeed : 0;
  takeMetrics(m, false);
  model.progress.loss = payload.batchLoss > 0 ? payload.batchLoss : null;
  model.diverged = Boolean(payload.checkpoint.diverged);
  showDiverged();
  showProgress();
  await resample(false);
  return m.epoch;
}

async function saveParity() {
  if (!toy.session) throw new Error('no toy yet');
  const checkpoint = await toy.session.evaluate('checkpoint');
  if (checkpoint.diverged) throw new Error('diverged');
  return { checkpoint, bits: [...toy.bits] };
}

async function loadParity(payload) {
  const s = toy.session;
  if (!s || !payload?.checkpoint) throw new Error('nothing to restore');
  await s.restore(payload.checkpoint);
  const bits = payload.bits;
  if (Array.isArray(bits) && bits.length === toy.bits.length && bits.every((b) => b === 0 || b === 1))
    toy.bits = [...bits];
  note(await metricsOf(app.client, s));
  drawBits();
  await show();
  return toy.progress.epoch;
}

// The parity toy's note is its own (both may show): its key, its button's id, its text.
const parityNotes = {
  set: (k, n) =>
    app.notes.set(`${k}-parity`, n?.action ? { ...n, action: { ...n.action, id: 'start-fresh-parity' } } : n),
};
const parityT = (k, params) => t(k === 'restored' ? 'restoredParity' : k, params);

/** Opens both kept experiments (before the first builds: they restore from them). */
export async function startKeeping() {
  [app.keepText, app.keepParity] = await Promise.all([
    keepExperiment({
      view: 'rnn',
      notes: app.notes,
      t,
      hash: textHash,
      save: saveText,
      load: loadText,
      fresh: () => rebuild(),
    }),
    keepExperiment({
      view: 'rnn-parity',
      notes: parityNotes,
      t: parityT,
      hash: parityHash,
      save: saveParity,
      load: loadParity,
      fresh: () => rebuildParity(),
    }),
  ]);
}
