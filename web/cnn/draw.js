// Canvas drawings of the CNN page: images, feature maps, filters, probabilities, confusion matrix.
// Colours: non-negative values from white to ink; signed values orange (−) · white (0) · blue (+),
// the MLP page's palette.

const NEG = [245, 147, 34];
const POS = [8, 119, 189];
const INK = [24, 61, 78];

/** Fills an RGBA pixel buffer from values with the range [lo, hi] (signed when lo < 0). */
export function paint(pixels, offset, values, lo, hi) {
  const signed = lo < 0;
  const m = signed ? Math.max(-lo, hi) || 1 : hi - lo || 1;
  for (let i = 0; i < values.length; ++i) {
    let r, g, b;
    if (signed) {
      const v = Math.max(-1, Math.min(1, values[i] / m));
      const c = v < 0 ? NEG : POS;
      const a = Math.abs(v);
      r = 255 + (c[0] - 255) * a;
      g = 255 + (c[1] - 255) * a;
      b = 255 + (c[2] - 255) * a;
    } else {
      const a = Math.max(0, Math.min(1, (values[i] - lo) / m));
      r = 255 + (INK[0] - 255) * a;
      g = 255 + (INK[1] - 255) * a;
      b = 255 + (INK[2] - 255) * a;
    }
    const o = offset + i * 4;
    pixels[o] = r;
    pixels[o + 1] = g;
    pixels[o + 2] = b;
    pixels[o + 3] = 255;
  }
}

export function range(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  return [Math.min(lo, 0), Math.max(hi, 0)];
}

/** Draws w×h values into a canvas of exactly that many pixels (CSS scales it, pixelated). */
export function drawValues(canvas, values, w, h, [lo, hi] = range(values)) {
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  paint(img.data, 0, values, lo, hi);
  ctx.putImageData(img, 0, 0);
}

/** A grayscale data-set image (0..max): black ink on white, as drawn on paper. */
export function drawDigit(canvas, pixels, w, h, max = 1) {
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  for (let i = 0; i < w * h; ++i) {
    const v = 255 - Math.round((255 * Math.max(0, Math.min(max, pixels[i]))) / max);
    img.data[i * 4] = v;
    img.data[i * 4 + 1] = v;
    img.data[i * 4 + 2] = v;
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * A conv layer's filters [F][C][k][k] as one canvas: a row per filter, a column per input channel
 * (filters of one channel wrap into rows of 8), 1-pixel gaps; one symmetric colour range per layer.
 * Returns the grid's [rows, columns].
 */
export function filterGrid([f, c]) {
  return c === 1 ? [Math.ceil(f / 8), Math.min(f, 8)] : [f, c];
}

export function drawFilters(canvas, weights, [f, c, kh, kw]) {
  const gap = 1;
  const [rows, cols] = filterGrid([f, c]);
  const w = cols * (kw + gap) - gap;
  const h = rows * (kh + gap) - gap;
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  img.data.fill(255);
  let m = 0;
  for (const v of weights) m = Math.max(m, Math.abs(v));
  const tile = new Uint8ClampedArray(kh * kw * 4);
  for (let i = 0; i < f; ++i)
    for (let j = 0; j < c; ++j) {
      const off = (i * c + j) * kh * kw;
      const cell = i * c + j;
      const [r, q] = c === 1 ? [Math.floor(cell / cols), cell % cols] : [i, j];
      paint(tile, 0, weights.subarray(off, off + kh * kw), -m || -1, m || 1);
      for (let y = 0; y < kh; ++y) {
        const row = ((r * (kh + gap) + y) * w + q * (kw + gap)) * 4;
        img.data.set(tile.subarray(y * kw * 4, (y + 1) * kw * 4), row);
      }
    }
  ctx.putImageData(img, 0, 0);
}
