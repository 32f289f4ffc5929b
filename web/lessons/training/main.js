// Lesson 4 · Training: the five steps (model definition → loss → optimizer → training → testing) as
// a guided flow. Steps 1–4 share the loss landscape of a tiny model over its two weights (the
// engine's lossSurface, ./model.js): the student picks where gradient descent starts (a click, or
// the w1/w2 sliders), its learning rate, momentum and batch size, and watches the path the worker's
// training takes, read back from the weights every frame. Step 5 is over- and under-fitting
// (./fitting.js).
import { startLesson, int, num, epochOf } from '../lesson.js';
import './style.css'; // after the frame's lesson.css, so that this lesson's rules win
import { STRINGS } from './strings.js';
import { trainBar } from '../trainbar.js';
import { Landscape } from './landscape.js';
import { mseNumbers } from './mse.js';
import { fittingPanel } from './fitting.js';
import {
  A,
  B,
  W1_RANGE,
  W2_RANGE,
  SURFACE_N,
  LRS,
  MOMENTA,
  BATCHES,
  SMALL,
  BIG,
  landscapeSpec,
} from './model.js';

const STAGES = [1, 2, 3, 4, 5];
const STEPS_PER_FRAME = 2;
const numIn = (list) => (s) => list.find((v) => String(v) === s);
const f3 = (v) => (Number.isFinite(v) ? v.toFixed(3) : '–');
const fLoss = (v) => (!Number.isFinite(v) ? '–' : v >= 0.0001 || v === 0 ? v.toFixed(4) : v.toExponential(2));
const options = (list) => list.map((v) => `<option value="${v}">${v}</option>`).join('');
const out = (cls, label) => `<output class="${cls}" data-i18n-attr="aria-label:${label}">–</output>`;

