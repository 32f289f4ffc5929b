// The data picker: a radio per data set of the problem type, each with a thumbnail of its points as
// the engine generates them (with the current noise and seed), as in TensorFlow Playground.
import { colorOf, classColor } from './heatmap.js';
import { datasets, isClassification, EXTENT } from './state.js';
import { toSpec } from './spec.js';

export class DatasetPicker {
  // onPick(name): the user chose a data set; dataOf(spec): the engine's points for a spec.
  constructor(root, { t, onPick, dataOf }) {
    this.root = root;
    this.t = t;
    this.onPick = onPick;
    this.dataOf = dataOf;
    this.thumbs = new Map(); // name → {key, data, classification}
    this.seq = 0;
  }

  render(state) {
    const list = [...datasets(state.problem)];
    if (state.dataset === 'custom') list.push('custom');
    const have = [...this.root.querySelectorAll('input[name=dataset]')].map((i) => i.value);
    if (have.join() !== list.join()) {
      this.root.replaceChildren();
      for (const name of list) {
        const label = document.createElement('label');
        label.className = 'dataset';
        const input = document.createElement('input');
        input.type = 'radio';
        input.name = 'dataset';
        input.value = name;
        input.onchange = () => this.onPick(name);
        const canvas = document.createElement('canvas');
        canvas.className = 'thumb';
        canvas.dataset.dataset = name;
        canvas.setAttribute('aria-hidden', 'true');
        const span = document.createElement('span');
        label.append(input, canvas, span);
        this.root.appendChild(label);
        const cached = this.thumbs.get(name);
        if (cached) paint(canvas, cached.data, cached.classification);
      }
    }
    for (const label of this.root.children) {
      const input = label.querySelector('input');
      input.checked = state.dataset === input.value;
      label.querySelector('span').textContent = this.t(input.value);
    }
  }

  // The user's own points, as the engine holds them.
  drawCustom(state, data) {
    const classification = isClassification(state);
    this.thumbs.set('custom', { key: `custom|${state.problem}`, data, classification });
    const canvas = this.canvas('custom');
    if (canvas) paint(canvas, data, classification);
  }

  async thumbnails(state) {
    const seq = ++this.seq;
    const problem = state.problem;
    for (const name of datasets(problem)) {
      const key = `${name}|${state.noise}|${state.seed}|${state.classes}`;
      let entry = this.thumbs.get(name);
      if (entry?.key !== key) {
        const spec = toSpec({ ...state, problem, dataset: name, points: null, network: [], weights: null });
        try {
          entry = { key, data: await this.dataOf(spec), classification: problem === 'classification' };
          this.thumbs.set(name, entry);
        } catch {
          continue;
        }
      }
      if (seq !== this.seq) return;
      const canvas = this.canvas(name);
      if (canvas) paint(canvas, entry.data, entry.classification);
    }
  }

  canvas(name) {
    return this.root.querySelector(`canvas[data-dataset="${name}"]`);
  }
}

function paint(canvas, data, classification) {
  const size = 48;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(size * dpr);
  canvas.height = Math.round(size * dpr);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#f7f7f7';
  ctx.fillRect(0, 0, size, size);
  const n = data.y.length;
  for (let i = 0; i < n; i++) {
    ctx.fillStyle = classification ? classColor(data.y[i]) : colorOf(data.y[i]);
    const x = ((data.x[2 * i] + EXTENT) / (2 * EXTENT)) * size;
    const y = ((EXTENT - data.x[2 * i + 1]) / (2 * EXTENT)) * size;
    ctx.fillRect(x - 1, y - 1, 2, 2);
  }
  canvas.dataset.points = String(n);
}
