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

  resize() {
    this.plot.setSize({ width: Math.max(this.root.clientWidth || 320, 200), height: 120 });
  }
}
