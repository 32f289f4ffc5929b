// Curves on one uPlot chart, each series with its own x values (two networks trained side by side
// report their steps separately): loss against steps (log y), or accuracy against data-set size.
// Used by lessons 3b (depth) and 4 (training).
//   const chart = new Curves(root, { series: [{ label, stroke, dash? }], logY: true });
//   chart.add(i, x, y); chart.reset(); chart.setLabels([...]);
//   chart.data() → [[xs, ys], …] (plain arrays, what an autosave keeps); chart.setData(data)
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const MAX_POINTS = 1500;

export class Curves {
  /**
   * @param {HTMLElement} root
   * @param {{series: {label: string, stroke: string, dash?: number[]}[], height?: number, logY?: boolean,
   *   logX?: boolean, yRange?: [number, number], points?: boolean}} options
   */
  constructor(root, { series, height = 170, logY = false, logX = false, yRange, points = false }) {
    this.root = root;
    this.series = series;
    this.height = height;
    this.logY = logY;
    this.logX = logX;
    this.yRange = yRange;
    this.points = points;
    this.frame = 0;
    this.reset();
    if (typeof ResizeObserver === 'function') {
      let w = root.clientWidth;
      new ResizeObserver(() => {
        if (Math.abs(root.clientWidth - w) < 2) return;
        w = root.clientWidth;
        this.plot.setSize({ width: this.width(), height: this.height });
      }).observe(root);
    }
  }

  width() {
    return Math.max(this.root.clientWidth || 320, 200);
  }

  reset() {
    this.tables = this.series.map(() => [[], []]);
    this.plot?.destroy();
    const y = this.logY ? { distr: 3 } : this.yRange ? { range: this.yRange } : {};
    this.plot = new uPlot(
      {
        width: this.width(),
        height: this.height,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: { x: { time: false, ...(this.logX ? { distr: 3 } : {}) }, y },
        axes: [
          { size: 24, font: '10px system-ui', ticks: { size: 3 }, grid: { show: false } },
          { size: 44, font: '10px system-ui', ticks: { size: 3 }, grid: { stroke: '#eee' } },
        ],
        series: [
          {},
          ...this.series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            dash: s.dash,
            width: 2,
            spanGaps: true,
            points: { show: this.points, size: 6, fill: s.stroke },
          })),
        ],
      },
      [[], ...this.series.map(() => [])],
      this.root,
    );
  }

  setLabels(labels) {
    const names = [...this.root.querySelectorAll('.u-legend .u-series .u-label')].slice(-this.series.length);
    names.forEach((el, i) => (el.textContent = labels[i] ?? ''));
  }

  /** Adds a point to series i; the chart redraws on the next animation frame. */
  add(i, x, y) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    const t = this.tables[i];
    if (t[0].length && x <= t[0].at(-1)) return;
    t[0].push(x);
    t[1].push(this.logY ? Math.max(y, 1e-6) : y);
    if (t[0].length > MAX_POINTS) {
      const keep = (v) => v.filter((_, k) => k % 2 === 0 || k === v.length - 1);
      this.tables[i] = [keep(t[0]), keep(t[1])];
    }
    this.frame ||= requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Every series' points, [[xs, ys], …]: a copy, plain arrays (structuredClone keeps them). */
  data() {
    return this.tables.map(([x, y]) => [[...x], [...y]]);
  }

  /** The points data() gave (series beyond this chart's are ignored, missing ones are empty). */
  setData(data) {
    this.tables = this.series.map((_, i) => {
      const [x, y] = data?.[i] ?? [[], []];
      return Array.isArray(x) && Array.isArray(y) && x.length === y.length ? [[...x], [...y]] : [[], []];
    });
    this.draw();
  }

  draw() {
    const tables = this.tables.filter((tb) => tb[0].length);
    if (!tables.length) return this.plot.setData([[], ...this.series.map(() => [])]);
    const joined = uPlot.join(/** @type {any} */ (tables));
    let k = 1;
    const data = [
      joined[0],
      ...this.tables.map((tb) => (tb[0].length ? joined[k++] : joined[0].map(() => null))),
    ];
    this.plot.setData(/** @type {any} */ (data));
  }

  /** The chart as a canvas (for Save image). */
  canvas() {
    return this.root.querySelector('canvas');
  }
}
