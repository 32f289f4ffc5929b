// The MLP page's controls: the selects built from a schema (the kit's bindSelects), the sliders
// with their shown values, and the checkboxes, each change going through update().
import { bindSelects, fillSelect } from '../kit/controls.js';
import { t, getLang } from './i18n.js';
import {
  datasets,
  activations,
  optimizers,
  regularizations,
  PROBLEMS,
  LEARNING_RATES,
  SPEEDS,
  REGULARIZATION_RATES,
  STOP_EPOCHS,
  STOP_LOSSES,
  MAX_CLASSES,
  losses,
  classRange,
  isClassification,
} from './state.js';
import { classCount } from './spec.js';

/** @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);
const SLIDERS = { ratio: (v) => `${v}%`, noise: String, batch: String };
let selects;

/** Wires every control to update(change). */
export function bindControls(update) {
  selects = bindSelects(
    {
      lr: { el: $('lr'), values: () => LEARNING_RATES, label: String, parse: Number },
      optimizer: { el: $('optimizer'), values: optimizers, label: t },
      reg: { el: $('reg'), values: regularizations, label: t },
      regRate: { el: $('regRate'), values: () => REGULARIZATION_RATES, label: String, parse: Number },
      problem: { el: $('problem'), values: () => PROBLEMS, label: t },
      loss: { el: $('loss'), values: losses, label: t },
      classes: { el: $('classes'), values: classValues, label: String, parse: Number },
      stopEpoch: {
        el: $('stopEpoch'),
        values: () => [null, ...STOP_EPOCHS],
        label: (v) => (v === null ? t('never') : String(v)),
        parse: orNull,
      },
      stopLoss: {
        el: $('stopLoss'),
        values: () => [null, ...STOP_LOSSES],
        label: (v) => (v === null ? t('never') : `≤ ${v}`),
        parse: orNull,
      },
      speed: {
        el: $('speed'),
        values: () => SPEEDS,
        label: (v) => (v ? `${v}×` : t('speedMax')),
        parse: Number,
      },
    },
    // A new problem type starts on its first data set.
    (c) => update(c.problem ? { ...c, dataset: datasets(c.problem)[0], points: null } : c),
  );
  // The activation of every hidden layer at once (each layer has its own in the network).
  $('activation').onchange = (/** @type {any} */ e) =>
    e.target.value && update({ activation: activationState.network.map(() => e.target.value) });
  for (const [key, show] of Object.entries(SLIDERS)) {
    $(key).oninput = (/** @type {any} */ e) => ($(`${key}-out`).textContent = show(e.target.value));
    $(key).onchange = (/** @type {any} */ e) => update({ [key]: Number(e.target.value) });
  }
  for (const key of ['showTest', 'discretize'])
    $(key).onchange = (/** @type {any} */ e) => update({ [key]: e.target.checked });
}

const orNull = (v) => (v === 'null' ? null : Number(v));
const classValues = () => Array.from({ length: MAX_CLASSES - 1 }, (_, i) => i + 2);
let activationState = { network: [] };

/** The options in the current language. */
export function fillControls() {
  selects.refresh();
  fillSelect($('activation'), ['', ...activations()], (a) => (a ? t(a) : t('mixed')));
}

/** Every control shows `state`. */
export function syncControls(state, picker) {
  selects.sync(state);
  for (const [key, show] of Object.entries(SLIDERS)) {
    $(key).value = state[key];
    $(`${key}-out`).textContent = show(state[key]);
  }
  $('showTest').checked = state.showTest;
  $('discretize').checked = state.discretize;
  $('lang').value = getLang();
  $('noise').disabled = state.dataset === 'custom';
  // One activation for all layers, or "mixed" (disabled without hidden layers).
  activationState = state;
  const acts = state.activation;
  $('activation').value = acts.length && acts.every((a) => a === acts[0]) ? acts[0] : '';
  $('activation').disabled = acts.length === 0;
  $('activation').querySelector('option[value=""]').disabled = true;
  // The class count, for the built-in sets that take one.
  $('classes-field').hidden = !isClassification(state) || !classRange(state.dataset);
  $('classes').value = String(classCount(state) || 2);
  // Cross-entropy is for classification.
  $('loss').disabled = !isClassification(state);
  picker.render(state);
}
