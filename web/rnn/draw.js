// Drawing only: a text as clickable characters, the engine's next-character probabilities as bars,
// a hidden state [T][H] as a heatmap (d3-scale-chromatic's RdBu). No number is computed here beyond
// placing and colouring the engine's.
import { interpolateRdBu } from 'd3-scale-chromatic';

/** A character as it can be seen: a line end and a space get a visible sign. */
export const visible = (c) => (c === '\n' ? '⏎' : c === ' ' ? '␣' : c === '\t' ? '⇥' : c);

/**
 * Fills `root` with one span per character of `text` (data-pos), `chosen` marked; a click calls
 * onPick(pos). Line ends are kept as line breaks.
 */
export function drawText(root, text, chosen, onPick) {
  const chars = [...text];
  const frag = document.createDocumentFragment();
  chars.forEach((c, i) => {
    const s = document.createElement('span');
    s.className = i === chosen ? 'ch chosen' : 'ch';
    s.dataset.pos = String(i);
    s.textContent = c === '\n' ? '⏎' : c;
    frag.appendChild(s);
    if (c === '\n') frag.appendChild(document.createElement('br'));
  });
  root.replaceChildren(frag);
  root.onclick = (e) => {
    const pos = /** @type {HTMLElement} */ (e.target).dataset?.pos;
    if (pos !== undefined) onPick(Number(pos));
  };
}

/**
 * The top `k` of a probability row as bars: [{char, p}] sorted by the engine's numbers; `actual`
 * (a character or null) is marked.
 */
export function drawProbs(root, vocabulary, row, actual, { k = 10, label = '' } = {}) {
  root.replaceChildren();
  if (!row) return;
  const order = [...row.keys()].sort((a, b) => row[b] - row[a]).slice(0, k);
  for (const i of order) {
    const li = document.createElement('li');
    if (vocabulary[i] === actual) {
      li.className = 'actual';
      li.title = label;
    }
    const c = document.createElement('span');
    c.className = 'char';
    c.textContent = visible(vocabulary[i]);
    const bar = document.createElement('span');
    bar.className = 'pbar';
    const fill = document.createElement('span');
    fill.className = 'fill';
    fill.style.setProperty('width', `${Math.max(0, Math.min(1, row[i])) * 100}%`);
    bar.appendChild(fill);
    const out = document.createElement('output');
    out.textContent = `${(row[i] * 100).toFixed(1)}%`;
    li.append(c, bar, out);
    root.appendChild(li);
  }
}

/**
 * A hidden state over time: `states` is [T][H] (the engine's activations of the recurrent layer);
 * rows are units, columns steps, labelled below by `labels` (one per step). `chosen` (a step or -1)
 * is outlined. The colour scale is fixed at [−1, 1] (tanh-bounded states; a ReLU cell's larger
 * values saturate red).
 */
export function drawHeatmap(canvas, states, labels, chosen, { cell = 0, maxWidth = 460 } = {}) {
  const t = states.length;
  const h = t ? states[0].length : 0;
  const size = cell || Math.max(4, Math.min(16, Math.floor(maxWidth / Math.max(t, 1))));
  const rowH = Math.max(2, Math.min(size, Math.floor(220 / Math.max(h, 1))));
  const labelH = labels ? 16 : 0;
  const dpr = window.devicePixelRatio || 1;
  const w = t * size;
  const hh = h * rowH + labelH;
  canvas.width = Math.max(1, Math.round(w * dpr));
  canvas.height = Math.max(1, Math.round(hh * dpr));
  canvas.style.setProperty('width', `${w}px`);
  canvas.style.setProperty('height', `${hh}px`);
  const g = canvas.getContext('2d');
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, w, hh);
  for (let s = 0; s < t; ++s)
    for (let u = 0; u < h; ++u) {
      const v = Math.max(-1, Math.min(1, states[s][u]));
      g.fillStyle = Number.isFinite(v) ? interpolateRdBu((1 - v) / 2) : '#888';
      g.fillRect(s * size, u * rowH, size, rowH);
    }
  if (chosen >= 0 && chosen < t) {
    g.strokeStyle = '#111';
    g.lineWidth = 2;
    g.strokeRect(chosen * size + 1, 1, size - 2, h * rowH - 2);
  }
  if (labels) {
    g.fillStyle = '#333';
    g.font = `${Math.min(12, size)}px system-ui, sans-serif`;
    g.textAlign = 'center';
    g.textBaseline = 'top';
    for (let s = 0; s < t; ++s) g.fillText(visible(labels[s] ?? ''), s * size + size / 2, h * rowH + 2);
  }
}
