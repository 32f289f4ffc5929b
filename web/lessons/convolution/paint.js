// The picture Share's "Save image" gets: the padded image with the patch, and both feature maps
// with the current value marked (the engine's numbers, as the page shows them).
const CELL = 28;
const GAP = 28;

function cells(ctx, x0, y0, n, m, value, style) {
  for (let r = 0; r < n; ++r)
    for (let c = 0; c < m; ++c) {
      const { fill, text } = style(r, c, value(r, c));
      ctx.fillStyle = fill;
      ctx.fillRect(x0 + c * CELL, y0 + r * CELL, CELL, CELL);
      ctx.strokeStyle = '#ccc';
      ctx.lineWidth = 1;
      ctx.strokeRect(x0 + c * CELL + 0.5, y0 + r * CELL + 0.5, CELL - 1, CELL - 1);
      ctx.fillStyle = text;
      ctx.fillText(value(r, c), x0 + c * CELL + CELL / 2, y0 + r * CELL + CELL / 2 + 1);
    }
}

/** A canvas with the image, its patch and the two maps; an empty one before the first render. */
export function paintSnapshot(d) {
  const canvas = document.createElement('canvas');
  if (!d) return canvas;
  const { state, values, H, W, r, c, fmt } = d;
  const n = 6 + 2 * state.p;
  canvas.width = GAP + n * CELL + GAP + 2 * (W * CELL + GAP);
  canvas.height = GAP + Math.max(n, H) * CELL + GAP;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = '13px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const pixel = (pr, pc) => {
    const ir = pr - state.p;
    const ic = pc - state.p;
    return ir < 0 || ic < 0 || ir >= 6 || ic >= 6 ? '0' : String(state.img[ir * 6 + ic]);
  };
  cells(ctx, GAP, GAP, n, n, pixel, (pr, pc, v) => {
    const pad = pr < state.p || pc < state.p || pr >= state.p + 6 || pc >= state.p + 6;
    return pad
      ? { fill: '#f4f4f4', text: '#aaa' }
      : v === '1'
        ? { fill: '#183d4e', text: '#fff' }
        : { fill: '#fff', text: '#555' };
  });
  ctx.strokeStyle = '#f5a623';
  ctx.lineWidth = 3;
  ctx.strokeRect(GAP + c * state.s * CELL, GAP + r * state.s * CELL, 3 * CELL, 3 * CELL);
  for (const q of [0, 1]) {
    const x0 = GAP + n * CELL + GAP + q * (W * CELL + GAP);
    cells(
      ctx,
      x0,
      GAP,
      H,
      W,
      (i, j) => fmt(values[(q * H + i) * W + j]),
      (i, j) => ({
        fill: i === r && j === c ? '#fde7b8' : '#fff',
        text: '#111',
      }),
    );
  }
  return canvas;
}
