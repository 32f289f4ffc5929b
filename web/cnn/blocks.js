// The block editor: one row per block of the network (its type, its fields within the engine's
// ranges from the vocabulary, move up, remove), the input's shape, and each block's output shape and
// parameter count as the engine built them.
import { t } from './i18n.js';
import { $, el } from './dom.js';
import { BLOCK_LAYERS, fieldValue, menusOf, newBlock } from './state.js';

export const shapeText = (s) => s.join('×');

/** The editor's name (and text key) of an engine layer type: conv2d → conv; others as they are. */
export function blockName(type) {
  return Object.keys(BLOCK_LAYERS).find((b) => BLOCK_LAYERS[b] === type) ?? type;
}

const DECIMAL_STEP = 0.05; // the spinner's step for a field that is not a whole number (a rate)

/**
 * Draws the blocks of `net` into #blocks. `built`: the engine's session info ({inputShape, layers,
 * params}) or null; `inputShape`: the data set's, when nothing is built; `netError`: the engine's
 * message for a network it refused (its layers[i] is marked); onChange(net): the user's edit.
 */
export function renderBlocks({ net, built, inputShape, netError, onChange }) {
  const menus = menusOf();
  const root = $('blocks');
  root.replaceChildren();
  root.append(
    el(
      'li',
      { class: 'block input' },
      el('span', { class: 'block-title', text: t('inputBlock') }),
      el('span', { class: 'shape', text: shapeText(built?.inputShape ?? inputShape) }),
    ),
  );
  const setBlock = (i, block) => onChange(net.map((b, j) => (j === i ? block : b)));
  const bad = netError ? Number(/layers\[(\d+)\]/.exec(netError)?.[1] ?? -1) : -1;
  net.forEach((b, i) => {
    const n = i + 1;
    const type = el('select', { 'aria-label': t('blockType', { n }) });
    for (const bt of menus.blockTypes) type.append(el('option', { value: bt, text: t(bt) }));
    type.value = b.type;
    type.onchange = () => setBlock(i, newBlock(type.value));
    const fields = el('div', { class: 'block-fields' });
    for (const f of menus.fields[b.type] ?? []) {
      let input;
      if (f.options) {
        input = el('select');
        for (const a of f.options) input.append(el('option', { value: a, text: t(a) }));
        input.value = b[f.name];
        input.onchange = () => setBlock(i, { ...b, [f.name]: input.value });
      } else {
        const step = f.integer ? 1 : DECIMAL_STEP;
        input = el('input', { type: 'number', min: f.min, max: f.max, step, value: b[f.name] });
        input.onchange = () => {
          const v = fieldValue(input.value, f);
          if (v === undefined) {
            input.value = b[f.name];
            return;
          }
          setBlock(i, { ...b, [f.name]: v });
        };
      }
      fields.append(el('label', {}, el('span', { text: t(f.name) }), input));
    }
    const layer = built?.layers[i];
    const info = el('span', { class: 'shape' });
    if (layer)
      info.textContent = `→ ${shapeText(layer.outputShape)} · ${layer.params.toLocaleString('en-US')}`;
    info.title = `${t('outputShape')} · ${t('paramsCount')}`;
    const remove = el('button', {
      type: 'button',
      class: 'block-remove',
      text: '×',
      'aria-label': t('removeBlock', { n }),
      title: t('removeBlock', { n }),
    });
    remove.onclick = () => net.length > 1 && onChange(net.filter((_, j) => j !== i));
    const up = el('button', {
      type: 'button',
      class: 'block-up',
      text: '↑',
      'aria-label': t('moveUp', { n }),
      title: t('moveUp', { n }),
    });
    up.disabled = i === 0;
    up.onclick = () => {
      const next = [...net];
      [next[i - 1], next[i]] = [next[i], next[i - 1]];
      onChange(next);
    };
    root.append(
      el(
        'li',
        { class: `block${i === bad ? ' bad' : ''}` },
        el('span', { class: 'block-title', text: `${n}.` }),
        type,
        up,
        remove,
        fields,
        info,
      ),
    );
  });
  const err = $('net-error');
  err.hidden = !netError;
  err.textContent = netError ? t('invalidNet', { message: netError }) : '';
  $('net-total').textContent = built
    ? t('totalParams', { count: built.params, n: built.params.toLocaleString('en-US') })
    : '';
}

/** Where the editor's "Add" puts a new block: before the classifier (the last dense/softmax blocks). */
export function insertBlock(net, b) {
  const classifier = (x) => x.type === 'softmax' || x.type === 'dense';
  const next = [...net];
  let at = next.length;
  while (at > 0 && classifier(next[at - 1]) && !classifier(b)) at--;
  next.splice(at, 0, b);
  return next;
}
