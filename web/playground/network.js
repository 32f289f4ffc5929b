// The network diagram: feature nodes (checkboxes with their thumbnails), hidden neurons and the
// output neuron as small heatmaps, links as SVG paths coloured and sized by weight. Rebuilt when
// the network's shape changes (layout()), updated every frame (update()).
import { drawGrid, drawClassMap, drawProbGrid, colorOf } from './heatmap.js';
import { features as allFeatures, activations, DROPOUT_RATES, MAX_LAYERS, MAX_NEURONS } from './state.js';
import { classCount, outputUnits } from './spec.js';
import { t } from './i18n.js';
import { el, NODE } from './dom.js';
import { closeCard, linkLabel, showNeuronCard, showCard } from './cards.js';
import { featureHelp, neuronHelp, biasHelp, outputHelp } from './explain-strings.js';

const SVG = 'http://www.w3.org/2000/svg';
let GAP = 10; // px between neurons; 6 when embedded, so the network fits a 480 px frame

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
  // addNeuron(i), removeNeuron(i), setActivation(i, name), setDropout(i, rate),
  // editWeight({layer, index, bias, value})}; layers are counted over the dense layers.
  constructor(root, handlers) {
    this.root = root;
    this.h = handlers;
    this.featureGrids = null; // {grid, n}: every feature over the plane, from the engine
    this.card = null;
    this.links = []; // {path, layer, index}
    this.nodes = []; // per layer: [canvas]
    this.biases = []; // per layer: [div]
    this.explainer = null; // ./explain.js: what each feature, neuron and bias is, on hover/focus/tap
  }

  explain(element, textFn) {
    this.explainer?.attach(element, textFn);
  }

  layout(state) {
    GAP = document.documentElement.classList.contains('embed') ? 6 : 10;
    const root = this.root;
    root.replaceChildren();
    this.state = state;
    const hidden = state.network;
    const features = state.features;
    const outputs = outputUnits(state);
    this.classes = classCount(state);
    const columns = hidden.length + 2;
    const width = Math.max(root.clientWidth || 560, 300);
    const labelW = 64;
    const left = labelW + 8;
    const right = width - NODE - 8;
    const colX = (i) => (columns === 1 ? left : left + ((right - left) * i) / (columns - 1));
    const rows = Math.max(allFeatures().length, ...hidden, outputs);

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

    // Hidden layers' headers: +/−, the unit count, the activation and dropout menus; the neurons
    // start below the tallest (its height depends on the screen's touch-target sizes).
    const spacing = columns > 1 ? (right - left) / (columns - 1) : 80;
    hidden.forEach((units, l) => {
      const x = colX(l + 1);
      const head = el('div', { className: 'layer-head' }, root);
      head.style.left = `${x}px`;
      head.style.width = `${Math.min(92, spacing - 6)}px`;
      const plus = el('button', { type: 'button', className: 'round small', text: '+', ...group }, head);
      plus.setAttribute('aria-label', t('addNeuron', { n: l + 1 }));
      plus.disabled = units >= MAX_NEURONS;
      plus.onclick = () => this.h.addNeuron(l);
      const minus = el('button', { type: 'button', className: 'round small', text: '−', ...group }, head);
      minus.setAttribute('aria-label', t('removeNeuron', { n: l + 1 }));
      minus.disabled = units <= 1;
      minus.onclick = () => this.h.removeNeuron(l);
      el('div', { className: 'units', text: t('neuronsCount', { count: units }) }, head);
      head.appendChild(this.layerSelect(l, 'activation', activations(), state.activation[l], t));
      head.appendChild(
        this.layerSelect(l, 'dropout', DROPOUT_RATES, state.dropout[l], (r) =>
          r ? t('dropoutRate', { rate: r }) : t('noDropout'),
        ),
      );
    });
    const top = Math.max(
      68,
      ...[...root.querySelectorAll('.layer-head')].map((h) => h.offsetTop + h.offsetHeight + 8),
    );
    const height = top + rows * (NODE + GAP) + 10;
    root.style.height = `${height}px`;

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
    pos.push(
      Array.from({ length: outputs }, (_, i) => ({
        x: colX(columns - 1),
        y: colTop(outputs) + i * (NODE + GAP) + NODE / 2,
      })),
    );
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
      this.explain(label, (lang) => featureHelp(f, lang));
    });

    // Hidden layers: their neurons.
    this.nodes = [];
    this.biases = [];
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
        canvases.push(el('canvas', { className: 'node' }, wrap));
        const b = el('div', { className: 'bias' }, wrap);
        const output = l === hidden.length;
        const bias = () => this.params?.[l]?.bias[i];
        this.explain(wrap, (lang) =>
          output
            ? outputHelp({ classes: this.classes, index: outputs > 1 ? i : undefined, lang })
            : neuronHelp({ layer: l, index: i, activation: state.activation[l], bias: bias(), lang }),
        );
        this.explain(b, (lang) => biasHelp({ bias: bias() ?? 0, lang }));
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

  // A hidden layer's activation or dropout choice, in its header.
  layerSelect(l, what, values, value, label) {
    const select = el('select', {
      className: `layer-${what}`,
      'data-group': what === 'activation' ? 'activation' : 'network',
    });
    select.setAttribute(
      'aria-label',
      t(what === 'activation' ? 'layerActivation' : 'layerDropout', { n: l + 1 }),
    );
    for (const v of values) el('option', { value: String(v), text: label(v) }, select);
    select.value = String(value);
    select.onchange = () =>
      what === 'activation'
        ? this.h.setActivation(l, select.value)
        : this.h.setDropout(l, Number(select.value));
    return select;
  }

  nodeName(layer, i, fromName) {
    if (fromName) return t(fromName);
    if (layer === this.state.network.length)
      return this.pos.at(-1).length > 1 ? t('outputClassName', { k: i }) : t('outputName');
    return t('neuronName', { l: layer + 1, n: i + 1 });
  }

  // The neuron shown enlarged on touch screens (hover and focus do it with CSS).
  enlarge(wrap) {
    if (this.enlarged === wrap) return;
    this.enlarged?.classList.remove('enlarged');
    this.enlarged = wrap;
    wrap?.classList.add('enlarged');
  }

  closeCard(options) {
    closeCard(this, options);
  }

  linkLabel(link) {
    return linkLabel(this, link);
  }

  showNeuronCard(owner, layer, index, focus) {
    showNeuronCard(this, owner, layer, index, focus);
  }

  showCard(ev, link) {
    showCard(this, ev, link);
  }

  // The output neurons: one class map (two classes), a class's probability each (softmax), or the
  // regression's value.
  drawOutputs(frame, grid, n, discretize) {
    const nodes = this.nodes.at(-1);
    const probs = frame.classes?.probabilities;
    if (this.classes && probs && nodes.length === 1)
      drawClassMap(nodes[0], probs, this.classes, n, { discretize });
    else if (this.classes && nodes.length > 1) nodes.forEach((c, u) => drawProbGrid(c, grid, u, n, u));
    else nodes.forEach((c, u) => drawGrid(c, grid, u, n, { discretize }));
  }

  // frame: {grids: [Float32Array] and params: [{weights, bias}] per dense layer, classes?: the output
  // grid's class probabilities}; n: hidden grid size, outN: the output's.
  update(frame, n, outN, discretize) {
    this.params = frame.params;
    // An open neuron card follows the training, except in the field being edited.
    for (const f of this.card?.fields ?? [])
      if (document.activeElement !== f.input) f.input.value = Number(f.value()).toFixed(3);
    this.card?.help?.();
    const layers = this.nodes.length;
    for (let l = 0; l < layers; l++) {
      const g = frame.grids[l];
      if (l === layers - 1) this.drawOutputs(frame, g, outN, discretize);
      else this.nodes[l].forEach((c, u) => drawGrid(c, g, u, n));
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
