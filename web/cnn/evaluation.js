// What the engine's evaluation of the splits shows: the loss and accuracy curves, the test accuracy,
// the confusion matrix (click a cell to see its images) and the most confidently wrong test images.
// Every number is the engine's (session.evaluate through the worker: loss, accuracy, predicted,
// labels, probabilities, confusion); this file only draws them and groups example positions by cell.
import { t } from './i18n.js';
import { $, el } from './dom.js';
import { drawDigit } from './draw.js';
import { Curves } from './charts.js';

export const TRAIN_SAMPLE = 1000; // training examples evaluated for the train curve
const CELL_THUMBS = 40;
const WRONG_THUMBS = 16;

/** The engine's evaluation of the test split and of the first TRAIN_SAMPLE training examples. */
export async function evaluateSplits(session) {
  const test = await session.evaluate('evaluate', 'test');
  const train = await session.evaluate('evaluate', 'train', { limit: TRAIN_SAMPLE });
  return { test, train };
}

export class EvaluationView {
  /** onPick(position): a thumbnail of the test image at that position of the test split was clicked. */
  constructor({ onPick }) {
    this.onPick = onPick;
    this.lossChart = new Curves($('loss-chart'), {
      yRange: (u, min, max) => [0, Math.max(max || 0, 0.1)],
      labels: ['', ''],
    });
    this.accChart = new Curves($('acc-chart'), { yRange: () => [0, 1], labels: ['', ''] });
    this.reset(null);
  }

  /** A new model (or none): empty curves, no matrix. `set` is the decoded data set, for thumbnails. */
  reset(set) {
    this.set = set;
    this.test = null; // the engine's evaluation of the test split
    this.cells = null; // [true][predicted] → positions in the test split
    this.selected = null;
    this.lossChart.reset();
    this.accChart.reset();
    this.setLabels();
    $('test-acc').textContent = '–';
    this.render();
  }

  /**
   * Adds an evaluation ({test, train} from evaluateSplits) at an epoch (the engine's metrics.epoch);
   * `draw` false only keeps its curve points (for a backlog: the last one draws).
   */
  add(epoch, { test, train }, draw = true) {
    this.lossChart.add(epoch, train.loss, test.loss, draw);
    this.accChart.add(epoch, train.accuracy, test.accuracy, draw);
    if (!draw) return;
    this.test = test;
    this.cells = null;
    $('test-acc').textContent = Number.isFinite(test.accuracy) ? `${(test.accuracy * 100).toFixed(1)}%` : '–';
    this.render();
  }

  /** Draws the matrix, the selected cell's images and the wrong images again (e.g. in another language). */
  render() {
    this.renderConfusion();
    this.renderWrong();
    if (this.selected) this.showCell(...this.selected);
    else $('cell-examples').replaceChildren();
  }

  setLabels() {
    this.lossChart.setLabels([t('trainLoss'), t('testLossShort')]);
    this.accChart.setLabels([t('trainAcc'), t('testAcc')]);
  }

  resize() {
    this.lossChart.resize();
    this.accChart.resize();
  }

  // The test positions of each (true, predicted) cell, from the engine's labels and predictions.
  #cells() {
    if (this.cells) return this.cells;
    const { classes: k, labels, predicted, count } = this.test;
    this.cells = Array.from({ length: k }, () => Array.from({ length: k }, () => []));
    for (let i = 0; i < count; ++i) this.cells[labels[i]][predicted[i]].push(i);
    return this.cells;
  }

  #thumb(position, caption) {
    const set = this.set;
    const idx = this.test.indices[position];
    const [c, h, w] = set.shape;
    const n = c * h * w;
    const canvas = el('canvas', { class: 'pixelated thumb' });
    drawDigit(canvas, set.images.subarray(idx * n, idx * n + h * w), w, h, set.max);
    const b = el(
      'button',
      { type: 'button', class: 'example', title: caption, 'aria-label': caption },
      canvas,
    );
    b.onclick = () => this.onPick(position);
    return b;
  }

  renderConfusion() {
    const table = $('confusion');
    table.replaceChildren();
    const test = this.test;
    if (!test?.confusion) {
      table.append(el('caption', { class: 'hint', text: t('noneYet') }));
      return;
    }
    const k = test.classes;
    const count = (y, p) => test.confusion[y * k + p];
    const head = el('tr', {}, el('th', { text: '' }));
    for (let p = 0; p < k; ++p) head.append(el('th', { scope: 'col', text: String(p) }));
    table.append(el('thead', {}, head));
    const body = el('tbody');
    for (let y = 0; y < k; ++y) {
      const row = el('tr', {}, el('th', { scope: 'row', text: String(y) }));
      let rowTotal = 0; // for the cell's shade: its share of the row
      for (let p = 0; p < k; ++p) rowTotal += count(y, p);
      for (let p = 0; p < k; ++p) {
        const n = count(y, p);
        const a = n / (rowTotal || 1);
        const b = el('button', {
          type: 'button',
          text: String(n),
          'aria-label': t('confusionCell', { count: n, t: y, p }),
        });
        const base = y === p ? [8, 119, 189] : [245, 147, 34];
        b.style.background = n ? `rgba(${base.join(',')},${(0.15 + 0.85 * a).toFixed(3)})` : 'transparent';
        if (a > 0.5) b.style.color = '#fff';
        b.onclick = () => this.showCell(y, p);
        row.append(el('td', {}, b));
      }
      body.append(row);
    }
    table.append(body);
  }

  showCell(y, p) {
    this.selected = [y, p];
    const root = $('cell-examples');
    if (!this.test?.confusion) return root.replaceChildren();
    const list = this.#cells()[y]?.[p] ?? [];
    root.replaceChildren(
      el('p', { class: 'caption', text: t('cellExamples', { t: y, p, count: list.length }) }),
    );
    const box = el('div', { class: 'thumbs' });
    for (const pos of list.slice(0, CELL_THUMBS)) box.append(this.#thumb(pos, t('cellItem', { t: y, p })));
    root.append(box);
  }

  // The wrong test images, most confident first: the engine's probability of the predicted class.
  renderWrong() {
    const root = $('wrong');
    root.replaceChildren();
    const test = this.test;
    if (!test?.probabilities) return root.append(el('p', { class: 'hint', text: t('noneYet') }));
    const k = test.classes;
    const confidence = (i) => test.probabilities[i * k + test.predicted[i]];
    const wrong = [];
    for (let i = 0; i < test.count; ++i) if (test.predicted[i] !== test.labels[i]) wrong.push(i);
    wrong.sort((a, b) => confidence(b) - confidence(a));
    const box = el('div', { class: 'thumbs' });
    for (const pos of wrong.slice(0, WRONG_THUMBS)) {
      const caption = t('wrongItem', {
        t: test.labels[pos],
        p: test.predicted[pos],
        c: Math.round(confidence(pos) * 100),
      });
      box.append(
        el('figure', { class: 'wrong-item' }, this.#thumb(pos, caption), el('figcaption', { text: caption })),
      );
    }
    root.append(box);
  }
}
