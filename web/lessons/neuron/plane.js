// The plane of inputs drawn: the neuron's output over it (the engine's grid) as colour, the
// decision line w1·x1 + w2·x2 + b = 0, the points to separate (a ring on those on the wrong side)
// and the input x. x1 runs across, x2 up, both from −LIM to LIM.
export const LIM = 6;
export const SIDE = 300;
export const N = 60; // grid cells per side

const toPx = (v) => ((v + LIM) / (2 * LIM)) * SIDE;
const toPy = (v) => ((LIM - v) / (2 * LIM)) * SIDE;

// Orange (low) → white → blue (high), t in [−1, 1].
function colour(t) {
  const c = Math.max(-1, Math.min(1, t));
  const pos = [8, 119, 189];
  const neg = [224, 106, 44];
  const end = c >= 0 ? pos : neg;
  const k = Math.abs(c) * 0.6;
  return end.map((e) => Math.round(255 + (e - 255) * k));
}

// The activation's middle and half-range, to map its outputs onto the colours.
function scaleOf(act, grid) {
  if (act === 'sigmoid') return [0.5, 0.5];
  if (act === 'tanh') return [0, 1];
  let m = 0;
  for (const v of grid) m = Math.max(m, Math.abs(v));
  return [0, m || 1];
}

const heatCanvas = document.createElement('canvas');
heatCanvas.width = N;
heatCanvas.height = N;

/**
 * Paints the plane into a 2-D context of SIDE×SIDE (CSS) pixels.
 * @param {CanvasRenderingContext2D} ctx
 * @param {{grid: Float32Array, act: string, w1: number, w2: number, b: number, x1: number, x2: number,
 *   points: number[][], labels: number[], right: boolean[]}} d
 */
export function paintPlane(ctx, d) {
  const hctx = heatCanvas.getContext('2d');
  const img = hctx.createImageData(N, N);
  const [mid, half] = scaleOf(d.act, d.grid);
  for (let i = 0; i < N * N; ++i) {
    const [r, g, b] = colour((d.grid[i] - mid) / half);
    img.data.set([r, g, b, 255], i * 4);
  }
  hctx.putImageData(img, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(heatCanvas, 0, 0, SIDE, SIDE);
  // Axes.
  ctx.strokeStyle = 'rgba(0, 0, 0, 0.25)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(toPx(0), 0);
  ctx.lineTo(toPx(0), SIDE);
  ctx.moveTo(0, toPy(0));
  ctx.lineTo(SIDE, toPy(0));
  ctx.stroke();
  // The decision line: w1·x1 + w2·x2 + b = 0, clipped to the plane.
  const ends = lineEnds(d.w1, d.w2, d.b);
  if (ends) {
    ctx.strokeStyle = '#111';
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    ctx.moveTo(toPx(ends[0][0]), toPy(ends[0][1]));
    ctx.lineTo(toPx(ends[1][0]), toPy(ends[1][1]));
    ctx.stroke();
  }
  // The points: ● class 1, ■ class 0; a ring on those on the wrong side.
  d.points.forEach(([px, py], i) => {
    const x = toPx(px);
    const y = toPy(py);
    ctx.fillStyle = d.labels[i] === 1 ? '#0a5a94' : '#c4501a';
    ctx.beginPath();
    if (d.labels[i] === 1) ctx.arc(x, y, 6, 0, 2 * Math.PI);
    else ctx.rect(x - 5.5, y - 5.5, 11, 11);
    ctx.fill();
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 3;
    ctx.stroke();
    ctx.strokeStyle = '#222';
    ctx.lineWidth = 1;
    ctx.stroke();
    if (!d.right[i]) {
      ctx.strokeStyle = '#111';
      ctx.lineWidth = 2;
      ctx.setLineDash([3, 2]);
      ctx.beginPath();
      ctx.arc(x, y, 10, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.setLineDash([]);
    }
  });
  // The input x: a cross.
  const cx = toPx(d.x1);
  const cy = toPy(d.x2);
  /** @type {[string, number][]} */
  const strokes = [
    ['#fff', 5],
    ['#111', 2],
  ];
  for (const [colourOf, width] of strokes) {
    ctx.strokeStyle = colourOf;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(cx - 8, cy);
    ctx.lineTo(cx + 8, cy);
    ctx.moveTo(cx, cy - 8);
    ctx.lineTo(cx, cy + 8);
    ctx.stroke();
  }
  ctx.restore();
}

// Where the line w1·x + w2·y + b = 0 crosses the square's border (null if it misses it).
function lineEnds(w1, w2, b) {
  const pts = [];
  if (w2 !== 0)
    for (const x of [-LIM, LIM]) {
      const y = -(w1 * x + b) / w2;
      if (y >= -LIM && y <= LIM) pts.push([x, y]);
    }
  if (w1 !== 0)
    for (const y of [-LIM, LIM]) {
      const x = -(w2 * y + b) / w1;
      if (x >= -LIM && x <= LIM) pts.push([x, y]);
    }
  if (pts.length < 2) return null;
  pts.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  return [pts[0], pts.at(-1)];
}

/** A canvas of SIDE×SIDE CSS pixels at the screen's resolution, in `root`. */
export function planeCanvas(root) {
  let canvas = root.querySelector('canvas');
  if (!canvas) {
    canvas = document.createElement('canvas');
    const dpr = window.devicePixelRatio || 1;
    canvas.width = SIDE * dpr;
    canvas.height = SIDE * dpr;
    canvas.getContext('2d').setTransform(dpr, 0, 0, dpr, 0, 0);
    canvas.setAttribute('aria-hidden', 'true');
    root.prepend(canvas);
  }
  return canvas;
}
