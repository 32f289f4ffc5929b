// The memory toy: bits go in one at a time and the network answers, after each, whether it has
// seen an odd number of 1s so far (the engine's "parity" data set). The page shows one sequence of
// bits (the student flips them), the true parity, the engine's P(odd) at every step and the
// recurrent layer's hidden state at every step. Its own session, trained only while its tab shows.
import { app, stats } from './app.js';
import { t } from './i18n.js';
import { paritySpec, recurrentLayer } from './state.js';
import { drawHeatmap } from './draw.js';
import { setPlayButton } from '../kit/controls.js';
import { frameLoop } from '../kit/frames.js';

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 400;

export const toy = {
  session: null,
  spec: null,
  layer: 0,
  playing: false,
  diverged: false,
  bits: [],
  progress: { step: 0, epoch: 0, loss: null, accuracy: null },
  evaluation: null,
};

let seq = 0;
let timer = 0;
let busy = false;
let built = false; // a toy was built before: a new build is another experiment than the kept one

const message = (text) => app.notes.set('message', text ? { kind: 'error', text } : null);

function setPlaying(on) {
  toy.playing = on;
  setPlayButton($('p-play'), on, t);
}

// A fixed first sequence (a teacher's screenshot is the same every time), then the student's.
function firstBits(n) {
  return Array.from({ length: n }, (_, i) => [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 0, 1][i % 16]);
}

export async function rebuildParity() {
  const my = ++seq;
  clearTimeout(timer);
  setPlaying(false);
  const old = toy.session;
  toy.session = null;
  toy.diverged = false;
  toy.evaluation = null;
  toy.progress = { step: 0, epoch: 0, loss: null, accuracy: null };
  old?.pause().catch(() => {});
  app.notes.set('restored-parity', null);
  if (built) app.keepParity?.forget();
  built = true;
  if (toy.bits.length !== app.state.plength) toy.bits = firstBits(app.state.plength);
  $('p-play').disabled = $('p-step').disabled = true;
  showProgress();
  const spec = paritySpec(app.state);
  let s;
  try {
    // (512 short sequences: the frames' metrics over both splits cost little)
    s = await app.client.build(spec, { params: false, evaluate: true, activations: null });
  } catch (err) {
    if (my !== seq) return;
    old?.dispose().catch(() => {});
    message(t('engineError', { message: err.message }));
    return;
  }
  if (my !== seq) {
    s.dispose().catch(() => {});
    return;
  }
  old?.dispose().catch(() => {});
  Object.assign(toy, { session: s, spec, layer: recurrentLayer(spec) });
  stats.parity.builds++;
  s.onFrame(onFrame);
  s.onError((err) => {
    setPlaying(false);
    message(t('engineError', { message: err.message }));
  });
  $('p-play').disabled = $('p-step').disabled = false;
  drawBits();
  if (my === seq && !(await app.keepParity?.restore())) await show();
}

const onFrame = frameLoop((f) => {
  if (f.id !== toy.session?.id) return;
  note(f.metrics ?? {});
  if (toy.playing) app.embed.emit('step', parityMetrics());
});

/** The engine's metrics of a frame, a step or a request: shown (and kept while training). */
export function note(m) {
  if (!Number.isFinite(m.epoch)) return;
  toy.progress = {
    step: m.step,
    epoch: m.epoch,
    loss: m.testLoss ?? m.loss,
    accuracy: m.testAccuracy ?? m.trainAccuracy ?? null,
  };
  toy.evaluation = m;
  stats.parity.epoch = m.epoch;
  stats.parity.accuracy = toy.progress.accuracy;
  stats.parity.loss = toy.progress.loss;
  showProgress();
  if (m.step > 0 && !m.diverged) app.keepParity?.changed();
  if (m.diverged && !toy.diverged) {
    toy.diverged = true;
    setPlaying(false);
    toy.session?.pause().catch(() => {});
    message(t('diverged'));
    app.embed.emit('diverged', { step: m.step });
  }
}

function showProgress() {
  const { epoch, loss, accuracy } = toy.progress;
  $('p-epoch').textContent = epoch < 10 ? epoch.toFixed(2) : Math.floor(epoch).toString();
  $('p-loss').textContent = Number.isFinite(loss) ? loss.toFixed(3) : '–';
  $('p-acc').textContent = Number.isFinite(accuracy) ? `${(accuracy * 100).toFixed(1)}%` : '–';
}

