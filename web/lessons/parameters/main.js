// Lesson 6 · Convolution vs fully connected: a conv layer and a dense layer on the same input with
// the same number of output features, side by side. Every count is the engine's: the parameters of
// each layer (dl.session({input, layers}).layers()[0].params), the parameters of one filter and of
// one unit (the same layers with 1 filter, 1 unit), the number of inputs (a flatten layer's output)
// and the conv layer's output shape. The page fills them into the formulas and draws the wiring.
import { startLesson, int, oneOf } from '../lesson.js';
import './style.css'; // after the frame's lesson.css, so that this lesson's rules win
import { STRINGS } from './strings.js';
import { paintConv, paintDense, panelCanvas, PW, PH } from './drawing.js';

// Inputs as [channels, height, width], the engine's order; shown height × width × channels.
const PRESETS = { '6x6x1': [1, 6, 6], '28x28x1': [1, 28, 28], '32x32x3': [3, 32, 32] };
const PRESET_IDS = [...Object.keys(PRESETS), 'custom'];
const LIMITS = { c: [1, 16], h: [1, 256], w: [1, 256], f: [1, 1024], k: [1, 11] };
const DEFAULTS = { in: '6x6x1', c: 1, h: 6, w: 6, f: 32, k: 3 };

const shapeOf = (s) => (s.in === 'custom' ? [s.c, s.h, s.w] : PRESETS[s.in]);
const big = (n) => (Number.isFinite(n) ? n.toLocaleString('en-US') : '–');
const out = (cls, name) =>
  `<output class="${cls}" aria-live="off" data-i18n-attr="aria-label:${name},title:${name}"></output>`;
const field = (key, label) => {
  const [lo, hi] = LIMITS[key];
  return `<label>${`<span data-i18n="${label}"></span>`}
    <input type="number" id="${key}" min="${lo}" max="${hi}" step="1" /></label>`;
};

