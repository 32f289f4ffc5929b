// The output plane: the decision map (the class probabilities, or the regression's value), the data
// points on top, the axes. Clicking adds a point (shift: the other class) or removes the point
// under the cursor. Also the legend below it (renderLegend).
import { drawGrid, drawClassMap, colorOf, classColor, NEGATIVE, POSITIVE } from './heatmap.js';
import { EXTENT } from './state.js';

const TICKS = [-EXTENT, -EXTENT / 2, 0, EXTENT / 2, EXTENT];
const minus = (v) => (v < 0 ? `\u2212${-v}` : String(v)); // a real minus sign, not a hyphen
const RADIUS = 3.2; // a data point's, in CSS px

export class DataPlot {
  // map: canvas for the heatmap, overlay: canvas for points and axes (same CSS box).
  constructor(map, overlay, { onClick }) {
    this.map = map;
    this.overlay = overlay;
    this.data = null;
    this.classes = 0;
    this.showTest = false;
    overlay.addEventListener('click', (ev) => {
      const r = overlay.getBoundingClientRect();
      const x = ((ev.clientX - r.left) / r.width) * 2 * EXTENT - EXTENT;
      const y = EXTENT - ((ev.clientY - r.top) / r.height) * 2 * EXTENT;
      const hit = this.pointAt(ev.clientX - r.left, ev.clientY - r.top, r.width);
      onClick({ x, y, shift: ev.shiftKey, hit });
    });
  }

  /**
   * @param {{x: Float32Array, y: Float32Array, train: Uint32Array, test: Uint32Array}} data N×2
   *   inputs; y: the class index 0…K−1 (classification) or the value in [−1, 1] (regression)
   * @param {number | boolean} classes K ≥ 2 for classification, 0 for regression (true: 2)
   */
  setData(data, classes) {
    this.data = data;
    this.classes = classes === true ? 2 : Number(classes) >= 2 ? Math.floor(Number(classes)) : 0;
    this.testSet = new Set(data.test);
    this.drawPoints();
  }

  setShowTest(on) {
    this.showTest = on;
    this.drawPoints();
  }

