// Colours and heatmaps.
//   · Values in [−1, 1] (hidden neurons, weights, regression) through a diverging scale: orange −1
//     … white 0 … blue +1, TensorFlow Playground's two end colours.
//   · Classes 0…5 through CLASS_COLORS: a class map is white mixed towards the colour of the most
//     probable class by the model's confidence; output neurons' probabilities go white 0 … colour 1.
// Grids come from the engine: Float32Array [units][n][n]; the engine's grid row r is at
// y = −extent + 2·extent·r/(n − 1); the plane draws +y upwards, so row r is canvas row n − 1 − r.
import { scaleDiverging } from 'd3-scale';

export const NEGATIVE = '#f59322'; // −1, and class 0
export const POSITIVE = '#0877bd'; // +1, and class 1

// Class 0 and 1 are TensorFlow Playground's orange and blue; 2…5 (green, wine, brown, pink) were
// picked for their distance from those and from each other in CIELAB, also as seen with
// protanopia and deuteranopia, and for a contrast of at least 3:1 on white.
export const CLASS_COLORS = Object.freeze([NEGATIVE, POSITIVE, '#1a9850', '#882255', '#8c510a', '#cc79a7']);

/** The CSS colour (#rrggbb) of class k (0…5; others wrap round). */
export function classColor(k) {
  const n = CLASS_COLORS.length;
  const i = Number.isFinite(k) ? ((Math.trunc(k) % n) + n) % n : 0;
  return CLASS_COLORS[i];
}

const rgbOf = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const WHITE = [255, 255, 255];
const mix = (a, b, t) => a.map((v, i) => v + (b[i] - v) * t);
const css = ([r, g, b]) => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;

// How much the map behind the data points is mixed with white (light), so the points stand out.
const LIGHT = 0.35;
const lighten = (rgb, light) => mix(rgb, WHITE, light);

// The diverging scale: t in [0, 1] (0 ↔ −1) through white, mixed in sRGB as TF Playground does.
const NEG_RGB = rgbOf(NEGATIVE);
const POS_RGB = rgbOf(POSITIVE);
const divergingRgb = (t) => (t < 0.5 ? mix(NEG_RGB, WHITE, t * 2) : mix(WHITE, POS_RGB, t * 2 - 1));
export const scale = scaleDiverging((t) => css(divergingRgb(t)))
  .domain([-1, 0, 1])
  .clamp(true);

const LUT_SIZE = 256;
// RGBA per level, LUT_SIZE levels over [−1, 1]; light: mixed with white, for the map behind points.
function buildLut(light) {
  const lut = new Uint8ClampedArray(LUT_SIZE * 4);
  for (let i = 0; i < LUT_SIZE; i++)
    lut.set([...lighten(divergingRgb(i / (LUT_SIZE - 1)), light), 255], i * 4);
  return lut;
}
const LUT = buildLut(0);
const LIGHT_LUT = buildLut(LIGHT);

// colorOf's strings, precomputed: it is called for every link and bias in every frame.
const CSS_LEVELS = 511;
const CSS_LUT = Array.from({ length: CSS_LEVELS }, (_, i) => css(divergingRgb(i / (CSS_LEVELS - 1))));

/** The diverging colour of v (clamped to [−1, 1]) as a CSS rgb() string; undefined for NaN. */
export function colorOf(v) {
  if (typeof v !== 'number' || v !== v) return scale(v);
  const t = v <= -1 ? 0 : v >= 1 ? 1 : (v + 1) / 2;
  return CSS_LUT[Math.round(t * (CSS_LEVELS - 1))];
}

// Per class, as RGB triples in Float32Arrays [class·3 + channel]: its colour, and its colour lightened.
// (Lightening commutes with mixing from white: lighten(mix(white, c, a)) = mix(white, lighten(c), a).)
const CLASS_RGB = new Float32Array(CLASS_COLORS.flatMap((c) => rgbOf(c)));
const CLASS_LIGHT_RGB = new Float32Array(CLASS_COLORS.flatMap((c) => lighten(rgbOf(c), LIGHT)));

// One ImageData per canvas, reused while the size holds (the maps are redrawn every frame).
const images = new WeakMap();
function imageFor(canvas, n) {
  if (canvas.width !== n) canvas.width = n;
  if (canvas.height !== n) canvas.height = n;
  const ctx = canvas.getContext('2d');
  let img = images.get(canvas);
  if (!img || img.width !== n || img.height !== n) {
    img = ctx.createImageData(n, n);
    images.set(canvas, img);
  }
  return { ctx, img };
}

// Draws unit u of a grid [units][n][n] into a canvas of n×n pixels (CSS scales it).
export function drawGrid(canvas, grid, u, n, { discretize = false, range = 1, light = false } = {}) {
  const lut = light ? LIGHT_LUT : LUT;
  const { ctx, img } = imageFor(canvas, n);
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

/**
 * The decision map of K classes: probs holds n·n·K class probabilities, point-major (point
 * p = r·n + c, in the engine's grid order, then its K values). A pixel is white mixed towards the
 * colour of its most probable class by the confidence (pmax − 1/K)/(1 − 1/K): white where every
 * class is equally likely, the full colour where one is certain (for K = 2 it reads as the
 * diverging map). discretize: the full colour of the most probable class; light: lightened, for
 * the map behind the data points. A point whose probabilities are not numbers is white.
 */
export function drawClassMap(canvas, probs, K, n, { discretize = false, light = false } = {}) {
  const rgb = light ? CLASS_LIGHT_RGB : CLASS_RGB;
  const colours = CLASS_COLORS.length;
  const { ctx, img } = imageFor(canvas, n);
  const px = img.data;
  const uniform = 1 / K;
  const spread = K > 1 ? 1 - uniform : 1;
  for (let r = 0; r < n; r++) {
    const row = (n - 1 - r) * n;
    for (let c = 0; c < n; c++) {
      const base = (r * n + c) * K;
      let best = 0;
      let pmax = probs[base];
      for (let k = 1; k < K; k++) {
        const p = probs[base + k];
        if (p > pmax || pmax !== pmax) {
          pmax = p;
          best = k;
        }
      }
      let a = 1; // discretize: the full colour
      if (pmax !== pmax) a = 0;
      else if (!discretize) {
        a = (pmax - uniform) / spread;
        a = a > 0 ? (a < 1 ? a : 1) : 0;
      }
      const o = (row + c) * 4;
      const j = (best % colours) * 3;
      px[o] = 255 + (rgb[j] - 255) * a;
      px[o + 1] = 255 + (rgb[j + 1] - 255) * a;
      px[o + 2] = 255 + (rgb[j + 2] - 255) * a;
      px[o + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

/**
 * Unit u of a grid [units][n][n] of probabilities (in [0, 1]) from white (0) to classColor(k) (1),
 * for an output neuron's thumbnail.
 */
export function drawProbGrid(canvas, grid, u, n, k) {
  const rgb = rgbOf(classColor(k));
  const { ctx, img } = imageFor(canvas, n);
  const px = img.data;
  const base = u * n * n;
  for (let r = 0; r < n; r++) {
    const row = (n - 1 - r) * n;
    for (let c = 0; c < n; c++) {
      let a = grid[base + r * n + c];
      a = a > 0 ? (a < 1 ? a : 1) : 0; // NaN → 0
      const o = (row + c) * 4;
      px[o] = 255 + (rgb[0] - 255) * a;
      px[o + 1] = 255 + (rgb[1] - 255) * a;
      px[o + 2] = 255 + (rgb[2] - 255) * a;
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
