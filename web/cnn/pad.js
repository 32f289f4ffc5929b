// The drawing pad (mouse, pen or touch through pointer events) and the preprocessing that turns a
// drawing into an example like those of the data set:
//  28×28 (MNIST): the ink's bounding box scaled to fit 20×20, placed in 28×28 with its centre of
//    mass at the centre, values 0..1 (as LeCun & Cortes prepared MNIST);
//  8×8 (UCI optical digits): scaled into a 32×32 bitmap, thresholded, and each 4×4 block's count of
//    ink pixels (0..16) divided by 16 (as Alpaydin & Kaynak prepared theirs).
import { frameLoop } from '../kit/frames.js';

export const PAD = 280; // the pad's own resolution

export class DrawingPad {
  constructor(canvas, { onChange, lineWidth = 22 }) {
    this.canvas = canvas;
    canvas.width = PAD;
    canvas.height = PAD;
    this.ctx = canvas.getContext('2d', { willReadFrequently: true });
    this.lineWidth = lineWidth;
    this.onChange = onChange;
    this.empty = true;
    this.clear(false);
    let last = null;
    const pos = (e) => {
      const r = canvas.getBoundingClientRect();
      return [((e.clientX - r.left) * PAD) / r.width, ((e.clientY - r.top) * PAD) / r.height];
    };
    // One onChange per animation frame however many pointer events came.
    const notify = frameLoop(() => this.onChange?.());
    const changed = () => notify(true);
    canvas.addEventListener('pointerdown', (e) => {
      e.preventDefault();
      canvas.setPointerCapture?.(e.pointerId);
      last = pos(e);
      this.#stroke(last, last);
      changed();
    });
    canvas.addEventListener('pointermove', (e) => {
      if (!last) return;
      const p = pos(e);
      this.#stroke(last, p);
      last = p;
      changed();
    });
    const end = () => {
      if (last) changed();
      last = null;
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  #stroke(a, b) {
    const c = this.ctx;
    c.strokeStyle = '#fff';
    c.lineWidth = this.lineWidth;
    c.lineCap = 'round';
    c.lineJoin = 'round';
    c.beginPath();
    c.moveTo(a[0], a[1]);
    c.lineTo(b[0] + 0.01, b[1]);
    c.stroke();
    this.empty = false;
  }

  clear(notify = true) {
    this.ctx.fillStyle = '#000';
    this.ctx.fillRect(0, 0, PAD, PAD);
    this.empty = true;
    if (notify) this.onChange?.();
  }

  /** The ink, PAD×PAD values 0..1. */
  ink() {
    const d = this.ctx.getImageData(0, 0, PAD, PAD).data;
    const out = new Float32Array(PAD * PAD);
    for (let i = 0; i < out.length; ++i) out[i] = d[i * 4] / 255;
    return out;
  }
}

function bbox(ink, w, h) {
  let x0 = w;
  let y0 = h;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < h; ++y)
    for (let x = 0; x < w; ++x)
      if (ink[y * w + x] > 0.05) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

// Area-averages the square source region (side s at sx, sy; outside the pad counts as no ink) into
// n×n values.
function resample(ink, w, sx, sy, s, n) {
  const out = new Float32Array(n * n);
  const count = new Float32Array(n * n);
  const step = Math.max(1, Math.floor(s / (4 * n))); // enough samples per output pixel, not all
  for (let y = 0; y < s; y += step)
    for (let x = 0; x < s; x += step) {
      const px = Math.floor(sx + x);
      const py = Math.floor(sy + y);
      const v = px >= 0 && py >= 0 && px < w && py < w ? ink[py * w + px] : 0;
      const o = Math.min(n - 1, Math.floor((y * n) / s)) * n + Math.min(n - 1, Math.floor((x * n) / s));
      out[o] += v;
      count[o] += 1;
    }
  for (let i = 0; i < out.length; ++i) out[i] = count[i] ? out[i] / count[i] : 0;
  return out;
}

/** The drawing as a [1, 28, 28] MNIST-like example (0..1), or null when nothing is drawn. */
export function toMnist(ink, w = PAD) {
  const b = bbox(ink, w, w);
  if (!b) return null;
  const side = Math.max(b.w, b.h);
  const small = resample(ink, w, b.x + b.w / 2 - side / 2, b.y + b.h / 2 - side / 2, side, 20);
  // Centre of mass of the 20×20 box, moved to the centre of the 28×28 image.
  let m = 0;
  let cx = 0;
  let cy = 0;
  for (let y = 0; y < 20; ++y)
    for (let x = 0; x < 20; ++x) {
      const v = small[y * 20 + x];
      m += v;
      cx += v * x;
      cy += v * y;
    }
  const dx = m ? Math.round(13.5 - cx / m) : 4;
  const dy = m ? Math.round(13.5 - cy / m) : 4;
  const out = new Float32Array(28 * 28);
  for (let y = 0; y < 20; ++y)
    for (let x = 0; x < 20; ++x) {
      const tx = x + dx;
      const ty = y + dy;
      if (tx >= 0 && ty >= 0 && tx < 28 && ty < 28) out[ty * 28 + tx] = Math.min(1, small[y * 20 + x]);
    }
  return out;
}

/** The drawing as a [1, 8, 8] example like the UCI optical digits (counts 0..16, divided by 16). */
export function toDigits8(ink, w = PAD) {
  const b = bbox(ink, w, w);
  if (!b) return null;
  const side = (Math.max(b.w, b.h) * 32) / 28; // a small margin, as in the set
  const bits = resample(ink, w, b.x + b.w / 2 - side / 2, b.y + b.h / 2 - side / 2, side, 32);
  const out = new Float32Array(64);
  for (let y = 0; y < 32; ++y)
    for (let x = 0; x < 32; ++x) if (bits[y * 32 + x] >= 0.35) out[(y >> 2) * 8 + (x >> 2)] += 1;
  for (let i = 0; i < 64; ++i) out[i] /= 16;
  return out;
}
