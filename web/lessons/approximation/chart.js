// The curve chart of lesson 3a: the target points, each hidden unit's contribution v_j·h_j(x) as its
// own thin curve, their weighted sum plus the output bias (the fit) as a thick one. The student can
// draw a target with the pointer: each data point's y follows the pointer across its column.
export const X_RANGE = [-3, 3]; // the data
const VIEW = [-3.2, 3.2]; // the chart
export const Y_RANGE = [-1.6, 1.6];
const W = 600;
const H = 320;
const PAD = { l: 34, r: 10, t: 10, b: 24 };

const px = (x) => PAD.l + ((x - VIEW[0]) / (VIEW[1] - VIEW[0])) * (W - PAD.l - PAD.r);
const py = (y) => PAD.t + ((Y_RANGE[1] - y) / (Y_RANGE[1] - Y_RANGE[0])) * (H - PAD.t - PAD.b);
export const unitColor = (j, a = 0.8) => `hsla(${(j * 137.5 + 20) % 360}, 65%, 45%, ${a})`;

export class CurveChart {
  /**
   * @param {HTMLElement} figure where the canvas goes
   * @param {{xs: number[], canDraw: () => boolean, onDrawing: (ys: number[]) => void, onDrawn: (ys: number[]) => void}} options
   */
  constructor(figure, { xs, canDraw, onDrawing, onDrawn }) {
    this.xs = xs;
    this.canvas = document.createElement('canvas');
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = W * dpr;
    this.canvas.height = H * dpr;
    this.canvas.className = 'curve-canvas';
    this.canvas.setAttribute('role', 'img');
    this.ctx = this.canvas.getContext('2d');
    this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    figure.prepend(this.canvas);
    this.last = null;
    let drawing = null;
    let lastIndex = -1;
    const at = (e) => {
      const r = this.canvas.getBoundingClientRect();
      const cx = ((e.clientX - r.left) / r.width) * W;
      const cy = ((e.clientY - r.top) / r.height) * H;
      const x = VIEW[0] + ((cx - PAD.l) / (W - PAD.l - PAD.r)) * (VIEW[1] - VIEW[0]);
      const y = Y_RANGE[1] - ((cy - PAD.t) / (H - PAD.t - PAD.b)) * (Y_RANGE[1] - Y_RANGE[0]);
      const i = Math.round(((x - xs[0]) / (xs.at(-1) - xs[0])) * (xs.length - 1));
      return { i: Math.max(0, Math.min(xs.length - 1, i)), y: Math.max(-1.5, Math.min(1.5, y)) };
    };
    const paint = (e) => {
      const { i, y } = at(e);
      const from = lastIndex < 0 ? i : lastIndex;
      const y0 = lastIndex < 0 ? y : drawing[lastIndex];
      const n = Math.abs(i - from);
      for (let k = 0; k <= n; ++k) {
        const j = from + Math.sign(i - from) * k;
        drawing[j] = n === 0 ? y : y0 + ((y - y0) * k) / n;
      }
      lastIndex = i;
      onDrawing(drawing);
    };
    this.canvas.addEventListener('pointerdown', (e) => {
      if (!canDraw() || !this.last) return;
      e.preventDefault();
      this.canvas.setPointerCapture(e.pointerId);
      drawing = [...this.last.target];
      lastIndex = -1;
      paint(e);
    });
    this.canvas.addEventListener('pointermove', (e) => drawing && paint(e));
    const end = () => {
      if (!drawing) return;
      const ys = drawing;
      drawing = null;
      onDrawn(ys);
    };
    this.canvas.addEventListener('pointerup', end);
    this.canvas.addEventListener('pointercancel', end);
  }

  /** @param {{target: number[], grid: number[], contributions: number[][]|null, fit: number[]|null, bias: number|null}} d */
  draw(d) {
    this.last = d;
    paintChart(this.ctx, d, this.xs);
  }

  snapshot() {
    const c = document.createElement('canvas');
    c.width = W;
    c.height = H;
    if (this.last) paintChart(c.getContext('2d'), this.last, this.xs);
    return c;
  }
}

function curve(ctx, grid, ys) {
  ctx.beginPath();
  grid.forEach((x, i) => (i ? ctx.lineTo(px(x), py(ys[i])) : ctx.moveTo(px(x), py(ys[i]))));
  ctx.stroke();
}

function paintChart(ctx, { target, grid, contributions, fit, bias }, xs) {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, W, H);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#666';
  ctx.strokeStyle = '#eee';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  for (let y = -1.5; y <= 1.5; y += 0.5) {
    ctx.beginPath();
    ctx.moveTo(PAD.l, py(y));
    ctx.lineTo(W - PAD.r, py(y));
    ctx.stroke();
    ctx.fillText(y.toFixed(1), PAD.l - 4, py(y) + 4);
  }
  ctx.textAlign = 'center';
  for (let x = X_RANGE[0]; x <= X_RANGE[1]; x += 1) ctx.fillText(String(x), px(x), H - 8);
  ctx.strokeStyle = '#bbb';
  ctx.beginPath();
  ctx.moveTo(PAD.l, py(0));
  ctx.lineTo(W - PAD.r, py(0));
  ctx.moveTo(px(0), PAD.t);
  ctx.lineTo(px(0), H - PAD.b);
  ctx.stroke();
  ctx.save();
  ctx.beginPath();
  ctx.rect(PAD.l, PAD.t, W - PAD.l - PAD.r, H - PAD.t - PAD.b);
  ctx.clip();
  if (bias !== null) {
    ctx.setLineDash([4, 4]);
    ctx.strokeStyle = '#999';
    ctx.beginPath();
    ctx.moveTo(PAD.l, py(bias));
    ctx.lineTo(W - PAD.r, py(bias));
    ctx.stroke();
    ctx.setLineDash([]);
  }
  if (contributions) {
    ctx.lineWidth = 1.5;
    const units = contributions[0]?.length ?? 0;
    for (let j = 0; j < units; ++j) {
      ctx.strokeStyle = unitColor(j, units > 12 ? 0.45 : 0.8);
      curve(
        ctx,
        grid,
        contributions.map((row) => row[j]),
      );
    }
  }
  ctx.fillStyle = '#222';
  xs.forEach((x, i) => {
    ctx.beginPath();
    ctx.arc(px(x), py(target[i]), 3, 0, 2 * Math.PI);
    ctx.fill();
  });
  if (fit) {
    ctx.strokeStyle = '#183d4e';
    ctx.lineWidth = 3.5;
    curve(ctx, grid, fit);
  }
  ctx.restore();
}
