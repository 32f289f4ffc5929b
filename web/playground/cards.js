// The network's cards: a neuron's bias and incoming weights, or one weight, to read and edit.
// Each works on the NetworkView (`view`): its root, params, links, names and handlers.
import { t, getLang } from './i18n.js';
import { el, NODE } from './dom.js';
import { linkHelp } from './explain-strings.js';

export function closeCard(view, { refocus = false } = {}) {
  const card = view.card;
  if (!card) return;
  view.card = null;
  card.remove();
  if (card.owner && view.enlarged === card.owner) view.enlarge(null);
  if (refocus) card.owner?.focus();
}

/** The label of a link's weight. */
export function linkLabel(view, link) {
  return t('weightFrom', {
    from:
      link.layer === 0
        ? view.nodeName(-1, link.from, link.fromName)
        : view.nodeName(link.layer - 1, link.from),
    to: view.nodeName(link.layer, link.to),
  });
}

// A card with the bias and the incoming weights of neuron (layer, index): a labelled number field
// each; Enter or leaving a field sets the value; Escape closes the card and returns to the neuron.
export function showNeuronCard(view, owner, layer, index, focus) {
  const params = view.params?.[layer];
  if (!params) return;
  view.closeCard();
  const card = el('div', { className: 'weight-card neuron-card', role: 'dialog' }, view.root);
  card.setAttribute('aria-label', t('neuronEdit', { name: view.nodeName(layer, index) }));
  card.owner = owner;
  // Beside the enlarged heatmap (3 × NODE), right or left; below it when neither side has room.
  const W = 200;
  const right = owner.offsetLeft + 2 * NODE + 8;
  const left = owner.offsetLeft - NODE - 8 - W;
  if (right + W <= view.root.clientWidth || left >= 0) {
    card.style.left = `${right + W <= view.root.clientWidth ? right : left}px`;
    card.style.top = `${Math.max(0, owner.offsetTop - 40)}px`;
  } else {
    const x = Math.min(owner.offsetLeft + NODE / 2 - W / 2, view.root.clientWidth - W);
    card.style.left = `${Math.max(0, x)}px`;
    card.style.top = `${owner.offsetTop + 2 * NODE + 8}px`;
  }
  const head = el('div', { className: 'card-head' }, card);
  el('strong', { text: view.nodeName(layer, index) }, head);
  const close = el('button', { type: 'button', className: 'close', text: '×' }, head);
  close.setAttribute('aria-label', t('dismiss'));
  close.onclick = () => view.closeCard({ refocus: true });
  const fields = [{ layer, index, bias: true, label: `${t('bias')} · ${view.nodeName(layer, index)}` }];
  for (const link of view.links)
    if (link.layer === layer && link.to === index) fields.push({ ...link, label: view.linkLabel(link) });
  card.fields = fields.map((f) => {
    const id = `${f.bias ? 'b' : 'w'}-${f.layer}-${f.index}`;
    const row = el('div', { className: 'row' }, card);
    el('label', { for: id, text: f.label }, row);
    const input = el('input', { type: 'number', id, step: '0.1' }, row);
    const value = () => view.params[f.layer][f.bias ? 'bias' : 'weights'][f.index];
    input.value = Number(value()).toFixed(3);
    input.onchange = () => {
      const v = Number(input.value);
      if (input.value !== '' && Number.isFinite(v)) view.h.editWeight({ ...f, value: v });
    };
    input.onkeydown = (e) => {
      if (e.key === 'Enter') input.onchange();
    };
    return { input, value };
  });
  card.onkeydown = (e) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      view.closeCard({ refocus: true });
    }
  };
  card.addEventListener('focusout', (e) => {
    if (!card.contains(e.relatedTarget) && e.relatedTarget !== owner && e.relatedTarget)
      setTimeout(() => view.card === card && !card.contains(document.activeElement) && view.closeCard(), 0);
  });
  view.card = card;
  view.enlarge(owner); // stays enlarged while its card is open
  if (focus) card.fields[0].input.focus();
}

// A small card to read and edit one weight (or bias).
export function showCard(view, ev, link) {
  const params = view.params?.[link.layer];
  if (!params) return;
  if (view.card?.classList.contains('neuron-card') && view.card.contains(document.activeElement)) return;
  view.closeCard();
  const card = el('div', { className: 'weight-card', role: 'dialog' }, view.root);
  const rect = view.root.getBoundingClientRect();
  card.style.left = `${Math.min(ev.clientX - rect.left + 8, rect.width - 190)}px`;
  card.style.top = `${ev.clientY - rect.top + 8}px`;
  const value = link.bias ? params.bias[link.index] : params.weights[link.index];
  const label = link.bias ? `${t('bias')} · ${view.nodeName(link.layer, link.index)}` : view.linkLabel(link);
  const id = 'weight-input';
  el('label', { for: id, text: label }, card);
  const input = el('input', { type: 'number', id, step: '0.1' }, card);
  if (!link.bias) {
    const from =
      link.layer === 0
        ? view.nodeName(-1, link.from, link.fromName)
        : view.nodeName(link.layer - 1, link.from);
    const help = el('p', { className: 'help' }, card);
    const lang = getLang();
    card.help = () =>
      (help.textContent = linkHelp({ from, to: view.nodeName(link.layer, link.to), weight: read(), lang }));
  }
  input.value = Number(value).toFixed(3);
  input.onchange = () => {
    const v = Number(input.value);
    if (Number.isFinite(v)) view.h.editWeight({ ...link, value: v });
  };
  let inside = false;
  // Closing is idempotent: Enter, Escape, blur and mouse-leave may all ask for it.
  const close = () => view.card === card && view.closeCard();
  card.onmouseenter = () => (inside = true);
  card.onmouseleave = () => {
    inside = false;
    if (document.activeElement !== input) close();
  };
  input.onblur = () => !inside && close();
  input.onkeydown = (e) => {
    if (e.key === 'Enter') input.onchange();
    if (e.key === 'Escape' || e.key === 'Enter') {
      e.preventDefault();
      close();
    }
  };
  const leave = () => setTimeout(() => !inside && document.activeElement !== input && close(), 400);
  ev.target.addEventListener('mouseleave', leave, { once: true });
  // The value follows the training while the card is open, unless it is being edited.
  const read = () => view.params[link.layer][link.bias ? 'bias' : 'weights'][link.index];
  card.fields = [{ input, value: read }];
  card.help?.();
  view.card = card;
}