startLesson({
  id: 'training',
  strings: STRINGS,
  parsers: {
    stage: int(1, 5),
    w1: num(W1_RANGE[0], W1_RANGE[1]),
    w2: num(W2_RANGE[0], W2_RANGE[1]),
    lr: numIn(LRS),
    momentum: numIn(MOMENTA),
    batch: numIn(BATCHES),
    small: numIn(SMALL),
    big: numIn(BIG),
  },
  defaults: { stage: 1, w1: 2, w2: -2.5, lr: 0.1, momentum: 0, batch: 8, small: 1, big: 32 },
  groups: ['steps', 'start', 'optimizer', 'play', 'networks'],
  async setup({ content, t, update, engine, worker, embed, notes, getState, changed, forget }) {
    const dl = await engine();
    const { client, ready } = worker();
    await ready;
    content.innerHTML = `
      <nav class="stepper" data-group="steps" data-i18n-attr="aria-label:stepsNav"><ol>${STAGES.map(
        (s) =>
          `<li><button type="button" data-stage="${s}"><span class="n">${s}</span> <span data-i18n="stage${s}"></span></button></li>`,
      ).join('')}</ol></nav>
      <div class="train-flow">
        <div class="ls-col" data-stages="1234">
          <figure class="landscape" role="img" data-i18n-attr="aria-label:landscapeLabel">
            <figcaption data-i18n="landscapeCaption"></figcaption>
          </figure>
          <fieldset class="start" data-group="start">
            <legend data-i18n="startLegend"></legend>
            <label for="w1">w1</label><span class="slider"><input type="range" id="w1" min="${W1_RANGE[0]}" max="${W1_RANGE[1]}" step="0.05" />${out('w1-out', 'startW1')}</span>
            <label for="w2">w2</label><span class="slider"><input type="range" id="w2" min="${W2_RANGE[0]}" max="${W2_RANGE[1]}" step="0.05" />${out('w2-out', 'startW2')}</span>
          </fieldset>
        </div>
        <div class="panel">
          <section data-stages="1">
            <h2 data-i18n="stage1"></h2>
            <p class="formula">y′ = w2 · tanh(w1 · x + b1) + b2</p>
            <p class="hint-text" data-i18n="modelText"></p>
            <dl class="metrics"><div><dt data-i18n="layer1Params"></dt><dd>${out('p0', 'layer1Params')}</dd></div>
              <div><dt data-i18n="layer2Params"></dt><dd>${out('p1', 'layer2Params')}</dd></div>
              <div><dt data-i18n="totalParams"></dt><dd>${out('pt', 'totalParams')}</dd></div></dl>
            <div class="model-slot"></div>
          </section>
          <section data-stages="2">
            <h2 data-i18n="stage2"></h2>
            <p class="hint-text" data-i18n="lossText"></p>
            <div class="loss-slot"></div>
          </section>
          <section data-stages="3">
            <h2 data-i18n="stage3"></h2>
            <p class="formula">w ← w − η · ∂L/∂w</p>
            <p class="hint-text" data-i18n="optimizerText"></p>
          </section>
          <fieldset class="optimizer" data-stages="34" data-group="optimizer">
            <legend data-i18n="optimizerLegend"></legend>
            <div class="field"><label for="lr" data-i18n="lr"></label><select id="lr">${options(LRS)}</select></div>
            <div class="field"><label for="momentum" data-i18n="momentum"></label><select id="momentum">${options(MOMENTA)}</select></div>
            <div class="field"><label for="batch" data-i18n="batch"></label><select id="batch">${BATCHES.map((b) => `<option value="${b}" data-i18n="batch${b}"></option>`).join('')}</select></div>
          </fieldset>
          <section data-stages="4">
            <h2 data-i18n="stage4"></h2>
            <p class="hint-text" data-i18n="trainText"></p>
            <div class="bar-slot"></div>
            <dl class="metrics">
              <div><dt data-i18n="steps"></dt><dd>${out('cur-step', 'stepsLabel')}</dd></div>
              <div><dt>w1</dt><dd>${out('cur-w1', 'curW1')}</dd></div>
              <div><dt>w2</dt><dd>${out('cur-w2', 'curW2')}</dd></div>
              <div><dt data-i18n="loss"></dt><dd>${out('cur-loss', 'curLoss')}</dd></div>
            </dl>
            <p class="hint-text" data-i18n="localText"></p>
          </section>
        </div>
        <section class="fitting" data-stages="5"></section>
      </div>
      <div class="stage-nav" data-group="steps">
        <button type="button" class="prev" data-i18n="prev"></button>
        <button type="button" class="next" data-i18n="next"></button>
      </div>`;
    const $ = (s) => content.querySelector(s);
    const fail = (err) =>
      notes.set('engine', { kind: 'error', text: t('engineError', { message: err.message }) });

    // The landscape, computed once by the engine (the biases at 0, as they stay while training).
    const probe = dl.session(landscapeSpec({ w1: 0, w2: 0, lr: 0.1, momentum: 0, batch: 8 }));
    const surface = probe.lossSurface(A, B, W1_RANGE, W2_RANGE, SURFACE_N);
    const layerParams = probe.layers().map((l) => l.params);
    const totalParams = probe.info().params;
    probe.dispose();
    const landscape = new Landscape($('.landscape'), {
      surface,
      n: SURFACE_N,
      canPick: () => !embed.isLocked('start'),
      onPick: (w1, w2) => update({ w1, w2 }),
    });
    const numbers = mseNumbers({ dl, modelRoot: $('.model-slot'), lossRoot: $('.loss-slot'), t });
    const bar = trainBar(t, { play, pause, step: (n) => step(n), reset }, { steps: 50 });
    $('.bar-slot').replaceWith(bar.el);
    // After a Reset of one part: the other's training is still worth keeping.
    const trainedAny = () => metrics.step > 0 || (fittingOn && fitting.metrics().step > 0);
    const afterReset = () => (trainedAny() ? changed() : forget());
    // prettier-ignore
    const fitting = fittingPanel($('.fitting'), { t, client, embed, update, onError: fail, changed, forget: afterReset });

    for (const b of content.querySelectorAll('.stepper button'))
      b.onclick = () => update({ stage: +b.dataset.stage });
    $('.prev').onclick = () => update({ stage: Math.max(1, current.stage - 1) });
    $('.next').onclick = () => update({ stage: Math.min(5, current.stage + 1) });
    for (const id of ['w1', 'w2'])
      $(`#${id}`).oninput = (e) => update({ [id]: Math.round(+e.target.value * 100) / 100 });
    for (const id of ['lr', 'momentum', 'batch'])
      $(`#${id}`).onchange = (e) => update({ [id]: +e.target.value });

    let current = getState();
    let session = null;
    let building = null;
    let builtKey = null;
    let hyperKey = null;
    let seq = 0;
    let playing = false;
    let metrics = {};
    let path = [];
    let point = { w1: current.w1, w2: current.w2 };

    function showPoint() {
      $('.cur-w1').textContent = f3(point.w1);
      $('.cur-w2').textContent = f3(point.w2);
      $('.cur-step').textContent = String(metrics.step ?? 0);
      $('.cur-loss').textContent = fLoss(metrics.trainLoss);
      numbers.update(point);
      landscape.draw({ path, start: [current.w1, current.w2] });
    }
    function setPlaying(on) {
      playing = on;
      bar.setPlaying(on);
    }
    const hyper = (s) => ({ lr: s.lr, momentum: s.momentum, batch: s.batch });

    async function rebuild(state) {
      const my = ++seq;
      builtKey = `${state.w1}|${state.w2}`;
      hyperKey = JSON.stringify(hyper(state));
      session?.dispose().catch(() => {});
      session = null;
      path = [[state.w1, state.w2]];
      point = { w1: state.w1, w2: state.w2 };
      metrics = {};
      showPoint();
      try {
        const s = await client.build(landscapeSpec(state), { params: true });
        if (my !== seq) return void s.dispose().catch(() => {});
        session = s;
        s.onFrame((f) => {
          if (s !== session || !f.params) return;
          const [l0, l1] = f.params;
          point = { w1: l0.weights[0], w2: l1.weights[0], b1: l0.bias[0], b2: l1.bias[0] };
          const last = path.at(-1);
          if (!last || last[0] !== point.w1 || last[1] !== point.w2) path.push([point.w1, point.w2]);
          if (path.length > 4000) path = path.filter((_, i) => i % 2 === 0 || i === path.length - 1);
          metrics = f.metrics ?? metrics;
          showPoint();
          if (playing) embed.emit('step', metrics);
          if (metrics.diverged) pauseLandscape();
          else if (metrics.step > 0) changed();
        });
        s.onError((err) => {
          setPlaying(false);
          fail(err);
        });
        const now = JSON.stringify(hyper(current));
        if (now !== hyperKey) await setHyper(current);
        if (playing) await s.play(STEPS_PER_FRAME);
      } catch (err) {
        if (my === seq) fail(err);
      }
    }
    async function setHyper(state) {
      hyperKey = JSON.stringify(hyper(state));
      try {
        await session?.set(hyper(state));
      } catch (err) {
        fail(err);
      }
    }
    async function built() {
      for (let b = null; !session && b !== building;) await (b = building);
      return session;
    }
    async function play() {
      if (current.stage === 5) return fitting.play();
      setPlaying(true);
      await (await built())?.play(STEPS_PER_FRAME);
    }
    async function pauseLandscape() {
      setPlaying(false);
      await (await built())?.pause();
    }
    function pause() {
      return current.stage === 5 ? fitting.pause() : pauseLandscape();
    }
    async function step(n = 1) {
      if (current.stage === 5) return fitting.step(n);
      setPlaying(false);
      const s = await built();
      if (!s) return metrics;
      const m = await s.step(n);
      if (s === session) metrics = m;
      changed();
      return m;
    }
    function reset() {
      return current.stage === 5 ? fitting.reset() : resetLandscape();
    }
    async function resetLandscape() {
      setPlaying(false);
      const s = await built();
      if (!s) return;
      await s.pause();
      await s.reset();
      path = [[current.w1, current.w2]];
      metrics = {};
      showPoint();
      afterReset();
    }

    let fittingOn = false;
    return {
      render(state) {
        const stageChanged = state.stage !== current.stage;
        current = state;
        if (stageChanged && playing && state.stage === 5) pauseLandscape();
        if (stageChanged && state.stage !== 5) fitting.pause();
        if (stageChanged && trainedAny()) changed(); // kept under the new stage's hash
        if (`${state.w1}|${state.w2}` !== builtKey) building = rebuild(state);
        else if (session && JSON.stringify(hyper(state)) !== hyperKey) setHyper(state);
        for (const el of content.querySelectorAll('[data-stages]'))
          el.hidden = !el.dataset.stages.includes(String(state.stage));
        for (const b of content.querySelectorAll('.stepper button'))
          if (+b.dataset.stage === state.stage) b.setAttribute('aria-current', 'step');
          else b.removeAttribute('aria-current');
        $('.prev').disabled = state.stage === 1;
        $('.next').disabled = state.stage === 5;
        for (const id of ['w1', 'w2']) {
          const el = $(`#${id}`);
          if (+el.value !== state[id]) el.value = String(state[id]);
          $(`.${id}-out`).textContent = state[id].toFixed(2);
        }
        for (const id of ['lr', 'momentum', 'batch']) $(`#${id}`).value = String(state[id]);
        $('.p0').textContent = String(layerParams[0]);
        $('.p1').textContent = String(layerParams[1]);
        $('.pt').textContent = String(totalParams);
        bar.relabel();
        if (state.stage === 5 || fittingOn) {
          fittingOn = true;
          fitting.render(state);
        }
        showPoint();
      },
      play,
      pause,
      step,
      reset,
      metrics: () => (current.stage === 5 ? fitting.metrics() : metrics),
      snapshot: () => (current.stage === 5 ? fitting.snapshot() : landscape.snapshot()),
      // The landscape's checkpoint and path; step 5's networks too once it was opened.
      async save() {
        const s = await built();
        if (!s) throw new Error('no model yet');
        const checkpoint = await s.evaluate('checkpoint');
        return {
          checkpoint,
          path: path.map((p) => [...p]),
          fitting: fittingOn ? await fitting.save() : null,
        };
      },
      async load(payload) {
        const s = await built();
        if (!s || !payload?.checkpoint) throw new Error('nothing to restore');
        await s.restore(payload.checkpoint);
        if (Array.isArray(payload.path) && payload.path.length) path = payload.path;
        showPoint();
        if (payload.fitting) {
          fittingOn = true;
          fitting.render(current);
          await fitting.load(payload.fitting);
        }
        const f = payload.fitting?.checkpoints?.big;
        return epochOf(current.stage === 5 && f ? f : payload.checkpoint);
      },
      async fresh() {
        await resetLandscape();
        if (fittingOn) await fitting.reset();
      },
    };
  },
});
