// The network diagram: feature nodes (checkboxes with their thumbnails), hidden neurons and the
// output neuron as small heatmaps, links as SVG paths coloured and sized by weight. Rebuilt when
// the network's shape changes (layout()), updated every frame (update()).
import { drawGrid, colorOf } from './heatmap.js';
import { features as allFeatures, MAX_LAYERS, MAX_NEURONS } from './state.js';
import { t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
const NODE = 34; // px, a neuron's heatmap
let GAP = 10; // px between neurons; 6 when embedded, so the network fits a 480 px frame
function el(tag, attrs = {}, parent) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k === 'className') e.className = v;
    else e.setAttribute(k, v);
  }
  parent?.appendChild(e);
  return e;
}

// A feature's thumbnail from the engine's grid of every feature (grid(-1) of a session computing
// them all: [feature][n][n]), each drawn on its own colour range.
function featureThumb(canvas, grids, index) {
  if (!grids) return;
  const { grid, n } = grids;
  let range = 0;
  for (let i = index * n * n; i < (index + 1) * n * n; ++i) range = Math.max(range, Math.abs(grid[i]));
  drawGrid(canvas, grid, index, n, { range: range || 1 });
}

export const linkWidth = (w) => (Number.isFinite(w) ? Math.min(0.6 + Math.abs(w) * 1.6, 9) : 0);

export class NetworkView {
  // root: the container; handlers: {toggleFeature(name, on), addLayer(), removeLayer(),
  // addNeuron(i), removeNeuron(i), editWeight({layer, index, bias, value})}
  constructor(root, handlers) {
    this.root = root;
    this.h = handlers;
    this.featureGrids = null; // {grid, n}: every feature over the plane, from the engine
    this.card = null;
    this.links = []; // {path, layer, index}
    this.nodes = []; // per layer: [canvas]
    this.biases = []; // per layer: [div]
  }

  layout(state) {
    GAP = document.documentElement.classList.contains('embed') ? 6 : 10;
    const root = this.root;
    root.replaceChildren();
    this.state = state;
    const hidden = state.network;
    const features = state.features;
    const columns = hidden.length + 2;
    const width = Math.max(root.clientWidth || 560, 300);
    const labelW = 64;
    const left = labelW + 8;
    const right = width - NODE - 8;
    const colX = (i) => (columns === 1 ? left : left + ((right - left) * i) / (columns - 1));
    const rows = Math.max(allFeatures().length, ...hidden, 1);
    const top = 68;
    const height = top + rows * (NODE + GAP) + 10;
    root.style.height = `${height}px`;

    // Header: hidden layers count with +/−.
    const header = el('div', { className: 'net-header' }, root);
    const group = { 'data-group': 'network' }; // what a teacher can hide or lock when embedding
    const add = el('button', { type: 'button', className: 'round', text: '+', ...group }, header);
    add.setAttribute('aria-label', t('addLayer'));
    add.disabled = hidden.length >= MAX_LAYERS;
    add.onclick = () => this.h.addLayer();
    const rem = el('button', { type: 'button', className: 'round', text: '−', ...group }, header);
    rem.setAttribute('aria-label', t('removeLayer'));
    rem.disabled = hidden.length === 0;
    rem.onclick = () => this.h.removeLayer();
    el(
      'span',
      { className: 'count', id: 'layer-count', text: t('layersCount', { count: hidden.length }) },
      header,
    );

    // Links are drawn on a canvas every frame; transparent SVG paths above it take the hover.
    const dpr = window.devicePixelRatio || 1;
    const canvas = el('canvas', { className: 'links' }, root);
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    this.linkCtx = canvas.getContext('2d');
    this.linkCtx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.size = { width, height };
    const svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'links');
    svg.setAttribute('width', String(width));
    svg.setAttribute('height', String(height));
    svg.setAttribute('aria-hidden', 'true');
    root.appendChild(svg);

    // Node positions (centre y) per column.
    const pos = [];
    const colTop = (count) => top + ((rows - count) * (NODE + GAP)) / 2;
    pos.push(allFeatures().map((f, i) => ({ x: colX(0), y: top + i * (NODE + GAP) + NODE / 2, feature: f })));
    hidden.forEach((units, l) =>
      pos.push(
        Array.from({ length: units }, (_, i) => ({
          x: colX(l + 1),
          y: colTop(units) + i * (NODE + GAP) + NODE / 2,
        })),
      ),
    );
    pos.push([{ x: colX(columns - 1), y: colTop(1) + NODE / 2 }]);
    this.pos = pos;

