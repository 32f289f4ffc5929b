// Lesson 5 · Convolution: the course's 6×6 image and its two 3×3 kernels (docs/lessons.md). The
// engine computes everything on this thread: a conv2d layer (filters 2, kernel 3, the kernels as
// its weights, bias 0, linear) gives both feature maps, and a second conv2d layer of 18 filters, each
// one kernel weight alone at its place, gives every product pixel × weight at every position (so
// the 9 products under the patch, whose sum is the feature map's value there).
import { startLesson, int } from '../lesson.js';
import './style.css'; // after the frame's lesson.css, so that this lesson's rules win
import { STRINGS } from './strings.js';
import { createImageGrid, SIZE } from './image.js';
import { kernelTable, showKernel, productsBlock, showProducts, mapTable, fmt } from './tables.js';
import { paintSnapshot } from './paint.js';

// data::lesson_image_6x6() and data::lesson_kernels_3x3() of the engine.
export const IMAGE = [
  [1, 0, 0, 0, 0, 1],
  [0, 1, 0, 0, 1, 0],
  [0, 0, 1, 1, 0, 0],
  [1, 0, 0, 0, 1, 0],
  [0, 1, 0, 0, 1, 0],
  [0, 0, 1, 0, 1, 0],
].flat();
export const KERNELS = [
  [1, -1, -1, -1, 1, -1, -1, -1, 1],
  [-1, 1, -1, -1, 1, -1, -1, 1, -1],
].flat();
const STRIDES = [1, 2, 3];
const PADDINGS = [0, 1, 2];
const SLIDE_MS = 700;

const image2d = (img) => [Array.from({ length: SIZE }, (_, r) => img.slice(r * SIZE, r * SIZE + SIZE))];
const kernel3 = (k) => [0, 1, 2].map((r) => k.slice(r * 3, r * 3 + 3));
const conv = (filters, weights, s, p) => ({
  input: [1, SIZE, SIZE],
  layers: [
    {
      type: 'conv2d',
      filters,
      kernel: 3,
      stride: s,
      padding: p,
      activation: 'linear',
      weights,
      bias: new Array(filters).fill(0),
    },
  ],
});
// The two kernels as the layer's weights [filters][channels][3][3].
const mapWeights = (k) => [[kernel3(k.slice(0, 9))], [kernel3(k.slice(9))]];
// 18 filters: filter 9q + i has kernel q's weight i at place i and zeros elsewhere.
const productWeights = (k) =>
  k.map((w, f) => [kernel3(Array.from({ length: 9 }, (_, i) => (i === f % 9 ? w : 0)))]);

const parseImage = (s) => (/^[01]{36}$/.test(s) ? [...s].map(Number) : undefined);
const parseKernels = (s) => {
  const v = s.split(',').map(Number);
  return v.length === 18 && v.every((x) => Number.isFinite(x) && Math.abs(x) <= 10) ? v : undefined;
};

