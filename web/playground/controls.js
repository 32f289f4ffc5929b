// The MLP page's controls: the selects built from a schema (the kit's bindSelects), the sliders
// with their shown values, and the checkboxes, each change going through update().
import { bindSelects } from '../kit/controls.js';
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
} from './state.js';

/** @type {(id: string) => any} */
const $ = (id) => document.getElementById(id);
const SLIDERS = { ratio: (v) => `${v}%`, noise: String, batch: String };
let selects;

/** Wires every control to update(change). */
export function bindControls(update) {
  selects = bindSelects(
    {
      lr: { el: $('lr'), values: () => LEARNING_RATES, label: String, parse: Number },
      activation: { el: $('activation'), values: activations, label: t },
      optimizer: { el: $('optimizer'), values: optimizers, label: t },
      reg: { el: $('reg'), values: regularizations, label: t },
      regRate: { el: $('regRate'), values: () => REGULARIZATION_RATES, label: String, parse: Number },
      problem: { el: $('problem'), values: () => PROBLEMS, label: t },
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
  for (const [key, show] of Object.entries(SLIDERS)) {
    $(key).oninput = (/** @type {any} */ e) => ($(`${key}-out`).textContent = show(e.target.value));
    $(key).onchange = (/** @type {any} */ e) => update({ [key]: Number(e.target.value) });
  }
  for (const key of ['showTest', 'discretize'])
    $(key).onchange = (/** @type {any} */ e) => update({ [key]: e.target.checked });
}

/** The options in the current language. */
export function fillControls() {
  selects.refresh();
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
  picker.render(state);
}
