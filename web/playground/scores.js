// What the output column says about training: epoch, losses, accuracies, the loss's formula and
// the confusion matrix. Every number is the engine's; this file only formats them.
import { classColor } from './heatmap.js';
import { legendHelp, lossHelp, accuracyHelp } from './explain-strings.js';

/** @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);

const fixed = (v) => (Number.isFinite(v) ? v.toFixed(3) : 'NaN');
const percent = (v) =>
  v === null || v === undefined || !Number.isFinite(v) ? '–' : `${(v * 100).toFixed(1)}%`;

/** Clears the figures for a new session. */
export function clearScores() {
  $('epoch').textContent = '0';
  for (const id of ['train-loss', 'test-loss', 'train-accuracy', 'test-accuracy']) $(id).textContent = '–';
  $('confusion').replaceChildren();
}

/** The figures of a frame's metrics (the engine's train(0) result). */
export function showScores(m) {
  const epoch = m.epoch ?? 0;
  // Fractions while the first epochs go by (a step is one batch), whole epochs after.
  $('epoch').textContent =
    epoch < 10 ? String(Math.floor(epoch * 100) / 100) : Math.floor(epoch).toLocaleString('en-US');
  $('train-loss').textContent = fixed(m.trainLoss);
  $('test-loss').textContent = m.testLoss === undefined ? '–' : fixed(m.testLoss);
  $('train-accuracy').textContent = percent(m.trainAccuracy);
  $('test-accuracy').textContent = percent(m.testAccuracy);
}

/** Shows or hides what only classification has. */
export function showClassification(on) {
  for (const e of document.querySelectorAll('.metric.accuracy')) /** @type {HTMLElement} */ (e).hidden = !on;
  $('confusion-box').hidden = !on;
}

// The formula of each loss as the engine computes it (engine/src/loss.cpp): y the network's
// output, t the target, N examples, K outputs.
const FORMULAS = {
  mse: 'L = 1/(N·K) · Σ (y − t)²',
  mseTanh: 'L = 1/N · Σ (y − t)²,  t = −1 or +1',
  bce: 'L = −1/N · Σ [t·ln p + (1 − t)·ln(1 − p)],  p = sigmoid(z)',
  ce: 'L = −1/N · Σ ln p_class,  p = softmax(z)',
  mseSoftmax: 'L = 1/(N·K) · Σ (p − t)²,  p = softmax(z), t one-hot',
};

/** The formula of the state's loss for its output layer. */
export function formulaOf(loss, classes) {
  if (!classes) return FORMULAS.mse;
  if (classes > 2) return loss === 'cross_entropy' ? FORMULAS.ce : FORMULAS.mseSoftmax;
  return loss === 'cross_entropy' ? FORMULAS.bce : FORMULAS.mseTanh;
}

export function showFormula(loss, classes, t) {
  $('loss-formula').textContent = `${t(loss)}: ${formulaOf(loss, classes)}`;
}

/**
 * The confusion matrix as a table: a row per true class, a column per predicted class, each cell
 * the engine's count, shaded by its share of the row.
 * @param {{matrix: ArrayLike<number>, classes: number, split: string} | null} c
 */
export function showConfusion(c, t) {
  const root = $('confusion');
  if (!c) return root.replaceChildren();
  const k = c.classes;
  const key = `${k}|${c.split}`;
  let table = root.querySelector('table');
  if (!table || table.dataset.key !== key) {
    table = document.createElement('table');
    table.dataset.key = key;
    const cap = table.createCaption();
    cap.textContent = t(c.split === 'test' ? 'confusionTest' : 'confusionTrain');
    const head = table.createTHead().insertRow();
    const corner = document.createElement('th');
    corner.textContent = `${t('trueClass')} \\ ${t('predictedClass')}`;
    head.appendChild(corner);
    for (let j = 0; j < k; j++) head.appendChild(classHeader(j, 'col', t));
    const body = table.createTBody();
    for (let i = 0; i < k; i++) {
      const row = body.insertRow();
      row.appendChild(classHeader(i, 'row', t));
      for (let j = 0; j < k; j++) row.insertCell();
    }
    root.replaceChildren(table);
  }
  const rows = table.tBodies[0].rows;
  for (let i = 0; i < k; i++) {
    let total = 0;
    for (let j = 0; j < k; j++) total += c.matrix[i * k + j];
    for (let j = 0; j < k; j++) {
      const n = c.matrix[i * k + j];
      const cell = rows[i].cells[j + 1];
      cell.textContent = String(n);
      const share = total ? n / total : 0;
      cell.style.background = `rgba(${i === j ? '8,119,189' : '200,60,40'},${(share * 0.6).toFixed(3)})`;
    }
  }
}

function classHeader(k, scope, t) {
  const th = document.createElement('th');
  th.scope = scope;
  const dot = document.createElement('span');
  dot.className = 'swatch';
  dot.style.background = classColor(k);
  th.append(dot, t('className', { k }));
  return th;
}

/** What the legend and each figure mean, on hover, focus or tap (./explain.js). */
export function explainScores(explainer, classes) {
  $('legend').tabIndex = 0;
  explainer.attach($('legend'), (lang) => legendHelp({ classes: classes(), lang }));
  /** @type {[string, (o: {split: 'train' | 'test', lang: string}) => string, 'train' | 'test'][]} */
  const figures = [
    ['train-loss', lossHelp, 'train'],
    ['test-loss', lossHelp, 'test'],
    ['train-accuracy', accuracyHelp, 'train'],
    ['test-accuracy', accuracyHelp, 'test'],
  ];
  for (const [id, help, split] of figures)
    explainer.attach($(id).closest('.field'), (lang) => help({ split, lang }));
}
