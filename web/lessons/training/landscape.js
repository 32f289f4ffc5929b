// The loss landscape over (w1, w2), as the engine computed it (lossSurface): a heatmap of log loss
// with contour lines (marching squares), the path gradient descent took, its start and where it is.
// A click picks the start.
import { W1_RANGE, W2_RANGE } from './model.js';

const W = 360;
const H = 290;
const PAD = { l: 30, r: 8, t: 8, b: 26 };
const PW = W - PAD.l - PAD.r;
const PH = H - PAD.t - PAD.b;
const px = (w1) => PAD.l + ((w1 - W1_RANGE[0]) / (W1_RANGE[1] - W1_RANGE[0])) * PW;
const py = (w2) => PAD.t + ((W2_RANGE[1] - w2) / (W2_RANGE[1] - W2_RANGE[0])) * PH;
// Low loss dark blue, high loss pale yellow (viridis-like stops).
const STOPS = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
function color(u) {
  const s = Math.max(0, Math.min(1, u)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(s));
  const f = s - i;
  return STOPS[i].map((c, k) => Math.round(c + (STOPS[i + 1][k] - c) * f));
}
const LOG_LO = -3;

export class Landscape {
  /** @param {HTMLElement} figure @param {{surface: Float32Array, n: number, canPick: () => boolean, onPick: (w1: number, w2: number) => void}} o */
  constructor(figure, { surface, n, canPick, onPick }) {
    this.n = n;
    this.logs = Float32Array.from(surface, (v) => Math.log10(Math.max(v, 10 ** LOG_LO)));
    this.hi = Math.max(...this.logs);
    this.heat = document.createElement('canvas');
    this.heat.width = n;
    this.heat.height = n;
    const img = this.heat.getContext('2d').createImageData(n, n);
    for (let r = 0; r < n; ++r)
      for (let c = 0; c < n; ++c) {
        const [R, G, B] = color((this.logs[r * n + c] - LOG_LO) / (this.hi - LOG_LO));
        const o = ((n - 1 - r) * n + c) * 4; // row 0 is w2 = W2_RANGE[0], at the bottom
        img.data.set([R, G, B, 255], o);
      }
    this.heat.getContext('2d').putImageData(img, 0, 0);
    this.segments = contours(this.logs, n, [-2, -1.5, -1, -0.5, 0, 0.5, 1]);
    this.canvas = document.createElement('canvas');
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = W * dpr;
    this.canvas.height = H * dpr;
    this.canvas.className = 'landscape-canvas';
    this.ctx = this.canvas.getContext('2d');
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    figure.prepend(this.canvas);
    this.last = { path: [], start: null };
    this.canvas.addEventListener('click', (e) => {
      if (!canPick()) return;
      const r = this.canvas.getBoundingClientRect();
      const cx = ((e.clientX - r.left) / r.width) * W;
      const cy = ((e.clientY - r.top) / r.height) * H;
      const w1 = W1_RANGE[0] + ((cx - PAD.l) / PW) * (W1_RANGE[1] - W1_RANGE[0]);
      const w2 = W2_RANGE[1] - ((cy - PAD.t) / PH) * (W2_RANGE[1] - W2_RANGE[0]);
      if (w1 < W1_RANGE[0] || w1 > W1_RANGE[1] || w2 < W2_RANGE[0] || w2 > W2_RANGE[1]) return;
      onPick(Math.round(w1 * 20) / 20, Math.round(w2 * 20) / 20);
    });
  }

  /** @param {{path: number[][], start: number[]}} d */
  draw(d) {
    this.last = d;
    this.paint(this.ctx);
  }

  paint(ctx) {
    const { path, start } = this.last;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(this.heat, PAD.l, PAD.t, PW, PH);
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.45)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    const sx = PW / (this.n - 1);
    const sy = PH / (this.n - 1);
    for (const [c0, r0, c1, r1] of this.segments) {
      ctx.moveTo(PAD.l + c0 * sx, PAD.t + PH - r0 * sy);
      ctx.lineTo(PAD.l + c1 * sx, PAD.t + PH - r1 * sy);
    }
    ctx.stroke();
    ctx.fillStyle = '#444';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (let w = W1_RANGE[0]; w <= W1_RANGE[1]; w += 2) ctx.fillText(String(w), px(w), H - 12);
    ctx.fillText('w1', px(3), H - 12);
    ctx.textAlign = 'right';
    for (let w = W2_RANGE[0]; w <= W2_RANGE[1]; w += 1) ctx.fillText(String(w), PAD.l - 4, py(w) + 4);
    ctx.save();
    ctx.beginPath();
    ctx.rect(PAD.l, PAD.t, PW, PH);
    ctx.clip();
    ctx.textAlign = 'left';
    ctx.fillStyle = '#fff';
    ctx.fillText('w2', PAD.l + 4, PAD.t + 12);
    if (path.length > 1) {
      ctx.strokeStyle = '#ff4d4d';
      ctx.lineWidth = 2;
      ctx.beginPath();
      path.forEach(([a, b], i) => (i ? ctx.lineTo(px(a), py(b)) : ctx.moveTo(px(a), py(b))));
      ctx.stroke();
    }
    const dot = ([a, b], r, fill, stroke) => {
      ctx.beginPath();
      ctx.arc(px(a), py(b), r, 0, 2 * Math.PI);
      ctx.fillStyle = fill;
      ctx.fill();
      ctx.strokeStyle = stroke;
      ctx.lineWidth = 2;
      ctx.stroke();
    };
    if (start) dot(start, 5, '#fff', '#111');
    if (path.length) dot(path.at(-1), 5, '#ff4d4d', '#fff');
    ctx.restore();
  }

  snapshot() {
    const c = document.createElement('canvas');
    c.width = W;
    c.height = H;
    this.paint(c.getContext('2d'));
    return c;
  }
}

// Marching squares over an n×n grid: [c0, r0, c1, r1] segments (grid units) for each level.
function contours(v, n, levels) {
  const out = [];
  const lerp = (a, b, L) => (L - a) / (b - a);
  for (const L of levels)
    for (let r = 0; r < n - 1; ++r)
      for (let c = 0; c < n - 1; ++c) {
        const a = v[r * n + c]; // (c, r)
        const b = v[r * n + c + 1]; // (c + 1, r)
        const d = v[(r + 1) * n + c]; // (c, r + 1)
        const e = v[(r + 1) * n + c + 1]; // (c + 1, r + 1)
        const pts = [];
        if (a < L !== b < L) pts.push([c + lerp(a, b, L), r]);
        if (b < L !== e < L) pts.push([c + 1, r + lerp(b, e, L)]);
        if (d < L !== e < L) pts.push([c + lerp(d, e, L), r + 1]);
        if (a < L !== d < L) pts.push([c, r + lerp(a, d, L)]);
        for (let k = 0; k + 1 < pts.length; k += 2) out.push([...pts[k], ...pts[k + 1]]);
      }
  return out;
}
