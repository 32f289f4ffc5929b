// Lesson 3a · One hidden layer approximates any curve: a 1-D curve fit by a 1-H-1 network trained in
// the worker. Each unit's contribution v_j·h_j(x) comes from the engine too: a direct-engine model
// with the trained hidden layer followed by a dense layer whose weights are diag(v) (bias 0, linear)
// outputs every contribution at once; the fit is the trained model's own prediction.
import { startLesson, int, oneOf, epochOf } from '../lesson.js';
import './style.css'; // after the frame's lesson.css, so that this lesson's rules win
import { STRINGS } from './strings.js';
import { CurveChart, X_RANGE, unitColor } from './chart.js';
import { trainBar } from '../trainbar.js';

const N = 41;
const XS = Array.from({ length: N }, (_, i) => X_RANGE[0] + (i * (X_RANGE[1] - X_RANGE[0])) / (N - 1));
const GRID = Array.from({ length: 151 }, (_, i) => X_RANGE[0] + (i * (X_RANGE[1] - X_RANGE[0])) / 150);
const GRID_F32 = Float32Array.from(GRID);
const TARGETS = {
  sine: (x) => Math.sin(2 * x),
  step: (x) => (x < 0 ? -0.8 : 0.8),
  abs: (x) => Math.abs(x) / 1.5 - 1,
};
const TARGET_NAMES = [...Object.keys(TARGETS), 'drawn'];
const ACTS = ['tanh', 'relu', 'sigmoid'];
const STEPS_PER_FRAME = 4;
const round2 = (v) => Math.round(v * 100) / 100 || 0;

const parseDrawn = (s) => {
  const v = s.split(',').map((x) => (x === '' ? NaN : Number(x)));
  return v.length === N && v.every((x) => Number.isFinite(x) && Math.abs(x) <= 1.5) ? v : undefined;
};
const targetOf = (state) =>
  state.target === 'drawn' ? (state.drawn ?? XS.map(() => 0)) : XS.map(TARGETS[state.target]);
// The hidden biases start spread over the x axis, so the units start their bends at different places
// (with all biases 0 every unit would bend at x = 0). The weights are the engine's initialisation.
const spread = (units) =>
  Array.from({ length: units }, (_, j) => (units === 1 ? 0 : -2.5 + (5 * j) / (units - 1)));

function specOf(state) {
  const y = targetOf(state);
  return {
    input: [1],
    layers: [
      { type: 'dense', units: state.units, activation: state.act, bias: spread(state.units) },
      { type: 'dense', units: 1 },
    ],
    data: { x: XS.map((x) => [x]), y: y.map((v) => [v]) },
    loss: 'mse',
    optimizer: { type: 'adam', lr: 0.02 },
    batch: N,
    seed: 1,
  };
}
const keyOf = (s) => [s.units, s.act, s.target, s.target === 'drawn' ? s.drawn?.join(',') : ''].join('|');
const fmtLoss = (v) => (!Number.isFinite(v) ? '–' : v >= 0.001 ? v.toFixed(4) : v.toExponential(2));

