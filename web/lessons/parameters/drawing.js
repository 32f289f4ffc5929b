// Local connectivity and weight sharing, drawn: the input (height × width, its channels stacked
// behind), for the conv layer two of its outputs each wired to its k × k patch, both patches in the
// same colours (one kernel, shared); for the dense layer one output unit wired to every input.
export const PW = 300;
export const PH = 200;
const S = 130; // the input's drawn side
const X0 = 14;
const Y0 = 40;
// One colour per kernel weight (cycled): the same colours in both patches are the same weights.
const PALETTE = ['#0877bd', '#e06a2c', '#3a9d5d', '#a05ec4', '#c9a227', '#d0457a', '#2aa5a5', '#6d6d6d'];

function inputBlock(ctx, { c, h, w }) {
  const cs = S / Math.max(h, w);
  const bw = cs * w;
  const bh = cs * h;
  const layers = Math.min(c, 3);
  for (let i = layers - 1; i >= 0; --i) {
    ctx.fillStyle = i === 0 ? '#f2f5f7' : '#e3e8ec';
    ctx.strokeStyle = '#8a98a3';
    ctx.lineWidth = 1;
    ctx.fillRect(X0 + i * 7, Y0 - i * 7, bw, bh);
    ctx.strokeRect(X0 + i * 7 + 0.5, Y0 - i * 7 + 0.5, bw, bh);
  }
  if (cs >= 4) {
    ctx.strokeStyle = 'rgba(0, 0, 0, 0.12)';
    ctx.beginPath();
    for (let r = 1; r < h; ++r) {
      ctx.moveTo(X0, Y0 + r * cs);
      ctx.lineTo(X0 + bw, Y0 + r * cs);
    }
    for (let q = 1; q < w; ++q) {
      ctx.moveTo(X0 + q * cs, Y0);
      ctx.lineTo(X0 + q * cs, Y0 + bh);
    }
    ctx.stroke();
  }
  ctx.fillStyle = '#555';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.fillText(`${h} × ${w} × ${c}`, X0, Y0 + bh + 16);
  return { cs, bw, bh };
}

// The k × k patch at (r, c) of the input, each cell in its weight's colour, drawn at least 3 px a
// cell; returns the centres of its cells.
function patch(ctx, cs, k, r, c) {
  const pc = Math.max(cs, 3);
  const x = X0 + c * cs;
  const y = Y0 + r * cs;
  const centres = [];
  for (let i = 0; i < k; ++i)
    for (let j = 0; j < k; ++j) {
      ctx.fillStyle = PALETTE[(i * k + j) % PALETTE.length];
      ctx.fillRect(x + j * pc, y + i * pc, pc, pc);
      centres.push([x + (j + 0.5) * pc, y + (i + 0.5) * pc]);
    }
  ctx.strokeStyle = '#111';
  ctx.lineWidth = 1.5;
  ctx.strokeRect(x, y, k * pc, k * pc);
  return centres;
}

function wires(ctx, from, to, colour, alpha = 0.55) {
  ctx.globalAlpha = alpha;
  for (const [i, [x, y]] of from.entries()) {
    ctx.strokeStyle = typeof colour === 'function' ? colour(i) : colour;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(to[0], to[1]);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}

function clear(ctx) {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, PW, PH);
  ctx.lineWidth = 1;
}

/** The conv panel; d: {c, h, w, k, out: [filters, H', W'] or null when the engine refused}. */
export function paintConv(ctx, d) {
  clear(ctx);
  const { cs } = inputBlock(ctx, d);
  if (!d.out || d.k > d.h || d.k > d.w) return;
  const [f, H, W] = d.out;
  // The output maps, stacked (one per filter), and two of the first map's units.
  const os = 86 / Math.max(H, W);
  const ox = 196;
  const oy = Y0 + 10;
  for (let i = Math.min(f, 3) - 1; i >= 0; --i) {
    ctx.fillStyle = i === 0 ? '#fdf3e1' : '#f3e6cc';
    ctx.strokeStyle = '#b99b62';
    ctx.lineWidth = 1;
    ctx.fillRect(ox + i * 6, oy - i * 6, os * W, os * H);
    ctx.strokeRect(ox + i * 6 + 0.5, oy - i * 6 + 0.5, os * W, os * H);
  }
  const unit = (r, c) => {
    const s = Math.max(os, 5);
    ctx.fillStyle = '#183d4e';
    ctx.fillRect(ox + c * os, oy + r * os, s, s);
    return [ox + c * os + s / 2, oy + r * os + s / 2];
  };
  const a = patch(ctx, cs, d.k, 0, 0);
  const b = patch(ctx, cs, d.k, d.h - d.k, d.w - d.k);
  const colour = (i) => PALETTE[i % PALETTE.length];
  ctx.lineWidth = 1;
  wires(ctx, a, unit(0, 0), colour);
  wires(ctx, b, unit(H - 1, W - 1), colour);
  ctx.fillStyle = '#555';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'left';
  ctx.fillText(`${f} × ${H} × ${W}`, ox, oy + os * H + 16);
}

/** The dense panel; d: {c, h, w, f}. */
export function paintDense(ctx, d) {
  clear(ctx);
  const { cs } = inputBlock(ctx, d);
  const shown = Math.min(d.f, 7);
  const ux = 262;
  const gap = Math.min(20, 120 / shown);
  const uy = (i) => Y0 - 16 + i * gap;
  // Every input cell's centre (sampled on big inputs) to the first unit.
  const step = Math.max(1, Math.ceil(Math.max(d.h, d.w) / 28));
  const from = [];
  for (let r = 0; r < d.h; r += step)
    for (let c = 0; c < d.w; c += step) from.push([X0 + (c + 0.5) * cs, Y0 + (r + 0.5) * cs]);
  ctx.lineWidth = 0.6;
  wires(ctx, from, [ux, uy(0)], '#0877bd', from.length > 200 ? 0.12 : 0.35);
  for (let i = 0; i < shown; ++i) {
    ctx.beginPath();
    ctx.arc(ux, uy(i), 7, 0, 2 * Math.PI);
    ctx.fillStyle = i === 0 ? '#183d4e' : '#fff';
    ctx.fill();
    ctx.strokeStyle = '#555';
    ctx.lineWidth = 1;
    ctx.stroke();
  }
  ctx.fillStyle = '#555';
  ctx.font = '12px system-ui, sans-serif';
  ctx.textAlign = 'center';
  if (d.f > shown) ctx.fillText('⋮', ux, uy(shown) + 4);
  ctx.fillText(String(d.f), ux, uy(shown) + 22);
}

/** A canvas of PW × PH CSS pixels at the screen's resolution, in `root`. */
export function panelCanvas(root) {
  let canvas = root.querySelector('canvas');
  if (!canvas) {
    canvas = document.createElement('canvas');
    const dpr = window.devicePixelRatio || 1;
    canvas.width = PW * dpr;
    canvas.height = PH * dpr;
    canvas.getContext('2d').setTransform(dpr, 0, 0, dpr, 0, 0);
    canvas.setAttribute('aria-hidden', 'true');
    root.prepend(canvas);
  }
  return canvas;
}