  pointAt(px, py, size) {
    if (!this.data) return -1;
    const { x } = this.data;
    let best = -1;
    let bestD = 7 * 7;
    for (let i = 0; i < x.length / 2; i++) {
      if (this.testSet.has(i) && !this.showTest) continue;
      const sx = ((x[2 * i] + EXTENT) / (2 * EXTENT)) * size;
      const sy = ((EXTENT - x[2 * i + 1]) / (2 * EXTENT)) * size;
      const d = (sx - px) ** 2 + (sy - py) ** 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  // Point i's class (0…K−1; a label of −1 reads as class 0) or, for regression, its value.
  label(i) {
    const v = this.data.y[i];
    if (!this.classes) return v;
    const k = Math.round(v);
    return k > 0 ? Math.min(k, this.classes - 1) : 0;
  }

  colorOfPoint(i) {
    return this.classes ? classColor(this.label(i)) : colorOf(this.label(i));
  }

  drawPoints() {
    const c = this.overlay;
    const dpr = window.devicePixelRatio || 1;
    const size = c.clientWidth || 300;
    if (c.width !== Math.round(size * dpr)) {
      c.width = Math.round(size * dpr);
      c.height = Math.round(size * dpr);
    }
    const ctx = c.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size, size);
    drawTicks(ctx, size);
    if (this.data) {
      const { x } = this.data;
      const n = x.length / 2;
      const draw = (i, test) => {
        const sx = ((x[2 * i] + EXTENT) / (2 * EXTENT)) * size;
        const sy = ((EXTENT - x[2 * i + 1]) / (2 * EXTENT)) * size;
        ctx.beginPath();
        ctx.arc(sx, sy, RADIUS, 0, 2 * Math.PI);
        ctx.fillStyle = this.colorOfPoint(i);
        ctx.fill();
        ctx.lineWidth = test ? 1.4 : 1;
        ctx.strokeStyle = test ? '#000' : '#fff';
        ctx.stroke();
      };
      for (let i = 0; i < n; i++) if (!this.testSet.has(i)) draw(i, false);
      if (this.showTest) for (const i of this.data.test) draw(i, true);
    }
    drawTickLabels(ctx, size);
  }

  /**
   * The decision map: out is {probs: Float32Array n·n·K, classes: K} for classification (the
   * class map) or {grid: Float32Array, unit} for regression (the output unit's values in [−1, 1]).
   */
  drawOutput(out, n, discretize) {
    if (ArrayBuffer.isView(out)) out = { grid: out, unit: 0 }; // a bare grid: the output unit's
    if (out.probs) drawClassMap(this.map, out.probs, out.classes, n, { discretize, light: true });
    else drawGrid(this.map, out.grid, out.unit ?? 0, n, { discretize, light: true });
  }
}

// Ticks at −6, −3, 0, 3, 6 on both axes, inside the plot: short marks on the bottom and left
// edges, under the points; the labels on top of the points, in a white halo, a clear gap away
// from their marks (so a mark never reads as a minus sign), the labels at the ends moved inwards
// rather than clipped, the left axis's lowest label above the bottom axis's labels.
const FONT = '10px system-ui, -apple-system, "Segoe UI", sans-serif';
const TICK = 4; // mark length
const GAP = 5; // from a mark to its label
const H = 8; // a label's height (digits at 10 px)

function drawTicks(ctx, size) {
  ctx.fillStyle = 'rgba(0, 0, 0, 0.55)';
  for (const v of TICKS) {
    const p = ((v + EXTENT) / (2 * EXTENT)) * size;
    ctx.fillRect(clamp(p - 0.5, 0, size - 1), size - TICK, 1, TICK); // bottom axis
    ctx.fillRect(0, clamp(size - p - 0.5, 0, size - 1), TICK, 1); // left axis
  }
}

function drawTickLabels(ctx, size) {
  ctx.font = FONT;
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  ctx.lineJoin = 'round';
  ctx.lineWidth = 3;
  ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
  ctx.fillStyle = 'rgba(0, 0, 0, 0.75)';
  const label = (text, x, baseline) => {
    ctx.strokeText(text, x, baseline);
    ctx.fillText(text, x, baseline);
  };
  const xBaseline = size - TICK - GAP; // the bottom axis's labels
  for (const v of TICKS) {
    const p = ((v + EXTENT) / (2 * EXTENT)) * size;
    const text = minus(v);
    const w = ctx.measureText(text).width;
    label(text, clamp(p - w / 2, 2, size - 2 - w), xBaseline);
    label(text, TICK + GAP, clamp(size - p + H / 2, H + 2, xBaseline - H - 6));
  }
}
const clamp = (v, lo, hi) => (v < lo ? lo : v > hi ? hi : v);

/**
 * The legend below the map, in el: for classification (classes ≥ 2) a swatch and a name per class
 * and a note that lighter means less confident; for regression the −1 … 1 colour bar.
 * t(key, params): the page's translator (keys className {k}, legendConfidence, legendValue).
 * @param {HTMLElement} el
 * @param {number} classes
 * @param {(key: string, params?: Record<string, any>) => string} t
 */
export function renderLegend(el, classes, t) {
  const doc = el.ownerDocument;
  const span = (className, text, parent = el) => {
    const s = doc.createElement('span');
    s.className = className;
    if (text !== undefined) s.textContent = text;
    parent.appendChild(s);
    return s;
  };
  el.replaceChildren();
  el.classList.toggle('legend-classes', classes >= 2);
  el.classList.toggle('legend-values', !(classes >= 2));
  if (classes >= 2) {
    const list = span('legend-items');
    list.setAttribute('role', 'list');
    for (let k = 0; k < classes; k++) {
      const item = span('legend-item', undefined, list);
      item.setAttribute('role', 'listitem');
      const sw = span('swatch', undefined, item);
      sw.setAttribute('aria-hidden', 'true');
      sw.style.background = classColor(k);
      span('legend-name', t('className', { k }), item);
    }
    span('legend-note', t('legendConfidence'));
  } else {
    const bar = span('legend-bar');
    span('legend-end', minus(-1), bar);
    const g = span('gradient', undefined, bar);
    g.setAttribute('aria-hidden', 'true');
    g.style.background = `linear-gradient(to right, ${NEGATIVE}, #fff, ${POSITIVE})`;
    span('legend-end', '1', bar);
    span('legend-note', t('legendValue'));
  }
}