startLesson({
  id: 'approximation',
  strings: STRINGS,
  parsers: {
    units: int(1, 50),
    target: oneOf(() => TARGET_NAMES),
    act: oneOf(() => ACTS),
    drawn: parseDrawn,
  },
  defaults: { units: 4, target: 'sine', act: 'tanh', drawn: null },
  format: { drawn: (v) => (v ? v.map(round2).join(',') : '') },
  groups: ['target', 'units', 'activation', 'play'],
  async setup({ content, t, update, engine, worker, embed, notes, getState, changed, forget }) {
    const dl = await engine();
    const { client, ready } = worker();
    await ready;
    content.innerHTML = `
      <div class="approx">
        <figure class="approx-chart" data-i18n-attr="aria-label:chart" role="group">
          <figcaption class="legend">
            <span><i class="key key-target"></i><span data-i18n="legendTarget"></span></span>
            <span><i class="key key-units"></i><span data-i18n="legendUnits"></span></span>
            <span><i class="key key-fit"></i><span data-i18n="legendFit"></span></span>
            <span><i class="key key-bias"></i><span data-i18n="legendBias"></span></span>
          </figcaption>
        </figure>
        <div class="approx-side">
          <div class="field" data-group="target">
            <label for="target" data-i18n="target"></label>
            <select id="target">${TARGET_NAMES.map((n) => `<option value="${n}" data-i18n="${n}"></option>`).join('')}</select>
            <p class="hint" data-i18n="drawHint"></p>
          </div>
          <div class="field" data-group="units">
            <label for="units" data-i18n="units"></label>
            <span class="slider"><input type="range" id="units" min="1" max="50" step="1" />
            <output id="units-out" for="units" data-i18n-attr="aria-label:units"></output></span>
          </div>
          <div class="field" data-group="activation">
            <label for="act" data-i18n="activation"></label>
            <select id="act">${ACTS.map((n) => `<option value="${n}" data-i18n="${n}"></option>`).join('')}</select>
          </div>
          <div class="bar-slot"></div>
          <dl class="metrics">
            <div><dt data-i18n="loss"></dt><dd><output id="loss" data-i18n-attr="aria-label:lossLabel">–</output></dd></div>
            <div><dt data-i18n="steps"></dt><dd><output id="steps" data-i18n-attr="aria-label:stepsLabel">0</output></dd></div>
            <div><dt>b</dt><dd><output id="bias" data-i18n-attr="aria-label:biasLabel">–</output></dd></div>
          </dl>
        </div>
      </div>`;
    const $ = (s) => content.querySelector(s);
    let current = getState();
    let session = null;
    let builtKey = null;
    let seq = 0;
    let playing = false;
    let metrics = {};
    let frame = null; // the last frame's params
    let drawingTarget = null;
    const direct = { units: 0, act: '', fit: null, parts: null };

    const chart = new CurveChart($('.approx-chart'), {
      xs: XS,
      canDraw: () => !embed.isLocked('target'),
      onDrawing: (ys) => {
        drawingTarget = ys;
        paint();
      },
      onDrawn: (ys) => {
        drawingTarget = null;
        update({ target: 'drawn', drawn: ys.map(round2) });
      },
    });
    const bar = trainBar(t, { play, pause, step: (n) => step(n), reset }, { steps: 50 });
    $('.bar-slot').replaceWith(bar.el);
    $('#target').onchange = (e) => {
      const target = e.target.value;
      // A fresh drawing starts from the curve on the chart.
      update(
        target === 'drawn' && !current.drawn ? { target, drawn: targetOf(current).map(round2) } : { target },
      );
    };
    $('#units').oninput = (e) => update({ units: +e.target.value });
    $('#act').onchange = (e) => update({ act: e.target.value });

    // Direct-engine twins of the trained model, fed the worker's weights every frame.
    function twins(units, act) {
      if (direct.units === units && direct.act === act) return direct;
      direct.fit?.dispose();
      direct.parts?.dispose();
      direct.fit = dl.session({
        input: [1],
        layers: [
          { type: 'dense', units, activation: act },
          { type: 'dense', units: 1 },
        ],
      });
      direct.parts = dl.session({
        input: [1],
        layers: [
          { type: 'dense', units, activation: act },
          { type: 'dense', units },
        ],
      });
      Object.assign(direct, { units, act });
      return direct;
    }

    function paint() {
      const target = drawingTarget ?? targetOf(current);
      let fit = null;
      let contributions = null;
      let bias = null;
      if (frame && frame.params?.[0]?.weights.length === current.units) {
        const [hidden, out] = frame.params;
        const m = twins(current.units, current.act);
        m.fit.setWeights(0, { weights: hidden.weights, bias: hidden.bias });
        m.fit.setWeights(1, { weights: out.weights, bias: out.bias });
        const diag = new Float32Array(current.units * current.units);
        out.weights.forEach((v, j) => (diag[j * current.units + j] = v));
        m.parts.setWeights(0, { weights: hidden.weights, bias: hidden.bias });
        m.parts.setWeights(1, { weights: diag, bias: new Float32Array(current.units) });
        fit = m.fit.predict(GRID_F32).map((r) => r[0]);
        contributions = m.parts.predict(GRID_F32);
        bias = out.bias[0];
      }
      chart.draw({ target, grid: GRID, contributions, fit, bias });
      $('#bias').textContent = bias === null ? '–' : bias.toFixed(3);
    }

    function showMetrics(m) {
      metrics = m ?? {};
      $('#loss').textContent = fmtLoss(metrics.trainLoss);
      $('#steps').textContent = String(metrics.step ?? 0);
    }

    function setPlaying(on) {
      playing = on;
      bar.setPlaying(on);
    }

    function onFrame(f) {
      if (f.metrics?.step !== undefined) showMetrics(f.metrics);
      if (f.params) frame = f;
      paint();
      if (f.metrics?.step > 0 && !f.metrics.diverged) changed();
      if (playing) embed.emit('step', metrics);
      if (f.metrics?.diverged) pause();
    }

    async function rebuild(state) {
      const my = ++seq;
      builtKey = keyOf(state);
      const old = session;
      session = null;
      frame = null;
      old?.dispose().catch(() => {});
      showMetrics({});
      paint();
      try {
        const s = await client.build(specOf(state), { params: true });
        if (my !== seq) return void s.dispose().catch(() => {});
        session = s;
        s.onFrame(onFrame);
        s.onError((err) => {
          setPlaying(false);
          notes.set('engine', { kind: 'error', text: t('engineError', { message: err.message }) });
        });
        if (playing) await s.play(STEPS_PER_FRAME);
      } catch (err) {
        if (my === seq)
          notes.set('engine', { kind: 'error', text: t('engineError', { message: err.message }) });
      }
    }
    let building = null;
    // The current session, once the build under way (if any) has finished.
    async function built() {
      for (let b = null; !session && b !== building;) await (b = building);
      return session;
    }

    async function play() {
      setPlaying(true);
      (await built())?.play(STEPS_PER_FRAME);
    }
    async function pause() {
      setPlaying(false);
      await (await built())?.pause();
    }
    async function step(n = 1) {
      setPlaying(false);
      const s = await built();
      if (!s) return metrics;
      const m = await s.step(n);
      if (s === session) showMetrics(m);
      changed();
      return m;
    }
    async function reset() {
      setPlaying(false);
      const s = await built();
      if (!s) return;
      await s.pause();
      await s.reset();
      showMetrics({});
      forget();
    }

    return {
      render(state) {
        current = state;
        if (keyOf(state) !== builtKey) building = rebuild(state);
        const units = $('#units');
        if (+units.value !== state.units) units.value = String(state.units);
        $('#units-out').textContent = String(state.units);
        $('#target').value = state.target;
        $('#act').value = state.act;
        content.querySelector('.key-units').style.background = unitColor(0);
        bar.relabel();
        paint();
      },
      play,
      pause,
      step,
      reset,
      metrics: () => metrics,
      snapshot: () => chart.snapshot(),
      // The trained network's checkpoint; the frame after restore() brings its weights and numbers.
      async save() {
        const s = await built();
        if (!s) throw new Error('no network yet');
        return { checkpoint: await s.evaluate('checkpoint') };
      },
      async load({ checkpoint }) {
        const s = await built();
        if (!s || !checkpoint) throw new Error('nothing to restore');
        await s.restore(checkpoint);
        return epochOf(checkpoint);
      },
    };
  },
});