    // Features: a real checkbox per feature, its name and thumbnail.
    const title = el('div', { className: 'col-title', text: t('features') }, root);
    title.style.left = `${colX(0) - labelW}px`;
    allFeatures().forEach((f, i) => {
      const p = pos[0][i];
      const label = el('label', { className: 'feature' }, root);
      label.style.top = `${p.y - NODE / 2}px`;
      label.style.left = `${p.x - labelW}px`;
      const box = el(
        'input',
        { type: 'checkbox', name: 'feature', value: f, 'data-group': 'features' },
        label,
      );
      box.checked = features.includes(f);
      box.onchange = () => this.h.toggleFeature(f, box.checked);
      el('span', { className: 'fname', text: t(f) }, label);
      const c = el('canvas', { className: 'node' }, label);
      label.classList.toggle('off', !box.checked);
      featureThumb(c, this.featureGrids, i);
    });

    // Hidden layers: per layer a header with +/− and its neurons.
    this.nodes = [];
    this.biases = [];
    hidden.forEach((units, l) => {
      const x = colX(l + 1);
      const head = el('div', { className: 'layer-head' }, root);
      head.style.left = `${x}px`;
      const plus = el('button', { type: 'button', className: 'round small', text: '+', ...group }, head);
      plus.setAttribute('aria-label', t('addNeuron', { n: l + 1 }));
      plus.disabled = units >= MAX_NEURONS;
      plus.onclick = () => this.h.addNeuron(l);
      const minus = el('button', { type: 'button', className: 'round small', text: '−', ...group }, head);
      minus.setAttribute('aria-label', t('removeNeuron', { n: l + 1 }));
      minus.disabled = units <= 1;
      minus.onclick = () => this.h.removeNeuron(l);
      el('div', { className: 'units', text: t('neuronsCount', { count: units }) }, head);
    });
    for (let l = 0; l <= hidden.length; l++) {
      const canvases = [];
      const biases = [];
      pos[l + 1].forEach((p, i) => {
        // A neuron is a button: focus (or a hover, or a tap) enlarges its heatmap; Enter, Space, a
        // click or a tap opens the labelled fields of its bias and of every incoming weight.
        const name = this.nodeName(l, i);
        const wrap = el('div', { className: 'neuron', tabindex: '0', role: 'button' }, root);
        wrap.setAttribute('aria-label', t('neuronEdit', { name }));
        wrap.setAttribute('aria-haspopup', 'dialog');
        wrap.dataset.layer = l;
        wrap.dataset.index = i;
        wrap.style.left = `${p.x - NODE / 2}px`;
        wrap.style.top = `${p.y - NODE / 2}px`;
        wrap.title = name;
        canvases.push(el('canvas', { className: 'node' }, wrap));
        const b = el('div', { className: 'bias' }, wrap);
        b.onmouseenter = (ev) => this.showCard(ev, { layer: l, index: i, bias: true });
        wrap.onclick = (ev) => {
          if (ev.target === b && ev.pointerType === 'mouse') return; // the bias's own card is open
          this.showNeuronCard(wrap, l, i, ev.detail === 0);
        };
        wrap.onkeydown = (ev) => {
          if (ev.key !== 'Enter' && ev.key !== ' ') return;
          ev.preventDefault();
          this.showNeuronCard(wrap, l, i, true);
        };
        biases.push(b);
      });
      this.nodes.push(canvases);
      this.biases.push(biases);
    }

