// Lesson 3b · Deeper, not fatter: a shallow-and-wide and a deep-and-narrow network with the same
// number of parameters (the engine's count) trained side by side in the worker on the same data
// (n-bit parity, all 2ⁿ patterns, or the built-in spiral), their losses on one chart; and the deck's
// accuracy-against-data-size curve (./sizes.js).
import { startLesson, int, oneOf, epochOf } from '../lesson.js';
import './style.css'; // after the frame's lesson.css, so that this lesson's rules win
import { STRINGS } from './strings.js';
import { Curves } from '../curves.js';
import { parity, shapes, specOf, SPIRAL } from './nets.js';
import { sizeExperiment } from './sizes.js';
import { trainBar } from '../trainbar.js';

const DATA = ['parity', 'spiral'];
const ACTS = ['tanh', 'relu'];
const NETS = ['shallow', 'deep'];
const COLORS = { shallow: '#e06a2c', deep: '#0877bd' };
const STEPS_PER_FRAME = 16;
const keyOf = (s) => [s.data, s.data === 'parity' ? s.bits : '', s.depth, s.act].join('|');
const fmt = (v, d = 4) =>
  Number.isFinite(v) ? (v >= 0.001 || v === 0 ? v.toFixed(d) : v.toExponential(2)) : '–';
