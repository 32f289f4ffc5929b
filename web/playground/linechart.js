// Training and test loss over epochs, with uPlot.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const MAX_POINTS = 3000;

export class LossChart {
  constructor(root) {
    this.root = root;
    this.reset();
  }

  reset() {
    this.drawn = 0;
    this.epochs = [];
    this.train = [];
    this.test = [];
    this.plot?.destroy();
    const width = Math.max(this.root.clientWidth || 280, 160);
    this.plot = new uPlot(
      {
        width,
        height: 90,
        padding: [10, 12, 0, 0], // room for the top tick label, which the canvas edge used to clip
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: false }, y: { range: (u, min, max) => [0, Math.max(max || 0, 0.05)] } },
        axes: [
          { show: true, size: 22, font: '10px system-ui', ticks: { size: 3 }, grid: { show: false } },
          {
            show: true,
            size: 34,
            space: 18,
            font: '10px system-ui',
            ticks: { size: 3 },
            grid: { stroke: '#eee' },
          },
        ],
        series: [{}, { stroke: '#999', width: 1.5 }, { stroke: '#111', width: 1.5 }],
      },
      [[], [], []],
      this.root,
    );
  }

  resize() {
    const width = Math.max(this.root.clientWidth || 280, 160);
    this.plot.setSize({ width, height: 90 });
  }

  add(epoch, trainLoss, testLoss) {
    if (!Number.isFinite(trainLoss) || !Number.isFinite(testLoss)) return;
    const last = this.epochs.length - 1;
    if (last >= 0 && epoch <= this.epochs[last]) {
      this.train[last] = trainLoss;
      this.test[last] = testLoss;
    } else {
      this.epochs.push(epoch);
      this.train.push(trainLoss);
      this.test.push(testLoss);
    }
    if (this.epochs.length > MAX_POINTS) {
      const keep = (a) => a.filter((_, i) => i % 2 === 0 || i === a.length - 1);
      this.epochs = keep(this.epochs);
      this.train = keep(this.train);
      this.test = keep(this.test);
    }
    // Redraw at most ~10 times a second: the chart need not follow every frame.
    const now = performance.now();
    if (now - (this.drawn ?? 0) > 100) {
      this.drawn = now;
      this.plot.setData([this.epochs, this.train, this.test]);
    }
  }

  /** The curves as plain arrays (for autosave). */
  curves() {
    return { epochs: [...this.epochs], train: [...this.train], test: [...this.test] };
  }

  /** Curves saved by curves(); anything malformed is ignored. */
  setCurves(c) {
    const ok = (a) => Array.isArray(a) && a.every(Number.isFinite);
    if (!c || !ok(c.epochs) || !ok(c.train) || !ok(c.test)) return;
    const n = Math.min(c.epochs.length, c.train.length, c.test.length, MAX_POINTS);
    this.epochs = c.epochs.slice(0, n);
    this.train = c.train.slice(0, n);
    this.test = c.test.slice(0, n);
    this.plot.setData([this.epochs, this.train, this.test]);
  }
}
