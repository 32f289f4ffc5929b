// Lesson 1 · The neuron: z = w·x + b and a = σ(z) for one neuron of two inputs, its decision line
// and its output over the plane, a few points to separate by hand, and "Let it learn". Every number
// comes from the engine on this thread: the neuron (one dense unit, the chosen activation) gives a
// and the grid; the same unit with a linear activation gives z (for x and for the points); a dense
// layer with diagonal weights [b, w1, w2] on X = [1, x1, x2] gives the perceptron form's products.
import { startLesson, num } from '../lesson.js';
import './style.css'; // after the frame's lesson.css, so that this lesson's rules win
import { activationNames } from '../../kit/vocabulary.js';
import { fillSelect } from '../../kit/controls.js';
import { STRINGS } from './strings.js';
import { paintPlane, planeCanvas, LIM, SIDE, N } from './plane.js';
import { createLearner } from './learn.js';

// The points to separate: class 1 (●) above, class 0 (■) below a line the student has to find.
export const POINTS = [
  [-4, 3],
  [-2, 4.5],
  [1, 4],
  [3, 2.5],
  [4.5, 4],
  [-1, 1.5],
  [-4, -1],
  [-2, -3],
  [0, -1],
  [2, -4],
  [4, -1],
  [-5, 2],
];
export const LABELS = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
const DEFAULTS = { x1: 1, x2: 2, w1: 1, w2: -1, b: 0.5, act: 'sigmoid' };
const RANGES = { x1: [-LIM, LIM], x2: [-LIM, LIM], w1: [-5, 5], w2: [-5, 5], b: [-10, 10] };
const KEYS = Object.keys(RANGES);
const fmt = (v) => (Number.isFinite(v) ? (Math.abs(v) < 0.005 ? 0 : v).toFixed(2) : '–');

const dense = (act, w1, w2, b) => ({
  input: [2],
  layers: [{ type: 'dense', units: 1, activation: act, weights: [[w1, w2]], bias: [b] }],
});
const diagonal = (d) => d.map((v, i) => d.map((_, j) => (i === j ? v : 0)));

function paramRow(key) {
  const [lo, hi] = RANGES[key];
  return `
    <div class="param">
      <label for="${key}-range" data-i18n="name_${key}"></label>
      <input type="range" id="${key}-range" min="${lo}" max="${hi}" step="0.01" />
      <input type="number" id="${key}" min="${lo}" max="${hi}" step="0.1" data-i18n-attr="aria-label:name_${key}" />
    </div>`;
}

const out = (name, cls = '') =>
  `<output class="${cls}" aria-live="off" data-i18n-attr="aria-label:${name},title:${name}"></output>`;

