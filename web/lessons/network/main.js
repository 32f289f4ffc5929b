// Lesson 2 · A network is a function: the 2-2-2-2 sigmoid network of the course (docs/lessons.md)
// with every intermediate value, computed by the engine on this thread as the student types.
import { startLesson, num } from '../lesson.js';
import './style.css'; // after the frame's lesson.css, so that this lesson's rules win
import { STRINGS } from './strings.js';
import { drawNetwork, paint, SIZE } from './diagram.js';

// Each row is one neuron's incoming weights, then its bias; layer by layer.
const LESSON = [
  [
    [1, -2, 1],
    [-1, 1, 0],
  ],
  [
    [2, -1, 0],
    [-2, -1, 0],
  ],
  [
    [3, -1, -2],
    [-1, 4, 2],
  ],
];
const FLAT = LESSON.flat(2);
const fmt = (v) => (Number.isFinite(v) ? v.toFixed(2) : '–');

const params = (flat) =>
  LESSON.map((layer, l) => layer.map((row, i) => flat.slice((l * 2 + i) * 3, (l * 2 + i) * 3 + 3)));

function modelOf(flat) {
  return {
    format: 'dlplay-model',
    version: 1,
    input: [2],
    layers: params(flat).map((rows) => ({
      type: 'dense',
      units: 2,
      activation: 'sigmoid',
      weights: rows.map((r) => r.slice(0, 2)),
      bias: rows.map((r) => r[2]),
    })),
  };
}

const parseWeights = (s) => {
  const v = s.split(',').map(Number);
  return v.length === 18 && v.every((x) => Number.isFinite(x) && Math.abs(x) <= 100) ? v : undefined;
};

startLesson({
  id: 'network',
  strings: STRINGS,
  parsers: { x1: num(-100, 100), x2: num(-100, 100), w: parseWeights },
  defaults: { x1: 1, x2: -1, w: FLAT },
  groups: ['inputs', 'weights'],
  async setup({ content, t, update, engine }) {
    const dl = await engine();
    content.innerHTML = `
      <div class="row">
        <fieldset class="inputs" data-group="inputs">
          <legend data-i18n="inputs"></legend>
          <label>x1 <input type="number" step="0.1" id="x1" /></label>
          <label>x2 <input type="number" step="0.1" id="x2" /></label>
        </fieldset>
        <figure class="diagram" id="net" role="group"></figure>
      </div>
      <p class="formula composition"></p>
      <section class="weights" data-group="weights">
        <h2 data-i18n="weightsTitle"></h2>
        <div class="weight-tables"></div>
        <button type="button" id="restore" data-i18n="restore"></button>
      </section>`;
    const $ = (s) => content.querySelector(s);
    const inputs = { x1: $('#x1'), x2: $('#x2') };
    for (const [key, el] of Object.entries(inputs))
      el.oninput = () => el.value !== '' && Number.isFinite(+el.value) && update({ [key]: +el.value });
    $('#restore').onclick = () => update({ w: FLAT });
    let session = null;
    let weightsOf = null;
    let current = null;
    let drawn = null;

    function weightTables(state) {
      const root = $('.weight-tables');
      root.replaceChildren();
      params(state.w).forEach((rows, l) => {
        const table = document.createElement('table');
        table.className = 'values';
        const cap = table.createCaption();
        cap.textContent = t('layer', { l: l + 1 });
        const head = table.createTHead().insertRow();
        const from = l === 0 ? ['x1', 'x2'] : [1, 2].map((i) => t('layerNeuron', { l, i }));
        for (const h of [t('neuron'), ...from.map((name) => t('weightFrom', { name })), t('bias')]) {
          const th = document.createElement('th');
          th.textContent = h;
          head.append(th);
        }
        const body = table.createTBody();
        rows.forEach((row, i) => {
          const tr = body.insertRow();
          tr.insertCell().textContent =
            l === 2 ? t('outputName', { i: i + 1 }) : t('layerNeuron', { l: l + 1, i: i + 1 });
          row.forEach((v, j) => {
            const input = document.createElement('input');
            input.type = 'number';
            input.step = '0.5';
            input.value = String(v);
            input.setAttribute(
              'aria-label',
              j < 2
                ? t('weightName', { l: l + 1, i: i + 1, j: j + 1 })
                : t('biasName', { l: l + 1, i: i + 1 }),
            );
            input.oninput = () => {
              if (input.value === '' || !Number.isFinite(+input.value)) return;
              const w = [...current.w];
              w[(l * 2 + i) * 3 + j] = +input.value;
              update({ w });
            };
            tr.insertCell().append(input);
          });
        });
        root.append(table);
      });
    }

    return {
      render(state) {
        current = state;
        const key = state.w.join(',');
        if (key !== weightsOf) {
          session ??= dl.session(modelOf(state.w));
          params(state.w).forEach((rows, l) =>
            session.setWeights(l, { weights: rows.map((r) => r.slice(0, 2)), bias: rows.map((r) => r[2]) }),
          );
          weightsOf = key;
        }
        for (const [k, el] of Object.entries(inputs))
          if (document.activeElement !== el || +el.value !== state[k]) el.value = String(state[k]);
        const x = [state.x1, state.x2];
        // The engine's values: each layer's output for this input (the last one is f(x)).
        const values = session
          .activationsAll([x])
          .slice(1)
          .map((a) => Array.from(a));
        drawn = { x, values, weights: params(state.w), t, fmt };
        drawNetwork($('#net'), drawn);
        if (!content.contains(document.activeElement) || !document.activeElement.closest('.weights'))
          weightTables(state);
        $('.composition').textContent = `${t('composition')} g(x) = f3(f2(f1(x))), ${[1, 2, 3]
          .map((l) => t('compositionLayer', { l }))
          .join('; ')}`;
      },
      snapshot() {
        const c = document.createElement('canvas');
        c.width = SIZE.W;
        c.height = SIZE.H;
        paint(c.getContext('2d'), drawn, true);
        return c;
      },
    };
  },
});