export function drawBits() {
  const root = $('bits');
  root.replaceChildren(
    ...toy.bits.map((b, i) => {
      const btn = document.createElement('button');
      btn.type = 'button';
      btn.className = `bit b${b}`;
      btn.textContent = String(b);
      btn.setAttribute('aria-label', t('flipBit', { n: i + 1 }));
      btn.onclick = () => {
        toy.bits[i] = 1 - toy.bits[i];
        drawBits();
        bitsChanged();
        show().catch(() => {});
      };
      return btn;
    }),
  );
}

// The shown bits are kept with the toy's training (once it has trained).
const bitsChanged = () => toy.progress.step > 0 && app.keepParity?.changed();

export function randomBits() {
  const a = new Uint8Array(toy.bits.length);
  crypto.getRandomValues(a);
  toy.bits = [...a].map((x) => x & 1);
  drawBits();
  bitsChanged();
  return show();
}

/** The engine's P(odd) and hidden state at each step of the shown bits, next to the true parity. */
export async function show() {
  const s = toy.session;
  if (!s || busy) return;
  busy = true;
  try {
    const input = [toy.bits.map((b) => [b])];
    const [probs, states] = await Promise.all([
      s.evaluate('predict', input),
      s.evaluate('activations', toy.layer, input),
    ]);
    if (s !== toy.session) return;
    const T = toy.bits.length;
    const p = stepRows(probs, T);
    const h = stepRows(states, T);
    let parity = 0;
    let right = 0;
    const truth = [];
    const pred = [];
    toy.bits.forEach((b, i) => {
      parity ^= b; // the true answer the engine's data set also holds (shown, not learned from)
      const odd = p[i][1];
      if (odd > 0.5 === (parity === 1)) right++;
      truth.push(cell(String(parity), `bit b${parity}`));
      const c = cell(
        odd.toFixed(2),
        `bit prob ${odd > 0.5 === (parity === 1) ? 'ok' : 'wrong'}${odd > 0.6 ? ' high' : ''}`,
      );
      c.style.setProperty('--p', String(odd));
      pred.push(c);
    });
    $('truth').replaceChildren(...truth);
    $('pred').replaceChildren(...pred);
    const width = $('bits').getBoundingClientRect().width || T * 34;
    drawHeatmap($('p-heatmap'), h, null, -1, { cell: Math.floor(width / T) });
    $('p-caption').textContent = t('parityCaption', { right, t: T, h: h[0]?.length ?? 0 });
    stats.parity.right = right;
  } finally {
    busy = false;
  }
  if (toy.playing) {
    clearTimeout(timer);
    timer = setTimeout(() => show().catch(() => {}), REFRESH_MS);
  }
}

function cell(text, className) {
  const c = document.createElement('span');
  c.className = className;
  c.textContent = text;
  return c;
}

function stepRows(value, T) {
  let v = value;
  if (Array.isArray(v) && v.length === 1 && T !== 1) v = v[0];
  if (Array.isArray(v) && v.length === T) return v.map((r) => Array.from(r));
  const flat = ArrayBuffer.isView(v) ? v : Float32Array.from(v.flat(Infinity));
  const n = flat.length / T;
  return Array.from({ length: T }, (_, s) => Array.from(flat.subarray(s * n, (s + 1) * n)));
}

export function playParity() {
  if (!toy.session || toy.playing || toy.diverged) return;
  setPlaying(true);
  toy.session.play(0).catch((e) => message(e.message));
  timer = setTimeout(() => show().catch(() => {}), REFRESH_MS);
}

export function pauseParity() {
  if (!toy.playing) return;
  setPlaying(false);
  toy.session?.pause().catch(() => {});
  show().catch(() => {});
}

export async function stepParity(n = 1) {
  const s = toy.session;
  if (!s || toy.diverged) return parityMetrics();
  setPlaying(false);
  const m = await s.step(n);
  if (s !== toy.session) return parityMetrics();
  note(m);
  await show();
  return parityMetrics();
}

export function parityMetrics() {
  const m = toy.evaluation;
  return {
    step: toy.progress.step,
    epoch: toy.progress.epoch,
    trainLoss: m?.trainLoss ?? null,
    testLoss: m?.testLoss ?? null,
    trainAccuracy: m?.trainAccuracy ?? null,
    testAccuracy: m?.testAccuracy ?? null,
  };
}

export const relabelParity = () => {
  if (toy.session) {
    drawBits();
    show().catch(() => {});
  }
};
