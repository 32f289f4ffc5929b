// Colours and heatmaps: values in [−1, 1] through a diverging scale (red −1 … white … blue +1),
// drawn from an engine grid (Float32Array [units][n][n]). The engine's grid row r is at
// y = −extent + 2·extent·r/(n − 1); the plane draws +y upwards, so row r is canvas row n − 1 − r.
import { scaleDiverging } from 'd3-scale';
import { interpolateRdBu } from 'd3-scale-chromatic';

const LUT_SIZE = 256;

// Softened RdBu: class −1 (0) orange-red, class +1 (1) blue, white in the middle.
const interp = (t) => interpolateRdBu(0.08 + 0.84 * t);
export const scale = scaleDiverging(interp).domain([-1, 0, 1]).clamp(true);

// light: mixed with white, for the map behind the data points.
function buildLut(light) {
  const lut = new Uint8ClampedArray(LUT_SIZE * 4);
  for (let i = 0; i < LUT_SIZE; i++) {
    const rgb = (scale(-1 + (2 * i) / (LUT_SIZE - 1)).match(/\d+/g) ?? [0, 0, 0]).map(Number);
    lut.set([...rgb.map((v) => v + (255 - v) * light), 255], i * 4);
  }
  return lut;
}
const LUT = buildLut(0);
const LIGHT_LUT = buildLut(0.35);

export function colorOf(v) {
  return scale(v);
}

// Draws unit u of a grid [units][n][n] into a canvas of n×n pixels (CSS scales it).
export function drawGrid(canvas, grid, u, n, { discretize = false, range = 1, light = false } = {}) {
  const lut = light ? LIGHT_LUT : LUT;
  if (canvas.width !== n) canvas.width = n;
  if (canvas.height !== n) canvas.height = n;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(n, n);
  const px = img.data;
  const base = u * n * n;
  for (let r = 0; r < n; r++) {
    const row = (n - 1 - r) * n;
    for (let c = 0; c < n; c++) {
      let v = grid[base + r * n + c] / range;
      if (discretize) v = v > 0 ? 1 : -1;
      let i = Math.round(((v + 1) / 2) * (LUT_SIZE - 1));
      i = i < 0 || i !== i ? 0 : i >= LUT_SIZE ? LUT_SIZE - 1 : i;
      const o = (row + c) * 4;
      px[o] = lut[i * 4];
      px[o + 1] = lut[i * 4 + 1];
      px[o + 2] = lut[i * 4 + 2];
      px[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

// The largest |value| of unit u, for grids whose values are not in [−1, 1] (inputs, ReLU units).
export function unitRange(grid, u, n) {
  let m = 0;
  const base = u * n * n;
  for (let i = 0; i < n * n; i++) {
    const a = Math.abs(grid[base + i]);
    if (a > m) m = a;
  }
  return m > 1 ? m : 1;
}