    // Links: a visible path and a wider transparent one to hover.
    this.links = [];
    const fromCols = [pos[0].filter((p) => features.includes(p.feature)), ...pos.slice(1, -1)];
    fromCols.forEach((from, l) => {
      const to = pos[l + 1];
      to.forEach((q, j) =>
        from.forEach((p, i) => {
          const x0 = p.x + NODE / 2;
          const x1 = q.x - NODE / 2;
          const mx = (x0 + x1) / 2;
          const d = `M${x0},${p.y} C${mx},${p.y} ${mx},${q.y} ${x1},${q.y}`;
          const geom = [x0, p.y, mx, q.y, x1];
          const hit = document.createElementNS(SVG, 'path');
          hit.setAttribute('d', d);
          hit.setAttribute('class', 'hit');
          hit.dataset.layer = String(l);
          hit.dataset.index = String(j * from.length + i);
          const link = {
            geom,
            hit,
            layer: l,
            index: j * from.length + i,
            from: i,
            to: j,
            fromName: p.feature,
          };
          hit.addEventListener('mouseenter', (ev) => this.showCard(ev, link));
          hit.addEventListener('click', (ev) => this.showCard(ev, link)); // a tap on a phone
          svg.appendChild(hit);
          this.links.push(link);
        }),
      );
    });
    this.card = null;
    this.enlarged = null;
    if (!this.outside) {
      // A tap (or click) elsewhere shrinks the enlarged neuron and closes the neuron's card.
      this.outside = (ev) => {
        if (this.enlarged && !this.enlarged.contains(ev.target) && !this.card?.contains(ev.target)) {
          this.enlarge(null);
          if (this.card?.classList.contains('neuron-card')) this.closeCard();
        }
      };
      document.addEventListener('pointerdown', this.outside);
    }
  }

  nodeName(layer, i, fromName) {
    if (fromName) return t(fromName);
    if (layer === this.state.network.length) return t('outputName');
    return t('neuronName', { l: layer + 1, n: i + 1 });
  }

  // The neuron shown enlarged on touch screens (hover and focus do it with CSS).
  enlarge(wrap) {
    if (this.enlarged === wrap) return;
    this.enlarged?.classList.remove('enlarged');
    this.enlarged = wrap;
    wrap?.classList.add('enlarged');
  }

  closeCard({ refocus = false } = {}) {
    const card = this.card;
    if (!card) return;
    this.card = null;
    card.remove();
    if (card.owner && this.enlarged === card.owner) this.enlarge(null);
    if (refocus) card.owner?.focus();
  }

  // Label of link's weight.
  linkLabel(link) {
    return t('weightFrom', {
      from:
        link.layer === 0
          ? this.nodeName(-1, link.from, link.fromName)
          : this.nodeName(link.layer - 1, link.from),
      to: this.nodeName(link.layer, link.to),
    });
  }

  // A card with the bias and the incoming weights of neuron (layer, index): a labelled number field
  // each; Enter or leaving a field sets the value; Escape closes the card and returns to the neuron.
  showNeuronCard(owner, layer, index, focus) {
    const params = this.params?.[layer];
    if (!params) return;
    this.closeCard();
    const card = el('div', { className: 'weight-card neuron-card', role: 'dialog' }, this.root);
    card.setAttribute('aria-label', t('neuronEdit', { name: this.nodeName(layer, index) }));
    card.owner = owner;
    // Beside the enlarged heatmap (3 × NODE), right or left; below it when neither side has room.
    const W = 200;
    const right = owner.offsetLeft + 2 * NODE + 8;
    const left = owner.offsetLeft - NODE - 8 - W;
    if (right + W <= this.root.clientWidth || left >= 0) {
      card.style.left = `${right + W <= this.root.clientWidth ? right : left}px`;
      card.style.top = `${Math.max(0, owner.offsetTop - 40)}px`;
    } else {
      const x = Math.min(owner.offsetLeft + NODE / 2 - W / 2, this.root.clientWidth - W);
      card.style.left = `${Math.max(0, x)}px`;
      card.style.top = `${owner.offsetTop + 2 * NODE + 8}px`;
    }
    const head = el('div', { className: 'card-head' }, card);
    el('strong', { text: this.nodeName(layer, index) }, head);
    const close = el('button', { type: 'button', className: 'close', text: '×' }, head);
    close.setAttribute('aria-label', t('dismiss'));
    close.onclick = () => this.closeCard({ refocus: true });
    const fields = [{ layer, index, bias: true, label: `${t('bias')} · ${this.nodeName(layer, index)}` }];
    for (const link of this.links)
      if (link.layer === layer && link.to === index) fields.push({ ...link, label: this.linkLabel(link) });
    card.fields = fields.map((f) => {
      const id = `${f.bias ? 'b' : 'w'}-${f.layer}-${f.index}`;
      const row = el('div', { className: 'row' }, card);
      el('label', { for: id, text: f.label }, row);
      const input = el('input', { type: 'number', id, step: '0.1' }, row);
      const value = () => this.params[f.layer][f.bias ? 'bias' : 'weights'][f.index];
      input.value = Number(value()).toFixed(3);
      input.onchange = () => {
        const v = Number(input.value);
        if (input.value !== '' && Number.isFinite(v)) this.h.editWeight({ ...f, value: v });
      };
      input.onkeydown = (e) => {
        if (e.key === 'Enter') input.onchange();
      };
      return { input, value };
    });
    card.onkeydown = (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.closeCard({ refocus: true });
      }
    };
    card.addEventListener('focusout', (e) => {
      if (!card.contains(e.relatedTarget) && e.relatedTarget !== owner && e.relatedTarget)
        setTimeout(() => this.card === card && !card.contains(document.activeElement) && this.closeCard(), 0);
    });
    this.card = card;
    this.enlarge(owner); // stays enlarged while its card is open
    if (focus) card.fields[0].input.focus();
  }

  // A small card to read and edit one weight (or bias).
  showCard(ev, link) {
    const params = this.params?.[link.layer];
    if (!params) return;
    if (this.card?.classList.contains('neuron-card') && this.card.contains(document.activeElement)) return;
    this.closeCard();
    const card = el('div', { className: 'weight-card', role: 'dialog' }, this.root);
    const rect = this.root.getBoundingClientRect();
    card.style.left = `${Math.min(ev.clientX - rect.left + 8, rect.width - 190)}px`;
    card.style.top = `${ev.clientY - rect.top + 8}px`;
    const value = link.bias ? params.bias[link.index] : params.weights[link.index];
    const label = link.bias
      ? `${t('bias')} · ${this.nodeName(link.layer, link.index)}`
      : this.linkLabel(link);
    const id = 'weight-input';
    el('label', { for: id, text: label }, card);
    const input = el('input', { type: 'number', id, step: '0.1' }, card);
    input.value = Number(value).toFixed(3);
    input.onchange = () => {
      const v = Number(input.value);
      if (Number.isFinite(v)) this.h.editWeight({ ...link, value: v });
    };
    let inside = false;
    card.onmouseenter = () => (inside = true);
    card.onmouseleave = () => {
      inside = false;
      if (document.activeElement !== input) card.remove();
    };
    input.onblur = () => !inside && card.remove();
    input.onkeydown = (e) => {
      if (e.key === 'Escape' || e.key === 'Enter') {
        input.onchange();
        card.remove();
      }
    };
    const leave = () => setTimeout(() => !inside && document.activeElement !== input && card.remove(), 400);
    ev.target.addEventListener('mouseleave', leave, { once: true });
    this.card = card;
  }

  // frame: {grids: [Float32Array], params: [{weights, bias}]}; n: hidden grid size, outN: output's.
  update(frame, n, outN, discretize) {
    this.params = frame.params;
    // An open neuron card follows the training, except in the field being edited.
    for (const f of this.card?.fields ?? [])
      if (document.activeElement !== f.input) f.input.value = Number(f.value()).toFixed(3);
    const layers = this.nodes.length;
    for (let l = 0; l < layers; l++) {
      const g = frame.grids[l];
      const size = l === layers - 1 ? outN : n;
      this.nodes[l].forEach((c, u) =>
        drawGrid(c, g, u, size, { discretize: discretize && l === layers - 1 }),
      );
      const b = frame.params[l].bias;
      this.biases[l].forEach((d, u) => (d.style.background = colorOf(b[u])));
    }
    const ctx = this.linkCtx;
    ctx.clearRect(0, 0, this.size.width, this.size.height);
    ctx.lineCap = 'round';
    ctx.globalAlpha = 0.9;
    for (const link of this.links) {
      const w = frame.params[link.layer].weights[link.index];
      const [x0, y0, mx, y1, x1] = link.geom;
      link.width = linkWidth(w);
      ctx.strokeStyle = colorOf(w);
      ctx.lineWidth = link.width;
      ctx.beginPath();
      ctx.moveTo(x0, y0);
      ctx.bezierCurveTo(mx, y0, mx, y1, x1, y1);
      ctx.stroke();
    }
    // The drawn width of every link, for tests and assistive tools.
    this.root.dataset.linkWidths = this.links.map((l) => l.width.toFixed(2)).join(',');
  }
}
