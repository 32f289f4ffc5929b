// The saliency view beside the input: the engine's ∂L/∂x towards the predicted class (the frames'
// `saliency`, session.inputGradients in the worker), one value per input pixel, as a heatmap on a
// diverging scale symmetric around 0 and scaled by the largest |value|. A negative gradient (more
// ink there lowers the loss of the predicted class) is blue, a positive one red, zero white.
import { interpolateRdBu } from 'd3-scale-chromatic';
import { t } from './i18n.js';
import { $ } from './dom.js';

const LUT_SIZE = 256;
// RdBu from blue (towards the predicted class, gradient −max) through white (0) to red (+max).
const LUT = (() => {
  const lut = new Uint8ClampedArray(LUT_SIZE * 4);
  for (let i = 0; i < LUT_SIZE; ++i) {
    const rgb = (interpolateRdBu(1 - i / (LUT_SIZE - 1)).match(/\d+/g) ?? [0, 0, 0]).map(Number);
    lut.set([...rgb, 255], i * 4);
  }
  return lut;
})();
const cssColour = (i) => `rgb(${LUT[i * 4]},${LUT[i * 4 + 1]},${LUT[i * 4 + 2]})`;

/** Draws gradients [C][h][w] into a canvas of w × (C·h) pixels (channels one below the other). */
export function drawSaliency(canvas, values, w, h) {
  const rows = values.length / w;
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== rows) canvas.height = rows;
  let m = 0;
  for (const v of values) m = Math.max(m, Math.abs(v));
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, rows);
  for (let p = 0; p < values.length; ++p) {
    const x = m ? values[p] / m : 0; // −1 … 1
    let i = Math.round(((x + 1) / 2) * (LUT_SIZE - 1));
    i = i < 0 || i !== i ? LUT_SIZE >> 1 : Math.min(i, LUT_SIZE - 1);
    img.data.set(LUT.subarray(i * 4, i * 4 + 4), p * 4);
  }
  ctx.putImageData(img, 0, 0);
  return m;
}

export class SaliencyView {
  constructor() {
    this.canvas = $('saliency');
    this.predicted = null;
    const stops = [0, 0.25, 0.5, 0.75, 1].map(
      (s) => `${cssColour(Math.round(s * (LUT_SIZE - 1)))} ${s * 100}%`,
    );
    $('saliency-bar').style.background = `linear-gradient(to right, ${stops.join(', ')})`;
    this.clear();
  }

  /** No gradients (yet): a blank square, and the legend without a class. */
  clear() {
    const c = this.canvas;
    c.getContext('2d').clearRect(0, 0, c.width, c.height);
    this.predicted = null;
    this.relabel();
  }

  /** One frame's saliency ([row], the input's values CHW) for `predicted`, the class it points to. */
  draw(saliency, predicted, [c, h, w]) {
    const row = saliency?.[0];
    if (row?.length !== c * h * w) return this.clear();
    drawSaliency(this.canvas, row, w, h);
    if (predicted !== this.predicted) {
      this.predicted = predicted;
      this.relabel();
    }
  }

  /** The texts that name the predicted class (and the language). */
  relabel() {
    const p = this.predicted ?? '?';
    this.canvas.setAttribute('aria-label', t('saliencyLabel', { p }));
    $('saliency-towards').textContent = t('saliencyTowards', { p });
    $('saliency-away').textContent = t('saliencyAway', { p });
    $('saliency-legend').textContent = t('saliencyLegend', { p });
  }
}