startLesson({
  id: 'parameters',
  strings: STRINGS,
  parsers: {
    in: oneOf(() => PRESET_IDS),
    ...Object.fromEntries(Object.entries(LIMITS).map(([k, [lo, hi]]) => [k, int(lo, hi)])),
  },
  defaults: DEFAULTS,
  groups: ['input', 'features', 'kernel'],
  async setup({ content, t, update, engine, getState, lang }) {
    const dl = await engine();
    content.innerHTML = `
      <div class="param-controls">
        <fieldset class="shape" data-group="input">
          <legend><label for="in" data-i18n="input"></label></legend>
          <select id="in"></select>
          ${field('h', 'height')} ${field('w', 'width')} ${field('c', 'channels')}
        </fieldset>
        <div class="knob" data-group="features">${field('f', 'features')}</div>
        <div class="knob" data-group="kernel">${field('k', 'kernel')}</div>
      </div>
      <div class="compare">
        <section class="side conv">
          <h2 data-i18n="convTitle"></h2>
          <figure role="img" data-i18n-attr="aria-label:convDrawing">
            <figcaption data-i18n="convCaption"></figcaption>
          </figure>
          <p class="formula" data-i18n="convFormula"></p>
          <p class="formula">= ${out('cf', 'filtersName')} · (${out('ck1', 'kName')} · ${out('ck2', 'kName')} · ${out(
            'cc',
            'channelsName',
          )} + 1) = ${out('cf2', 'filtersName')} · ${out('per-filter', 'perFilter')} = ${out('conv-params', 'convParams')}</p>
          <p class="outputs conv-out"><span data-i18n="outputsLabel"></span> ${out('conv-shape', 'convShapeName')} =
            ${out('conv-outputs', 'convOutputsName')} <span data-i18n="convOutputsNote1"></span>
            ${out('per-filter2', 'perFilter')} <span data-i18n="convOutputsNote2"></span></p>
        </section>
        <section class="side dense">
          <h2 data-i18n="denseTitle"></h2>
          <figure role="img" data-i18n-attr="aria-label:denseDrawing">
            <figcaption data-i18n="denseCaption"></figcaption>
          </figure>
          <p class="formula" data-i18n="denseFormula"></p>
          <p class="formula">= ${out('du', 'unitsName')} · (${out('inputs', 'inputsName')} + 1) = ${out(
            'du2',
            'unitsName',
          )} · ${out('per-unit', 'perUnit')} = ${out('dense-params', 'denseParams')}</p>
          <p class="outputs dense-out"><span data-i18n="outputsLabel"></span> ${out('du3', 'unitsName')}<span
            data-i18n="denseOutputsNote"></span></p>
        </section>
      </div>
      <p class="ratio"><span data-i18n="ratioLabel"></span> ${out('ratio', 'ratioName')}
        <span data-i18n="ratioTail"></span></p>`;
    const $ = (sel) => content.querySelector(sel);
    const o = (cls) => $(`output.${cls}`);
    const select = /** @type {HTMLSelectElement} */ ($('#in'));
    const canvases = {
      conv: panelCanvas($('.conv figure')),
      dense: panelCanvas($('.dense figure')),
    };
    select.onchange = () => {
      const id = select.value;
      if (id === 'custom') {
        const [c, h, w] = shapeOf(getState());
        update({ in: id, c, h, w });
      } else update({ in: id });
    };
    for (const key of Object.keys(LIMITS)) {
      const input = /** @type {HTMLInputElement} */ ($(`#${key}`));
      input.oninput = () => {
        const v = +input.value;
        const [lo, hi] = LIMITS[key];
        if (input.value === '' || !Number.isInteger(v) || v < lo || v > hi) return;
        if (key === 'f' || key === 'k') return update({ [key]: v });
        // Editing the shape makes it a custom one, starting from what is shown.
        const [c, h, w] = shapeOf(getState());
        update({ in: 'custom', c, h, w, [key]: v });
      };
    }

    // One layer on the input: its layers() (with params and shapes), or the engine's refusal.
    const layersOf = (input, layers) => {
      try {
        const s = dl.session({ input, layers });
        const info = s.layers();
        s.dispose();
        return { info };
      } catch (err) {
        return { error: err?.message ?? String(err) };
      }
    };
    let counted = null;
    const count = (c, h, w, f, k) => {
      const key = `${c},${h},${w},${f},${k}`;
      if (counted?.key === key) return counted;
      const input = [c, h, w];
      const zeros = { init: 'zeros' };
      counted = {
        key,
        conv: layersOf(input, [{ type: 'conv2d', filters: f, kernel: k, ...zeros }, { type: 'flatten' }]),
        conv1: layersOf(input, [{ type: 'conv2d', filters: 1, kernel: k, ...zeros }]),
        dense: layersOf(input, [{ type: 'dense', units: f, ...zeros }]),
        dense1: layersOf(input, [{ type: 'dense', units: 1, ...zeros }]),
        flat: layersOf(input, [{ type: 'flatten' }]),
      };
      return counted;
    };
    let shownLang = null;
    let drawn = null;

    const view = {
      render(state) {
        const [c, h, w] = shapeOf(state);
        const { f, k } = state;
        const n = count(c, h, w, f, k);
        const params = (r, i = 0) => (r.info ? r.info[i].params : NaN);
        const refused = (r) => (r.error ? t('refused', { message: r.error }) : null);

        if (shownLang !== lang()) {
          select.replaceChildren(
            ...PRESET_IDS.map((id) => {
              const opt = document.createElement('option');
              opt.value = id;
              opt.textContent =
                id === 'custom' ? t('preset_custom') : ((p) => `${p[1]} × ${p[2]} × ${p[0]}`)(PRESETS[id]);
              return opt;
            }),
          );
          shownLang = lang();
        }
        select.value = state.in;
        const shown = { c, h, w, f, k };
        for (const key of Object.keys(shown)) {
          const el = /** @type {HTMLInputElement} */ ($(`#${key}`));
          if (document.activeElement !== el || +el.value !== shown[key]) el.value = String(shown[key]);
        }

        for (const cls of ['cf', 'cf2', 'du', 'du2']) o(cls).textContent = String(f);
        o('ck1').textContent = String(k);
        o('ck2').textContent = String(k);
        o('cc').textContent = String(c);
        o('per-filter').textContent = big(params(n.conv1));
        o('conv-params').textContent = refused(n.conv) ?? big(params(n.conv));
        o('inputs').textContent = n.flat.info ? big(n.flat.info[0].outputShape[0]) : '–';
        o('per-unit').textContent = big(params(n.dense1));
        o('dense-params').textContent = refused(n.dense) ?? big(params(n.dense));
        const convOut = n.conv.info?.[0].outputShape ?? null;
        o('conv-shape').textContent = convOut ? convOut.join(' × ') : '–';
        o('conv-outputs').textContent = n.conv.info ? big(n.conv.info[1].outputShape[0]) : '–';
        o('per-filter2').textContent = big(params(n.conv1));
        o('du3').textContent = String(f);
        // The one division on the page: the engine's two counts.
        const ratio = params(n.dense) / params(n.conv);
        o('ratio').textContent = !Number.isFinite(ratio)
          ? '–'
          : ratio >= 100
            ? big(Math.round(ratio))
            : String(Math.round(ratio * 10) / 10);

        drawn = { c, h, w, f, k, out: convOut };
        paintConv(canvases.conv.getContext('2d'), drawn);
        paintDense(canvases.dense.getContext('2d'), drawn);
      },
      snapshot() {
        const canvas = document.createElement('canvas');
        canvas.width = 2 * PW + 20;
        canvas.height = PH;
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#fff';
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        paintConv(ctx, drawn);
        ctx.translate(PW + 20, 0);
        paintDense(ctx, drawn);
        return canvas;
      },
    };
    return view;
  },
});
