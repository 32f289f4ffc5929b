// The character model's samples and its chosen character: a sample from the engine at the state's
// temperature and start text, a stretch of the training text to click into, and for the chosen
// character the engine's next-character probabilities and the hidden states of its window.
import { app, stats } from './app.js';
import { t } from './i18n.js';
import { encode, sample, inspect } from './engine.js';
import { drawText, drawProbs, drawHeatmap, visible } from './draw.js';
import { model, message, prefixOf } from './charmodel.js';

const $ = (id) => document.getElementById(id);
const SAMPLE_LENGTH = 200;
const EXCERPT_LENGTH = 240;

// A stretch of the training text, as the engine's ids, to click into.
export async function showExcerpt() {
  const chars = [...model.text];
  const text = chars.slice(0, Math.max(EXCERPT_LENGTH, model.spec.input[0])).join('');
  model.excerpt = { text, ids: await encode(model.session, text) };
  drawExcerpt();
}

const drawExcerpt = () =>
  drawText(
    $('excerpt'),
    model.excerpt.text,
    model.chosen?.where === 'excerpt' ? model.chosen.pos : -1,
    (pos) => pick('excerpt', pos),
  );
const drawSample = () =>
  drawText($('sample'), model.sample.text, model.chosen?.where === 'sample' ? model.chosen.pos : -1, (pos) =>
    pick('sample', pos),
  );

function pick(where, pos) {
  model.chosen = { where, pos };
  drawSample();
  drawExcerpt();
  showChosen().catch((err) => message(t('engineError', { message: err.message })));
}

/** A new sample from the engine at the state's temperature (greedy: 0) and start text. */
export async function resample(fresh = true) {
  const s = model.session;
  if (!s) return;
  if (fresh) model.resampleSeed++;
  const temperature = app.state.mode === 'greedy' ? 0 : app.state.temp;
  let r;
  try {
    r = await sample(s, {
      prefix: prefixOf(),
      length: SAMPLE_LENGTH,
      temperature,
      seed: app.state.seed + model.resampleSeed,
    });
  } catch (err) {
    if (s === model.session) {
      model.prefixProblem = true;
      message(t('notInVocabulary', { message: err.message }));
    }
    return;
  }
  if (s !== model.session) return;
  // (the engine's text is what it wrote after the start text; shown after it)
  const text = prefixOf() + r.text;
  const ids = await encode(s, text);
  model.sample = { text, ids };
  stats.samples++;
  stats.sample = text;
  if (model.prefixProblem) message('');
  model.prefixProblem = false;
  drawSample();
  await showChosen();
}

// The chosen character (or, before a click, the last one of the sample's start text): the
// probabilities after it and the hidden states of its window.
export async function showChosen() {
  const s = model.session;
  const T = model.spec?.input[0];
  if (!s || !T) return;
  const chosen = model.chosen ?? { where: 'sample', pos: Math.max([...prefixOf()].length - 1, 0) };
  const source = chosen.where === 'excerpt' ? model.excerpt : model.sample;
  if (source.ids.length < T || chosen.pos >= source.ids.length) return;
  const r = await inspect(s, source.ids, chosen.pos, T, model.layer);
  if (s !== model.session) return;
  const chars = [...source.text];
  const context = chars
    .slice(Math.max(0, chosen.pos - 11), chosen.pos + 1)
    .map(visible)
    .join('');
  $('probs-caption').textContent = t('probsCaption', { context, pos: chosen.pos + 1 });
  drawProbs($('probs'), model.vocabulary, r.probs[r.step], chars[chosen.pos + 1] ?? null, {
    label: t('actualNext'),
  });
  const labels = chars.slice(r.start, r.start + T);
  drawHeatmap($('heatmap'), r.states, labels, r.step, {
    maxWidth: $('heatmap').parentElement.clientWidth - 4,
  });
  $('heatmap-caption').textContent = t('heatmapCaption', { h: r.states[0]?.length ?? 0, t: T });
}
