// The feature maps (every layer's output for the shown input, from the engine's frames) and the
// learned filters of the convolution layers (their weights, from the frames' params).
import { app } from './app.js';
import { $, el } from './dom.js';
import { t } from './i18n.js';
import { drawValues, drawFilters, filterGrid, range } from './draw.js';
import { blockName, shapeText } from './blocks.js';

// The size a map is drawn at (CSS pixels, whole multiples of its pixels): smaller when embedded.
const MAP_PX = 48;
const EMBED_MAP_PX = 32;
const STRIP_PX = 220; // a layer of plain values (dense, softmax): one strip this wide at most

let mapViews = []; // per entry of activationsAll: {shape: [c, h, w], canvases}
let filterViews = []; // {layer, canvas, caption}

function mapScale(w) {
  return app.embed?.embedded ? Math.max(1, Math.round(EMBED_MAP_PX / w)) : Math.ceil(MAP_PX / w);
}

function captionOf(j, shape) {
  if (j === 0) return `${t('inputBlock')} ${shapeText(shape)}`;
  const type = t(blockName(app.built.layers[j - 1].type));
  return shape.length === 3
    ? t('featureMapsOf', { n: j, type, count: shape[0], shape: shapeText(shape.slice(1)) })
    : t('valuesOf', { n: j, type, count: shape[0] });
}

/** One canvas per map of every layer (the input first), for the current build. */
export function layoutMaps() {
  const root = $('maps');
  root.replaceChildren();
  mapViews = [];
  if (!app.built) return;
  const shapes = [app.built.info.inputShape, ...app.built.layers.map((l) => l.outputShape)];
  shapes.forEach((shape, j) => {
    const caption = captionOf(j, shape);
    const grid = el('div', { class: 'map-grid' });
    const canvases = [];
    const [c, h, w] = shape.length === 3 ? shape : [1, 1, shape[0]];
    const k = shape.length === 3 ? mapScale(w) : Math.max(1, Math.floor(STRIP_PX / w));
    for (let i = 0; i < c; ++i) {
      const cv = el('canvas', { class: 'pixelated map', role: 'img', 'aria-label': `${caption} #${i + 1}` });
      cv.width = w;
      cv.height = h;
      cv.style.width = `${w * k}px`;
      cv.style.height = `${shape.length === 3 ? h * k : 14}px`;
      canvases.push(cv);
      grid.append(cv);
    }
    const layer = el('div', { class: 'map-layer' }, el('p', { class: 'caption', text: caption }), grid);
    layer.dataset.layer = String(j);
    root.append(layer);
    mapViews.push({ shape: [c, h, w], canvases });
  });
}

/** Draws a frame's activations (activationsAll: the input, then every layer) on the colour scale chosen. */
export function drawMaps(acts) {
  if (!acts || acts.length !== mapViews.length) return;
  const scale = app.state.scale;
  const global = scale === 'global' ? range(acts.flatMap((a) => range(a))) : null;
  acts.forEach((a, j) => {
    const { shape, canvases } = mapViews[j];
    const [c, h, w] = shape;
    const layer = scale === 'layer' ? range(a) : global;
    for (let i = 0; i < c; ++i) {
      const v = a.subarray(i * h * w, (i + 1) * h * w);
      drawValues(canvases[i], v, w, h, layer ?? range(v));
    }
  });
}

/** The canvases of the first layer's feature maps, none when it has plain values (for the snapshot). */
export const firstLayerMaps = () => (mapViews[1]?.shape[1] > 1 ? mapViews[1].canvases : []);

/** One canvas per convolution layer for its filters. */
export function layoutFilters() {
  const root = $('filters');
  root.replaceChildren();
  filterViews = [];
  if (!app.built) return;
  app.built.layers.forEach((l, i) => {
    if (l.type !== 'conv2d') return;
    const canvas = el('canvas', { class: 'pixelated filter', role: 'img' });
    const caption = el('p', { class: 'caption' });
    root.append(el('div', { class: 'filter-layer' }, caption, canvas));
    filterViews.push({ layer: i, canvas, caption });
  });
  if (!filterViews.length) root.append(el('p', { class: 'hint', text: t('noConv') }));
}

/** Draws the filters from a frame's params (per layer {weights, shape: [f, c, kh, kw]}). */
export function drawFilterFrame(params) {
  for (const v of filterViews) {
    const p = params[v.layer];
    if (!p?.weights?.length) continue;
    const [f, c, kh, kw] = p.shape;
    const [rows, cols] = filterGrid([f, c]);
    const text = t('filtersOf', { n: v.layer + 1, count: f, shape: shapeText(p.shape.slice(1)) });
    if (v.caption.textContent !== text) {
      v.caption.textContent = text;
      v.canvas.setAttribute('aria-label', text);
      const k = Math.max(2, Math.floor(Math.min(240 / (cols * (kw + 1)), 300 / (rows * (kh + 1)), 10)));
      v.canvas.style.width = `${(cols * (kw + 1) - 1) * k}px`;
      v.canvas.style.height = `${(rows * (kh + 1) - 1) * k}px`;
    }
    drawFilters(v.canvas, p.weights, p.shape);
  }
}
