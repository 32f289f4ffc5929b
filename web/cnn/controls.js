// The controls: their options (from the engine's vocabulary through state.js menusOf, labelled in
// the page's language), the state they show, and their wiring to update(). The selects of the
// optimizer group are the kit's bindSelects; the play button is the kit's.
import { app } from './app.js';
import { $ } from './dom.js';
import { t, getLang } from './i18n.js';
import { applyPreset, newBlock, PRESET_NAMES, MAX_BLOCKS } from './state.js';
import { insertBlock } from './blocks.js';
import { addDrawing, uploadImages, showCollection } from './collection.js';
import { saveJson, saveZip, loadModel } from './save.js';
import { play, pause, step, rebuild, showMessage } from './session.js';
import { fillSelect, bindSelects } from '../kit/controls.js';
import { fillCores, wireCores } from './cores.js';

let optimizerSelects = null; // the kit's bindSelects for optimizer, lr, batch

/** Fills every select with its options in the current language. */
export function fillControls() {
  showCollection(); // the data set menu, with the size of the user's set
  fillSelect($('collect-class'), [...Array(10).keys()], String);
  fillSelect($('preset'), ['', ...PRESET_NAMES], (p) => (p ? t(p) : t('presetChoose')));
  fillSelect($('add-type'), app.menus.blockTypes, t);
  optimizerSelects.refresh();
  fillCores();
}

/** Shows the state's values in the controls. */
export function syncControls() {
  const { state } = app;
  $('dataset').value = state.dataset;
  $('preset').value = '';
  optimizerSelects.sync(state);
  $('lang').value = getLang();
  for (const r of document.querySelectorAll(/** @type {'input'} */ ('input[name=scale]')))
    r.checked = r.value === state.scale;
  $('add').disabled = state.net.length >= MAX_BLOCKS;
}

const report = (promise) => Promise.resolve(promise).catch((err) => showMessage(err.message));

/** Wires every control (once). `onLang(lang)` and `onResetDefaults()` are main.js's. */
export function wireControls({ onLang, onResetDefaults, onShare }) {
  const { menus } = app;
  optimizerSelects = bindSelects(
    {
      optimizer: { el: $('optimizer'), values: () => menus.optimizers, label: t },
      lr: { el: $('lr'), values: () => menus.learningRates, label: String, parse: Number },
      batch: { el: $('batch'), values: () => menus.batches, label: String, parse: Number },
    },
    (change) => app.update(change),
  );
  wireCores(showMessage);
  $('play').onclick = () => (app.playing ? pause() : play());
  $('step').onclick = () => report(step(1));
  $('reset').onclick = () => report(rebuild());
  $('dataset').onchange = (e) => {
    const dataset = e.target.value;
    const mlp = app.state.net.every((b) => b.type !== 'conv');
    // The user's drawings change as they add some: choosing them always rebuilds.
    app.update(mlp ? applyPreset({ ...app.state, dataset }, 'mlp') : { dataset }, dataset === 'mine');
  };
  $('preset').onchange = (e) => e.target.value && app.update(applyPreset(app.state, e.target.value));
  $('add').onclick = () => app.update({ net: insertBlock(app.state.net, newBlock($('add-type').value)) });
  for (const r of document.querySelectorAll(/** @type {'input'} */ ('input[name=scale]')))
    r.onchange = () => app.update({ scale: r.value });
  $('collect').onclick = addDrawing;
  const upload = (e) =>
    report(
      uploadImages(e).then(({ added, skipped }) =>
        showMessage(t('uploaded', { count: added, skipped }), 'info'),
      ),
    );
  $('upload').onchange = upload;
  $('upload-folder').onchange = upload;
  $('save-json').onclick = () => report(saveJson());
  $('save-zip').onclick = () => report(saveZip());
  $('load-model').onchange = loadModel;
  $('lang').onchange = (e) => onLang(e.target.value);
  $('reset-defaults').onclick = (e) => {
    e.preventDefault();
    onResetDefaults();
  };
  $('share').onclick = onShare;
}
