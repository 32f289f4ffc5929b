// Both losses over training steps (uPlot), on the whole real set and the points shown: the
// engine's metrics() once per frame.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { FAKE_COLOUR } from './plane.js';

const MAX_POINTS = 2000;
const HEIGHT = 110;

export class GanChart {
  constructor(root) {
    this.root = root;
    this.reset();
  }

  reset() {
    this.steps = [];
    this.d = [];
    this.g = [];
    this.drawn = 0;
    this.plot?.destroy();
    this.plot = new uPlot(
      {
        width: this.width(),
        height: HEIGHT,
        padding: [10, 12, 0, 0],
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(max || 0, 1.5)] } },
        axes: [
          { size: 22, font: '10px system-ui', ticks: { size: 3 }, grid: { show: false } },
          { size: 34, space: 18, font: '10px system-ui', ticks: { size: 3 }, grid: { stroke: '#eee' } },
        ],
        series: [
          {},
          { stroke: '#222', width: 1.5, points: { show: false } },
          { stroke: FAKE_COLOUR, width: 1.5, points: { show: false } },
        ],
      },
      [[], [], []],
      this.root,
    );
  }

  width() {
    return Math.max(this.root.clientWidth || 280, 160);
  }

  resize() {
    this.plot.setSize({ width: this.width(), height: HEIGHT });
  }

  /** The curves as plain arrays (for the autosave). */
  data() {
    return { steps: [...this.steps], d: [...this.d], g: [...this.g] };
  }

  /** Curves from data(); anything malformed is ignored. */
  setData(c) {
    const ok = (a) => Array.isArray(a) && a.every(Number.isFinite);
    if (!c || !ok(c.steps) || !ok(c.d) || !ok(c.g)) return;
    const n = Math.min(c.steps.length, c.d.length, c.g.length, MAX_POINTS);
    this.steps = c.steps.slice(0, n);
    this.d = c.d.slice(0, n);
    this.g = c.g.slice(0, n);
    this.plot.setData([this.steps, this.d, this.g]);
  }

  add(step, dLoss, gLoss) {
    if (!Number.isFinite(dLoss) || !Number.isFinite(gLoss)) return;
    const last = this.steps.length - 1;
    if (last >= 0 && step <= this.steps[last]) {
      this.d[last] = dLoss;
      this.g[last] = gLoss;
    } else {
      this.steps.push(step);
      this.d.push(dLoss);
      this.g.push(gLoss);
    }
    if (this.steps.length > MAX_POINTS) {
      const keep = (a) => a.filter((_, i) => i % 2 === 0 || i === a.length - 1);
      this.steps = keep(this.steps);
      this.d = keep(this.d);
      this.g = keep(this.g);
    }
    const now = performance.now();
    if (now - this.drawn > 100 || this.steps.length < 3) {
      this.drawn = now;
      this.plot.setData([this.steps, this.d, this.g]);
    }
  }
}
