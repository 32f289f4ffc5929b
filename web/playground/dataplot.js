// The output plane: the output neuron's grid as the decision map, the data points on top, axes.
// Clicking adds a point (shift: the other class) or removes the point under the cursor.
import { drawGrid, colorOf } from './heatmap.js';
import { EXTENT } from './state.js';

export class DataPlot {
  // map: canvas for the heatmap, overlay: canvas for points and axes (same CSS box).
  constructor(map, overlay, { onClick }) {
    this.map = map;
    this.overlay = overlay;
    this.data = null;
    this.showTest = false;
    overlay.addEventListener('click', (ev) => {
      const r = overlay.getBoundingClientRect();
      const x = ((ev.clientX - r.left) / r.width) * 2 * EXTENT - EXTENT;
      const y = EXTENT - ((ev.clientY - r.top) / r.height) * 2 * EXTENT;
      const hit = this.pointAt(ev.clientX - r.left, ev.clientY - r.top, r.width);
      onClick({ x, y, shift: ev.shiftKey, hit });
    });
  }

  // data: {x: Float32Array N×2, y: Float32Array N, train: Uint32Array, test: Uint32Array}
  setData(data, classification) {
    this.data = data;
    this.classification = classification;
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

  label(i) {
    const v = this.data.y[i];
    return this.classification ? (v > 0 ? 1 : -1) : v;
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
    // axes ticks
    ctx.fillStyle = 'rgba(0,0,0,0.55)';
    ctx.font = '10px system-ui, sans-serif';
    for (const v of [-6, -3, 0, 3, 6]) {
      const p = ((v + EXTENT) / (2 * EXTENT)) * size;
      ctx.fillRect(p - 0.5, size - 4, 1, 4);
      ctx.fillRect(0, size - p - 0.5, 4, 1);
      if (v !== -6) {
        ctx.textAlign = v === 6 ? 'right' : 'center';
        ctx.fillText(String(v), v === 6 ? p - 2 : p, size - 6);
        ctx.textAlign = 'left';
        ctx.fillText(String(v), 6, v === 6 ? size - p + 10 : size - p + 3.5);
      }
    }
    if (!this.data) return;
    const { x } = this.data;
    const n = x.length / 2;
    const draw = (i, test) => {
      const sx = ((x[2 * i] + EXTENT) / (2 * EXTENT)) * size;
      const sy = ((EXTENT - x[2 * i + 1]) / (2 * EXTENT)) * size;
      ctx.beginPath();
      ctx.arc(sx, sy, 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = colorOf(this.label(i));
      ctx.fill();
      ctx.lineWidth = test ? 1.4 : 1;
      ctx.strokeStyle = test ? '#000' : '#fff';
      ctx.stroke();
    };
    for (let i = 0; i < n; i++) if (!this.testSet.has(i)) draw(i, false);
    if (this.showTest) for (const i of this.data.test) draw(i, true);
  }

  drawOutput(grid, n, discretize) {
    drawGrid(this.map, grid, 0, n, { discretize, light: true });
  }
}
