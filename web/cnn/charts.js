// Train/test curves over epochs with uPlot: one chart for the loss, one for the accuracy.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export class Curves {
  constructor(root, { yRange, labels }) {
    this.root = root;
    this.yRange = yRange;
    this.labels = labels;
    this.reset();
  }

  reset() {
    this.x = [];
    this.a = [];
    this.b = [];
    this.plot?.destroy();
    const width = Math.max(this.root.clientWidth || 320, 200);
    this.plot = new uPlot(
      {
        width,
        height: 120,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: { x: { time: false }, y: { range: this.yRange } },
        axes: [
          { size: 22, font: '10px system-ui', ticks: { size: 3 }, grid: { show: false } },
          { size: 38, font: '10px system-ui', ticks: { size: 3 }, grid: { stroke: '#eee' } },
        ],
        series: [
          {},
          { label: this.labels[0], stroke: '#999', width: 1.5, points: { show: false } },
          { label: this.labels[1], stroke: '#111', width: 1.5, points: { show: false } },
        ],
      },
      [[], [], []],
      this.root,
    );
  }

  setLabels(labels) {
    this.labels = labels;
    const names = [...this.root.querySelectorAll('.u-legend .u-series .u-label')].slice(-2);
    names.forEach((el, i) => (el.textContent = labels[i]));
  }

  /** Adds a point; `draw` false keeps it for the next add that draws (many points, one redraw). */
  add(x, a, b, draw = true) {
    if (!Number.isFinite(a) || !Number.isFinite(b)) return;
    this.x.push(x);
    this.a.push(a);
    this.b.push(b);
    if (this.x.length > 2000) {
      const keep = (v) => v.filter((_, i) => i % 2 === 0 || i === v.length - 1);
      [this.x, this.a, this.b] = [keep(this.x), keep(this.a), keep(this.b)];
    }
    if (draw) this.plot.setData([this.x, this.a, this.b]);
  }

  /** The points as plain arrays (for autosave). */
  data() {
    return { x: [...this.x], a: [...this.a], b: [...this.b] };
  }

  /** Points saved by data(); anything malformed is ignored. */
  setData(d) {
    const ok = (v) => Array.isArray(v) && v.every(Number.isFinite);
    if (!d || !ok(d.x) || !ok(d.a) || !ok(d.b)) return;
    const n = Math.min(d.x.length, d.a.length, d.b.length, 2000);
    [this.x, this.a, this.b] = [d.x.slice(0, n), d.a.slice(0, n), d.b.slice(0, n)];
    this.plot.setData([this.x, this.a, this.b]);
  }

  resize() {
    this.plot.setSize({ width: Math.max(this.root.clientWidth || 320, 200), height: 120 });
  }
}