startLesson({
  id: 'neuron',
  strings: STRINGS,
  parsers: {
    ...Object.fromEntries(KEYS.map((k) => [k, num(...RANGES[k])])),
    // Checked against the engine's vocabulary once it is loaded (render).
    act: (s) => (/^[a-z_]{1,32}$/.test(s) ? s : undefined),
  },
  defaults: DEFAULTS,
  groups: ['inputs', 'weights', 'activation', 'learn'],
  async setup({ content, t, update, engine, getState, notes, lang }) {
    const dl = await engine();
    // softmax over a single unit is always 1: not a neuron's activation.
    const acts = activationNames().filter((a) => a !== 'softmax');
    content.innerHTML = `
      <div class="row neuron">
        <div class="neuron-controls">
          <fieldset class="params" data-group="inputs">
            <legend data-i18n="inputs"></legend>
            ${paramRow('x1')}${paramRow('x2')}
          </fieldset>
          <fieldset class="params" data-group="weights">
            <legend data-i18n="weights"></legend>
            ${paramRow('w1')}${paramRow('w2')}${paramRow('b')}
            <button type="button" id="restore" data-i18n="restore"></button>
          </fieldset>
          <div class="param act" data-group="activation">
            <label for="act" data-i18n="activation"></label>
            <select id="act"></select>
          </div>
        </div>
        <figure class="plane" role="group" data-i18n-attr="aria-label:plane">
          <figcaption data-i18n="legend"></figcaption>
        </figure>
        <div class="neuron-values">
          <p class="formula big"><span data-i18n="zLabel"></span> = ${out('zName', 'z')}</p>
          <p class="formula big"><span data-i18n="aLabel"></span> = ${out('aName', 'a')}</p>
          <p class="perceptron-title" data-i18n="perceptron"></p>
          <p class="formula">y = f(Wᵀ·X)</p>
          <p class="formula">X = [x0, x1, x2] = [${out('nameX0', 'x0')}, ${out('name_x1', 'vx1')}, ${out('name_x2', 'vx2')}]</p>
          <p class="formula">W = [b, w1, w2] = [${out('name_b', 'vb')}, ${out('name_w1', 'vw1')}, ${out('name_w2', 'vw2')}]</p>
          <p class="formula">Wᵀ·X = <span class="products"></span> = ${out('sumName', 'sum')}</p>
          <p class="formula">y = <span class="f"></span>(${out('sumName', 'sum2')}) = ${out('yName', 'y')}</p>
        </div>
      </div>
      <section class="separate" data-group="learn">
        <h2 data-i18n="learnTitle"></h2>
        <p><span data-i18n="rightSide"></span> ${out('rightName', 'right')} <span class="of"></span></p>
        <p>
          <button type="button" id="learn"></button>
          <span class="learn-status" hidden><span data-i18n="learnStatus"></span> ${out('stepName', 'step')},
          <span data-i18n="learnLoss"></span> ${out('lossName', 'loss')}</span>
        </p>
        <p class="hint" data-i18n="learnNote"></p>
      </section>`;
    const $ = (s) => content.querySelector(s);
    const o = (cls) => $(`output.${cls}`);
    const figure = $('.plane');
    const canvas = planeCanvas(figure);
    const act = /** @type {HTMLSelectElement} */ ($('#act'));
    const learner = createLearner({ dl, POINTS, LABELS, RANGES, update, getState });

    for (const key of KEYS) {
      const range = /** @type {HTMLInputElement} */ ($(`#${key}-range`));
      const field = /** @type {HTMLInputElement} */ ($(`#${key}`));
      const set = (el) => {
        const v = +el.value;
        if (el.value === '' || !Number.isFinite(v) || v < RANGES[key][0] || v > RANGES[key][1]) return;
        learner.stop();
        update({ [key]: v });
      };
      range.oninput = () => set(range);
      field.oninput = () => set(field);
    }
    act.onchange = () => update({ act: act.value });
    $('#restore').onclick = () => {
      learner.stop();
      update({ w1: DEFAULTS.w1, w2: DEFAULTS.w2, b: DEFAULTS.b });
    };
    $('#learn').onclick = () => (learner.running() ? learner.stop() : learner.start());
    learner.onChange = () => view.render(getState());

    // z for the input, and the engine's verdict on the points: with their labels, a linear unit
    // and mse, a point is classified by the side of z = 0 it lies on.
    const linear = dl.session({ ...dense('linear', 0, 0, 0), data: { x: POINTS, y: LABELS }, loss: 'mse' });
    const products = dl.session({
      input: [3],
      layers: [{ type: 'dense', units: 3, activation: 'linear', weights: diagonal([0, 0, 0]) }],
    });
    let neuron = null;
    let neuronAct = null;
    let drawn = null;
    let shownLang = null;

    const actOf = (state) => {
      if (acts.includes(state.act)) {
        notes.set('act', null);
        return state.act;
      }
      notes.set('act', { kind: 'warn', text: t('badAct', { value: state.act }) });
      return DEFAULTS.act;
    };

    const view = {
      render(state) {
        const a0 = actOf(state);
        if (a0 !== neuronAct) {
          neuron?.dispose();
          neuron = dl.session(dense(a0, state.w1, state.w2, state.b));
          neuronAct = a0;
        }
        const w = { weights: [[state.w1, state.w2]], bias: [state.b] };
        neuron.setWeights(0, w);
        linear.setWeights(0, w);
        products.setWeights(0, { weights: diagonal([state.b, state.w1, state.w2]) });
        const x = [state.x1, state.x2];
        // The engine's numbers.
        const a = neuron.predict(x)[0];
        const z = linear.predict(x)[0];
        const prods = products.predict([1, ...x]);
        const verdict = linear.evaluate('train');
        const right = [];
        verdict.indices.forEach((p, k) => (right[p] = verdict.predicted[k] === verdict.labels[k]));
        const grid = neuron.grid(0, [-LIM, LIM], [LIM, -LIM], N);

        for (const key of KEYS)
          for (const el of [$(`#${key}-range`), $(`#${key}`)])
            if (document.activeElement !== el || +el.value !== state[key]) el.value = String(state[key]);
        if (shownLang !== lang()) {
          fillSelect(act, acts, (n) => t(`act_${n}`));
          shownLang = lang();
        }
        act.value = a0;
        o('z').textContent = fmt(z);
        o('a').textContent = fmt(a);
        o('x0').textContent = '1';
        for (const k of KEYS) o(`v${k}`).textContent = fmt(state[k]);
        const names = [
          ['nameWb', 'nameX0'],
          ['name_w1', 'name_x1'],
          ['name_w2', 'name_x2'],
        ];
        const terms = prods.map((p, i) => {
          const el = document.createElement('output');
          el.setAttribute('aria-live', 'off');
          const label = t('product', { w: t(names[i][0]), x: t(names[i][1]) });
          el.setAttribute('aria-label', label);
          el.title = label;
          el.className = `p${i}`;
          el.textContent = p < 0 ? `(${fmt(p)})` : fmt(p);
          return el;
        });
        $('.products').replaceChildren(...terms.flatMap((el, i) => (i ? [' + ', el] : [el])));
        o('sum').textContent = fmt(z);
        o('sum2').textContent = fmt(z);
        o('y').textContent = fmt(a);
        $('.f').textContent = t(`act_${a0}`);
        o('right').textContent = String(right.filter(Boolean).length);
        $('.of').textContent = t('ofPoints', { n: POINTS.length });
        const learnButton = $('#learn');
        learnButton.textContent = t(learner.running() ? 'stop' : 'learn');
        const m = learner.metrics();
        $('.learn-status').hidden = m.step === null;
        o('step').textContent = String(m.step ?? '');
        o('loss').textContent = m.trainLoss === null ? '' : m.trainLoss.toFixed(3);

        drawn = { grid, act: a0, ...state, points: POINTS, labels: LABELS, right };
        const ctx = canvas.getContext('2d');
        ctx.clearRect(0, 0, SIDE, SIDE);
        paintPlane(ctx, drawn);
      },
      play: () => learner.start(),
      pause: () => learner.stop(),
      step: (n) => learner.step(n),
      reset() {
        learner.stop();
        update({ ...DEFAULTS });
      },
      metrics: () => learner.metrics(),
      snapshot() {
        const c = document.createElement('canvas');
        c.width = SIDE;
        c.height = SIDE;
        paintPlane(c.getContext('2d'), drawn);
        return c;
      },
    };
    return view;
  },
});