startLesson({
  id: 'convolution',
  strings: STRINGS,
  parsers: { img: parseImage, k: parseKernels, s: int(1, 3), p: int(0, 2), pos: int(0, 99) },
  defaults: { img: IMAGE, k: KERNELS, s: 1, p: 0, pos: 0 },
  format: { img: (v) => v.join('') },
  groups: ['slide', 'geometry', 'image', 'kernels'],
  async setup({ content, t, update, engine, getState, lang }) {
    const dl = await engine();
    content.innerHTML = `
      <div class="conv-bar">
        <span data-group="slide">
          <button type="button" id="play"></button>
          <button type="button" id="step" data-i18n="step"></button>
        </span>
        <span data-group="geometry">
          <label for="stride" data-i18n="stride"></label>
          <select id="stride">${STRIDES.map((v) => `<option>${v}</option>`).join('')}</select>
          <label for="padding" data-i18n="padding"></label>
          <select id="padding">${PADDINGS.map((v) => `<option>${v}</option>`).join('')}</select>
        </span>
        <span class="where">
          <span data-i18n="position"></span>
          <span>(<output class="pos-r" aria-live="off" data-i18n-attr="aria-label:positionRow"></output>, <output
            class="pos-c" aria-live="off" data-i18n-attr="aria-label:positionCol"></output>)</span>
          <span data-i18n="mapSizeShort"></span>
          <output class="map-size" aria-live="off" data-i18n-attr="aria-label:mapSize"></output>
        </span>
      </div>
      <div class="conv-layout">
        <figure class="conv-image" role="group" data-i18n-attr="aria-label:image">
          <div class="image-frame" data-group="image"></div>
          <figcaption data-i18n="imageCaption"></figcaption>
          <div class="image-tools" data-group="image">
            <button type="button" id="clear" data-i18n="clear"></button>
            <button type="button" id="restore-image" data-i18n="restoreImage"></button>
          </div>
        </figure>
        <div class="conv-kernels">
          <div class="kernel-row" data-q="1"></div>
          <div class="kernel-row" data-q="2"></div>
          <button type="button" id="restore-kernels" data-group="kernels" data-i18n="restoreKernels"></button>
        </div>
        <div class="conv-maps"></div>
      </div>
      <p class="conv-note" data-i18n="note"></p>`;
    const $ = (sel) => content.querySelector(sel);
    const stride = /** @type {HTMLSelectElement} */ ($('#stride'));
    const padding = /** @type {HTMLSelectElement} */ ($('#padding'));
    stride.onchange = () => update({ s: +stride.value, pos: 0 });
    padding.onchange = () => update({ p: +padding.value, pos: 0 });
    const grid = createImageGrid($('.image-frame'), {
      t,
      onToggle(r, c) {
        const img = [...getState().img];
        img[r * SIZE + c] = 1 - img[r * SIZE + c];
        update({ img });
      },
    });
    $('#clear').onclick = () => update({ img: new Array(SIZE * SIZE).fill(0) });
    $('#restore-image').onclick = () => update({ img: IMAGE });
    $('#restore-kernels').onclick = () => update({ k: KERNELS });

    let sessions = null; // {key, maps, products}
    let count = 1; // positions of the kernel
    let timer = 0;
    let drawn = null;
    let built = null; // the language the kernel blocks were built in
    const blocks = {};

    const advance = (n, userInitiated) => update({ pos: (getState().pos + n) % count }, { userInitiated });
    const play = () => {
      if (timer) return;
      timer = window.setInterval(() => advance(1, false), SLIDE_MS);
      view.render(getState());
    };
    const pause = () => {
      if (!timer) return;
      clearInterval(timer);
      timer = 0;
      view.render(getState());
    };
    $('#play').onclick = () => (timer ? pause() : play());
    $('#step').onclick = () => {
      pause();
      advance(1, true);
    };

    function buildKernels() {
      for (const q of [1, 2]) {
        const row = $(`.kernel-row[data-q="${q}"]`);
        const table = kernelTable(q, t, (i, v) => {
          const k = [...getState().k];
          k[(q - 1) * 9 + i] = v;
          update({ k });
        });
        const times = document.createElement('span');
        times.className = 'op';
        times.textContent = '→';
        times.setAttribute('aria-hidden', 'true');
        blocks[q] = { table, products: productsBlock(q, t) };
        row.replaceChildren(table, times, blocks[q].products);
      }
      built = lang();
    }

    function sessionsFor(state) {
      const key = `${state.s}|${state.p}`;
      if (sessions?.key !== key) {
        sessions?.maps.dispose();
        sessions?.products.dispose();
        sessions = {
          key,
          maps: dl.session(conv(2, mapWeights(state.k), state.s, state.p)),
          products: dl.session(conv(18, productWeights(state.k), state.s, state.p)),
        };
      }
      sessions.maps.setWeights(0, { weights: mapWeights(state.k) });
      sessions.products.setWeights(0, { weights: productWeights(state.k) });
      return sessions;
    }

    const view = {
      render(state) {
        const { maps, products } = sessionsFor(state);
        const x = image2d(state.img);
        // The engine's numbers: both feature maps [2][H][W] and every product [18][H][W].
        const values = maps.predict(x);
        const prods = products.predict(x);
        const [, H, W] = maps.layers()[0].outputShape;
        count = H * W;
        const pos = Math.min(state.pos, count - 1);
        const r = Math.floor(pos / W);
        const c = pos % W;
        const at = (arr, f) => arr[(f * H + r) * W + c];

        if (built !== lang()) buildKernels();
        stride.value = String(state.s);
        padding.value = String(state.p);
        const playButton = $('#play');
        playButton.textContent = t(timer ? 'pause' : 'play');
        playButton.setAttribute('aria-pressed', String(Boolean(timer)));
        $('.pos-r').textContent = String(r + 1);
        $('.pos-c').textContent = String(c + 1);
        $('.map-size').textContent = `${H} × ${W}`;
        grid.render({ img: state.img, p: state.p, pr: r * state.s, pc: c * state.s, lang: lang() });
        const sums = [];
        for (const q of [1, 2]) {
          showKernel(blocks[q].table, state.k.slice((q - 1) * 9, q * 9));
          const nine = Array.from({ length: 9 }, (_, i) => at(prods, (q - 1) * 9 + i));
          sums.push(at(values, q - 1));
          showProducts(blocks[q].products, nine, sums[q - 1]);
        }
        const mapsRoot = $('.conv-maps');
        mapsRoot.replaceChildren(
          ...[1, 2].map((q) =>
            mapTable(q, t, {
              rows: H,
              cols: W,
              values: values.slice((q - 1) * H * W, q * H * W),
              current: pos,
              onPick: (i) => update({ pos: i }),
            }),
          ),
        );
        drawn = { state, values, H, W, pos, r, c, fmt };
      },
      play,
      pause,
      step(n = 1) {
        advance(n, false);
        return {};
      },
      reset() {
        pause();
        update({ img: IMAGE, k: KERNELS, s: 1, p: 0, pos: 0 });
      },
      snapshot: () => paintSnapshot(drawn),
    };
    return view;
  },
});
