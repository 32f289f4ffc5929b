// Steps 1 and 2 of lesson 4 with the engine's numbers (the direct engine, at the current weights):
// the model's curve over the data points, and the mean squared error term by term. Each term
// (y_i − y'_i)² is the loss of a session holding that one example; the MSE is the loss over all 8.
import { XS, YS, modelOf } from './model.js';

const W = 300;
const H = 170;
const GRID = Float32Array.from({ length: 61 }, (_, i) => -2.5 + i / 12);
const f3 = (v) => (Number.isFinite(v) ? v.toFixed(3) : '–');
const f4 = (v) => (Number.isFinite(v) ? v.toFixed(4) : '–');

export function mseNumbers({ dl, modelRoot, lossRoot, t }) {
  const spec = (x, y) => ({
    ...modelOf({ w1: 1, w2: 1 }),
    data: { x: x.map((v) => [v]), y: y.map((v) => [v]) },
  });
  const all = dl.session(spec(XS, YS));
  const each = XS.map((x, i) => dl.session(spec([x], [YS[i]])));

  modelRoot.innerHTML = `<figure class="model-plot" role="img" data-i18n-attr="aria-label:modelPlot"></figure>`;
  const canvas = document.createElement('canvas');
  const dpr = window.devicePixelRatio || 1;
  canvas.width = W * dpr;
  canvas.height = H * dpr;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  modelRoot.querySelector('figure').append(canvas);

  const rows = XS.map(
    (x, i) =>
      `<tr><th scope="row">${i + 1}</th><td>${x}</td><td>${YS[i]}</td><td><output data-pred="${i}"></output></td><td><output data-sq="${i}"></output></td></tr>`,
  ).join('');
  lossRoot.innerHTML = `
    <p class="formula">MSE(y, y′) = Σ (y<sub>i</sub> − y′<sub>i</sub>)² / n</p>
    <table class="values mse-table">
      <thead><tr><th>i</th><th>x<sub>i</sub></th><th>y<sub>i</sub></th><th>y′<sub>i</sub></th><th>(y<sub>i</sub> − y′<sub>i</sub>)²</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
    <p class="formula mse-sum">MSE = <output class="terms"></output> = <output class="mse"></output></p>`;
  const $ = (s) => lossRoot.querySelector(s);

  function plot(pred) {
    const sx = (x) => 24 + ((x + 2.5) / 5) * (W - 32);
    const sy = (y) => 8 + ((1.6 - y) / 3.2) * (H - 24);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    ctx.strokeStyle = '#ccc';
    ctx.beginPath();
    ctx.moveTo(sx(-2.5), sy(0));
    ctx.lineTo(sx(2.5), sy(0));
    ctx.moveTo(sx(0), sy(1.6));
    ctx.lineTo(sx(0), sy(-1.6));
    ctx.stroke();
    ctx.fillStyle = '#666';
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (let x = -2; x <= 2; ++x) ctx.fillText(String(x), sx(x), H - 4);
    ctx.textAlign = 'right';
    for (const y of [-1, 1]) ctx.fillText(String(y), sx(-2.5) - 3, sy(y) + 3);
    ctx.save();
    ctx.beginPath();
    ctx.rect(sx(-2.5), 0, W, sy(-1.6));
    ctx.clip();
    ctx.strokeStyle = '#e06a2c';
    ctx.lineWidth = 2.5;
    ctx.beginPath();
    GRID.forEach((x, i) => (i ? ctx.lineTo(sx(x), sy(pred[i])) : ctx.moveTo(sx(x), sy(pred[i]))));
    ctx.stroke();
    ctx.restore();
    ctx.fillStyle = '#183d4e';
    XS.forEach((x, i) => {
      ctx.beginPath();
      ctx.arc(sx(x), sy(YS[i]), 3.5, 0, 2 * Math.PI);
      ctx.fill();
    });
  }

  return {
    /** The numbers at these weights and biases. */
    update({ w1, w2, b1 = 0, b2 = 0 }) {
      const set = (s) => {
        s.setWeights(0, { weights: [w1], bias: [b1] });
        s.setWeights(1, { weights: [w2], bias: [b2] });
      };
      set(all);
      each.forEach(set);
      const ev = all.evaluate('train'); // one pass: each point's output, and their MSE
      const pred = [];
      ev.indices.forEach((p, k) => (pred[p] = ev.outputs[k]));
      const terms = each.map((s) => s.evaluate('train').loss);
      const mse = ev.loss;
      pred.forEach((p, i) => {
        const o = lossRoot.querySelector(`[data-pred="${i}"]`);
        o.textContent = f3(p);
        o.setAttribute('aria-label', t('predOf', { i: i + 1 }));
        const q = lossRoot.querySelector(`[data-sq="${i}"]`);
        q.textContent = f4(terms[i]);
        q.setAttribute('aria-label', t('sqErrOf', { i: i + 1 }));
      });
      $('.terms').textContent = `(${terms.map(f4).join(' + ')}) / ${XS.length}`;
      $('.terms').setAttribute('aria-label', t('termsLabel', { n: XS.length }));
      $('.mse').textContent = f4(mse);
      $('.mse').setAttribute('aria-label', t('mseLabel'));
      plot(all.predict(GRID).map((r) => r[0]));
      return mse;
    },
    snapshot: () => canvas,
  };
}
