// The plane [−1, 1]² of the gan view, on one canvas: D's output as a heatmap (the engine's grid,
// row 0 at the top), the real samples, the generated points, the generator's gradient as arrows,
// and the student's drawing (pointer input while the real distribution is "points").
// Colours: d3-scale-chromatic's PRGn, purple at D = 0 (generated), green at D = 1 (real).
import { scaleSequential } from 'd3-scale';
import { interpolatePRGn } from 'd3-scale-chromatic';
import { rgb } from 'd3-color';

export const REAL_COLOUR = '#1b7837';
export const FAKE_COLOUR = '#762a83';
const heat = scaleSequential(interpolatePRGn).domain([0, 1]).clamp(true);
const LIGHT = 0.45; // mixed with white, so that the points stand out
const LUT = (() => {
  const lut = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; ++i) {
    const c = rgb(heat(i / 255));
    lut.set([c.r + (255 - c.r) * LIGHT, c.g + (255 - c.g) * LIGHT, c.b + (255 - c.b) * LIGHT, 255], i * 4);
  }
  return lut;
})();

/** A CSS colour of D's scale for v in [0, 1] (the legend). */
export const heatColour = (v) => heat(v);

const MIN_STEP = 0.03; // plane units between two drawn points of one stroke

export class Plane {
  /**
   * @param {HTMLCanvasElement} canvas
   * @param {{canDraw: () => boolean, onDraw: (points: number[][]) => void, maxPoints: number}} options
   */
  constructor(canvas, { canDraw, onDraw, maxPoints }) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.grid = document.createElement('canvas');
    this.last = null;
    this.stroke = null; // the points of the drawing under way
    this.drawn = [];
    this.resize();
    canvas.addEventListener('pointerdown', (e) => {
      if (!canDraw()) return;
      canvas.setPointerCapture(e.pointerId);
      this.stroke = [...this.drawn];
      this.add(e, maxPoints, true);
    });
    canvas.addEventListener('pointermove', (e) => this.stroke && this.add(e, maxPoints, false));
    const end = () => {
      if (!this.stroke) return;
      const points = this.stroke;
      this.stroke = null;
      onDraw(points);
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
  }

  resize() {
    const css = Math.max(160, Math.round(this.canvas.clientWidth || 360));
    const px = Math.round(css * (window.devicePixelRatio || 1));
    if (this.canvas.width !== px) {
      this.canvas.width = px;
      this.canvas.height = px;
    }
    this.size = px;
  }

  // Plane coordinates of a pointer event, rounded to hundredths (as the hash keeps them).
  add(e, maxPoints, always) {
    const r = this.canvas.getBoundingClientRect();
    const clamp = (v) => Math.max(-1, Math.min(1, Math.round(v * 100) / 100));
    const x = clamp(((e.clientX - r.left) / r.width) * 2 - 1);
    const y = clamp(1 - ((e.clientY - r.top) / r.height) * 2);
    const prev = this.stroke.at(-1);
    if (!always && prev && Math.hypot(prev[0] - x, prev[1] - y) < MIN_STEP) return;
    this.stroke.push([x, y]);
    if (this.stroke.length > maxPoints) this.stroke.splice(0, this.stroke.length - maxPoints);
    if (this.last) this.draw(this.last);
  }

  toPx(x, y) {
    return [((x + 1) / 2) * this.size, ((1 - y) / 2) * this.size];
  }

  /**
   * @param {{grid?: Float32Array|null, res?: number, real?: Float32Array|null, generated?: Float32Array|null,
   *   arrows?: Float32Array|null, drawn?: number[][]}} frame
   */
  draw(frame) {
    this.last = frame;
    this.drawn = frame.drawn ?? [];
    const { ctx, size } = this;
    const dot = Math.max(2, size / 170);
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, size, size);
    if (frame.grid && frame.res) {
      const n = frame.res;
      this.grid.width = n;
      this.grid.height = n;
      const g = this.grid.getContext('2d');
      const img = g.createImageData(n, n);
      for (let i = 0; i < n * n; ++i) {
        const level = Math.max(0, Math.min(255, Math.round(frame.grid[i] * 255))) * 4;
        img.data.set(LUT.subarray(level, level + 4), i * 4);
      }
      g.putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(this.grid, 0, 0, size, size);
    }
    // axes through the origin, faint
    ctx.strokeStyle = 'rgba(0,0,0,0.12)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(size / 2, 0);
    ctx.lineTo(size / 2, size);
    ctx.moveTo(0, size / 2);
    ctx.lineTo(size, size / 2);
    ctx.stroke();
    const dots = (xy, colour, radius, alpha) => {
      if (!xy) return;
      ctx.globalAlpha = alpha;
      ctx.fillStyle = colour;
      ctx.beginPath();
      for (let i = 0; i + 1 < xy.length; i += 2) {
        const [px, py] = this.toPx(xy[i], xy[i + 1]);
        ctx.moveTo(px + radius, py);
        ctx.arc(px, py, radius, 0, 2 * Math.PI);
      }
      ctx.fill();
      ctx.globalAlpha = 1;
    };
    dots(frame.real, REAL_COLOUR, dot * 0.8, 0.55);
    const points = this.stroke ?? this.drawn;
    if (points.length) dots(new Float32Array(points.flat()), '#000', dot, 0.9);
    if (frame.arrows && frame.generated) this.arrows(frame.generated, frame.arrows);
    dots(frame.generated, FAKE_COLOUR, dot, 0.9);
  }

  // Each generated point's gradient, scaled so that the mean arrow is 0.06 plane units long (lengths
  // stay proportional to the gradient's, capped at 0.2: one far point does not hide the others).
  arrows(xy, d) {
    const { ctx, size } = this;
    let total = 0;
    for (let i = 0; i + 1 < d.length; i += 2) total += Math.hypot(d[i], d[i + 1]);
    const mean = total / (d.length / 2);
    if (!(mean > 0) || !Number.isFinite(mean)) return;
    const k = 0.06 / mean;
    const cap = 0.2;
    ctx.strokeStyle = 'rgba(40, 40, 40, 0.55)';
    ctx.lineWidth = Math.max(1, size / 400);
    ctx.beginPath();
    for (let i = 0; i + 1 < xy.length; i += 2) {
      const [x0, y0] = this.toPx(xy[i], xy[i + 1]);
      const m = Math.hypot(d[i], d[i + 1]) * k;
      const c = m > cap ? cap / m : 1;
      const [x1, y1] = this.toPx(xy[i] + d[i] * k * c, xy[i + 1] + d[i + 1] * k * c);
      const len = Math.hypot(x1 - x0, y1 - y0);
      if (len < 1.5) continue;
      ctx.moveTo(x0, y0);
      ctx.lineTo(x1, y1);
      const a = Math.atan2(y1 - y0, x1 - x0);
      const h = Math.min(5, len / 2) * (size / 400);
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - h * Math.cos(a - 0.5), y1 - h * Math.sin(a - 0.5));
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - h * Math.cos(a + 0.5), y1 - h * Math.sin(a + 0.5));
    }
    ctx.stroke();
  }
}
