// The output column's file buttons: Save model (the engine's dlplay model JSON, which `dlplay
// eval` reads), Load model (such a file back into the page) and Export as PyTorch (the engine's
// script). ctx: {engine, state(), diverged(), apply(change), say(text, kind)}.
import { download } from '../kit/download.js';
import { stateFromModel } from './model.js';
import { LIMITS, limitText, readText } from '../kit/limits.js';

const name = (state, ext) => `dlplay-${state.dataset}.${ext}`;

export function bindFiles(ctx, t) {
  const $ = (/** @type {string} */ id) => /** @type {any} */ (document.getElementById(id));
  $('save-model').onclick = async () => {
    if (ctx.diverged()) return ctx.say(t('saveDiverged')); // the engine would refuse its NaN weights
    try {
      const model = await ctx.engine.modelJson();
      download(`${JSON.stringify(model, null, 1)}\n`, name(ctx.state(), 'json'), 'application/json');
    } catch (err) {
      ctx.say(t('saveError', { message: err.message }));
    }
  };
  $('export-pytorch').onclick = async () => {
    try {
      download(await ctx.engine.pytorch(), name(ctx.state(), 'py'), 'text/x-python');
    } catch (err) {
      ctx.say(t('modelError', { message: err.message }));
    }
  };
  $('load-model').onchange = async (/** @type {any} */ ev) => {
    const input = ev.target;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    let text;
    try {
      text = await readText(file, LIMITS.modelBytes, 'modelTooBig'); // refused by its size, unread
    } catch (err) {
      return ctx.say(t('modelError', { message: limitText(err, t) }));
    }
    await loadModel(ctx, text, t);
  };
}

/** A model file's text into the page, or a message saying what is wrong with it. */
export async function loadModel(ctx, text, t) {
  try {
    let model;
    try {
      model = JSON.parse(text);
    } catch (err) {
      throw new Error(`not JSON (${err.message})`);
    }
    await ctx.engine.checkModel(model); // the engine's verdict, with its message
    const { change, summary } = stateFromModel(model, ctx.state());
    ctx.apply(change);
    ctx.say(
      t('modelLoaded', {
        features: summary.features,
        layers: summary.layers.length ? summary.layers.join('-') : '0',
        classes: summary.classes ? t('classesCount', { count: summary.classes }) : t('regression'),
      }),
      'info',
    );
  } catch (err) {
    ctx.say(t('modelError', { message: err.message }));
  }
}