const pct = (v) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)} %` : '–');

function netCard(k) {
  const m = (key, label) =>
    `<div><dt data-i18n="${label}"></dt><dd><output data-k="${key}" data-i18n-attr="aria-label:${k}_${key}">–</output></dd></div>`;
  return `
    <div class="net-card net-${k}">
      <h3><i class="key" data-key="${k}"></i><span data-i18n="${k}Title"></span></h3>
      <p class="arch"></p>
      <dl class="metrics">${m('params', 'params')}${m('loss', 'loss')}${m('acc', 'trainAcc')}${m('testAcc', 'testAcc')}</dl>
    </div>`;
}

startLesson({
  id: 'depth',
  strings: STRINGS,
  parsers: { data: oneOf(() => DATA), bits: int(4, 8), depth: int(2, 6), act: oneOf(() => ACTS) },
  defaults: { data: 'parity', bits: 8, depth: 3, act: 'tanh' },
  groups: ['data', 'network', 'play', 'sizes'],
  async setup({ content, t, update, engine, worker, embed, notes, getState, changed, forget }) {
    const dl = await engine();
    const { client, ready } = worker();
    await ready;
    content.innerHTML = `
      <div class="depth">
        <div class="depth-controls">
          <div class="field" data-group="data">
            <label for="data" data-i18n="dataLabel"></label>
            <select id="data">${DATA.map((d) => `<option value="${d}" data-i18n="${d}"></option>`).join('')}</select>
          </div>
          <div class="field bits-field" data-group="data">
            <label for="bits" data-i18n="bits"></label>
            <span class="slider"><input type="range" id="bits" min="4" max="8" step="1" />
            <output for="bits" id="bits-out" data-i18n-attr="aria-label:bits"></output></span>
          </div>
          <div class="field" data-group="network">
            <label for="depth" data-i18n="depthLabel"></label>
            <span class="slider"><input type="range" id="depth" min="2" max="6" step="1" />
            <output for="depth" id="depth-out" data-i18n-attr="aria-label:depthLabel"></output></span>
          </div>
          <div class="field" data-group="network">
            <label for="act" data-i18n="activation"></label>
            <select id="act">${ACTS.map((a) => `<option value="${a}" data-i18n="${a}"></option>`).join('')}</select>
          </div>
          <div class="bar-slot"></div>
          <dl class="metrics"><div><dt data-i18n="steps"></dt><dd><output id="steps" data-i18n-attr="aria-label:stepsLabel">0</output></dd></div></dl>
        </div>
        <div class="depth-main">
          <figure class="loss-chart" role="img" data-i18n-attr="aria-label:lossChart"></figure>
          <div class="net-cards">${NETS.map(netCard).join('')}</div>
        </div>
      </div>
      <section class="sizes"></section>`;
    const $ = (s) => content.querySelector(s);
    for (const k of NETS) content.querySelector(`[data-key="${k}"]`).style.background = COLORS[k];
    const fail = (err) =>
      notes.set('engine', { kind: 'error', text: t('engineError', { message: err.message }) });
    const chart = new Curves($('.loss-chart'), {
      series: NETS.map((k) => ({ label: k, stroke: COLORS[k] })),
      logY: true,
      height: embed.embedded ? 150 : 200,
    });
    const bar = trainBar(t, { play, pause, step: (n) => step(n), reset }, { steps: 100 });
    $('.bar-slot').replaceWith(bar.el);
    const sizes = sizeExperiment($('.sizes'), { t, dl, client, getState, onError: fail });
    $('#data').onchange = (e) => update({ data: e.target.value });
    $('#bits').oninput = (e) => update({ bits: +e.target.value });
    $('#depth').oninput = (e) => update({ depth: +e.target.value });
    $('#act').onchange = (e) => update({ act: e.target.value });

    let current = getState();
    let sessions = null; // {shallow, deep}
    let builtKey = null;
    let building = null;
    let seq = 0;
    let playing = false;
    const metrics = { shallow: {}, deep: {} };
    let info = null;

    const card = (k, key) => content.querySelector(`.net-${k} output[data-k="${key}"]`);
    function showMetrics(k, m) {
      metrics[k] = m ?? {};
      card(k, 'loss').textContent = fmt(metrics[k].trainLoss);
      card(k, 'acc').textContent = pct(metrics[k].trainAccuracy);
      card(k, 'testAcc').textContent = pct(metrics[k].testAccuracy);
      if (k === 'deep') $('#steps').textContent = String(metrics.deep.step ?? 0);
    }
    function showNets(state) {
      const inputs = state.data === 'parity' ? state.bits : 2;
      const hidden = shapes(inputs, state.depth);
      for (const k of NETS) {
        content.querySelector(`.net-${k} .arch`).textContent = [inputs, ...hidden[k], 1].join(' → ');
        card(k, 'params').textContent = info ? String(info[k].params) : '–';
      }
      chart.setLabels(NETS.map((k) => `${t(`${k}Title`)}: ${[inputs, ...hidden[k], 1].join('-')}`));
    }
    function setPlaying(on) {
      playing = on;
      bar.setPlaying(on);
    }

    async function rebuild(state) {
      const my = ++seq;
      builtKey = keyOf(state);
      const old = sessions;
      sessions = null;
      info = null;
      for (const s of Object.values(old ?? {})) s.dispose().catch(() => {});
      chart.reset();
      for (const k of NETS) showMetrics(k, {});
      showNets(state);
      const inputs = state.data === 'parity' ? state.bits : 2;
      const data = state.data === 'parity' ? parity(state.bits) : SPIRAL;
      const hidden = shapes(inputs, state.depth);
      try {
        const built = await Promise.all(
          NETS.map((k) => client.build(specOf(hidden[k], state.act, data, inputs))),
        );
        if (my !== seq) return void built.forEach((s) => s.dispose().catch(() => {}));
        sessions = { shallow: built[0], deep: built[1] };
        info = { shallow: built[0].info, deep: built[1].info };
        NETS.forEach((k, i) => {
          const s = sessions[k];
          s.onFrame((f) => {
            if (s !== sessions?.[k] || f.metrics?.step === undefined) return;
            showMetrics(k, f.metrics);
            chart.add(i, f.metrics.step, f.metrics.trainLoss);
            if (playing && k === 'deep') embed.emit('step', f.metrics);
            if (f.metrics.diverged) pause();
            else if (f.metrics.step > 0) changed();
          });
          s.onError((err) => {
            setPlaying(false);
            fail(err);
          });
        });
        showNets(state);
        if (playing) await Promise.all(built.map((s) => s.play(STEPS_PER_FRAME)));
      } catch (err) {
        if (my === seq) fail(err);
      }
    }
    async function ready2() {
      for (let b = null; !sessions && b !== building;) await (b = building);
      return sessions;
    }
    async function play() {
      setPlaying(true);
      const s = await ready2();
      if (s) await Promise.all(NETS.map((k) => s[k].play(STEPS_PER_FRAME)));
    }
    async function pause() {
      setPlaying(false);
      const s = await ready2();
      if (s) await Promise.all(NETS.map((k) => s[k].pause()));
    }
    async function step(n = 1) {
      setPlaying(false);
      const s = await ready2();
      if (!s) return metrics.deep;
      const out = await Promise.all(NETS.map((k) => s[k].step(n)));
      if (s === sessions) NETS.forEach((k, i) => showMetrics(k, out[i]));
      changed();
      return out[1];
    }
    async function reset() {
      setPlaying(false);
      const s = await ready2();
      if (!s) return;
      await Promise.all(NETS.map((k) => s[k].pause()));
      await Promise.all(NETS.map((k) => s[k].reset()));
      chart.reset();
      showNets(current);
      forget();
    }

    return {
      render(state) {
        const archChanged = state.depth !== current.depth || state.act !== current.act;
        current = state;
        if (keyOf(state) !== builtKey) building = rebuild(state);
        if (archChanged) sizes.clear();
        for (const id of ['bits', 'depth']) {
          const el = $(`#${id}`);
          if (+el.value !== state[id]) el.value = String(state[id]);
          $(`#${id}-out`).textContent = String(state[id]);
        }
        $('#data').value = state.data;
        $('#act').value = state.act;
        $('.bits-field').hidden = state.data !== 'parity';
        for (const k of NETS) card(k, 'testAcc').closest('div').hidden = state.data === 'parity';
        bar.relabel();
        showNets(state);
        sizes.show();
      },
      play,
      pause,
      step,
      reset,
      // The deep network's numbers (the lesson's subject); the shallow one's are on the page.
      metrics: () => metrics.deep,
      snapshot: () => chart.canvas(),
      // Both networks' checkpoints and their loss curves (not the data-size experiment's runs).
      async save() {
        const s = await ready2();
        if (!s) throw new Error('no networks yet');
        const [shallow, deep] = await Promise.all(NETS.map((k) => s[k].evaluate('checkpoint')));
        return { checkpoints: { shallow, deep }, curves: chart.data() };
      },
      async load({ checkpoints, curves }) {
        const s = await ready2();
        if (!s || !NETS.every((k) => checkpoints?.[k])) throw new Error('nothing to restore');
        await Promise.all(NETS.map((k) => s[k].restore(checkpoints[k])));
        chart.setData(curves);
        return epochOf(checkpoints.deep);
      },
    };
  },
});
