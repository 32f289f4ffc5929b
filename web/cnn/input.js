// The input the feature maps, the probabilities and the saliency are for: a test image (chosen with
// the arrows, at random, or from the evaluation's thumbnails) or the user's drawing on the pad,
// preprocessed as the data set was. The probabilities are the engine's, for that input.
import { app } from './app.js';
import { $, el } from './dom.js';
import { t } from './i18n.js';
import { DATASETS } from './state.js';
import { drawDigit } from './draw.js';
import { DrawingPad, toMnist, toDigits8 } from './pad.js';
import { exampleOf, exampleSize } from './collection.js';

const wrap = (k, n) => ((k % n) + n) % n;

/** The position of the shown test image in the test split. */
export const testPosition = () => wrap(app.state.image, app.built.test.length);

/** The values of the shown input (CHW, 0..1), or null before a build. */
export function currentInput() {
  const { built, source } = app;
  if (!built) return null;
  if (source.kind === 'draw' && source.input) return source.input;
  return exampleOf(built.set, built.test[testPosition()]);
}

/** Draws the input as the network sees it, with its caption. */
export function drawSeen() {
  const { built, source } = app;
  if (!built) return;
  const [, h, w] = built.set.shape;
  drawDigit($('seen'), currentInput(), w, h, 1);
  $('seen-caption').textContent =
    source.kind === 'draw'
      ? t('drawingCaption')
      : t('imageCaption', {
          k: testPosition() + 1,
          n: built.test.length,
          label: built.set.labels[built.test[testPosition()]],
        });
}

/** Shows another input ({kind: 'test'} or {kind: 'draw', input}); frames then carry its views. */
export function showSource(next) {
  app.source = next;
  if (!app.built) return;
  drawSeen();
  // Frames then carry, for this input, every layer's output, its probabilities and its saliency.
  app.session?.configure({ activations: { input: currentInput(), saliency: true } }).catch(() => {});
}

/** After a build: the drawing if it fits the new data set, else the test image. */
export function showSourceAfterBuild() {
  const pad = app.views.pad;
  pad.lineWidth = DATASETS[app.state.dataset].shape[1] === 28 ? 22 : 36; // the sets' stroke widths
  if (app.source.kind === 'draw') onDraw();
  const fits = app.source.kind === 'draw' && app.source.input?.length === exampleSize(app.built.set);
  showSource(fits ? app.source : { kind: 'test' });
}

// The pad changed (at most once per animation frame): its drawing, preprocessed, becomes the input.
function onDraw() {
  const pad = app.views.pad;
  if (!app.built) return;
  if (pad.empty) return showSource({ kind: 'test' });
  const ink = pad.ink();
  const input = DATASETS[app.state.dataset].shape[1] === 28 ? toMnist(ink) : toDigits8(ink);
  if (input) showSource({ kind: 'draw', input });
}

/** The drawing pad, its Clear button and the test image arrows. */
export function startInput() {
  app.views.pad = new DrawingPad($('pad'), { onChange: onDraw });
  $('clear').onclick = () => app.views.pad.clear();
  $('prev-image').onclick = () => app.update({ image: Math.max(0, app.state.image - 1) });
  $('next-image').onclick = () => app.update({ image: app.state.image + 1 });
  $('random-image').onclick = () =>
    app.update({ image: Math.floor(Math.random() * (app.built?.test.length ?? 100)) });
}

// ---------- probabilities (the engine's, for the shown input) ----------
export function layoutProbs() {
  const root = $('probs');
  root.replaceChildren();
  for (let d = 0; d < 10; ++d) {
    root.append(
      el(
        'li',
        {},
        el('span', { class: 'digit', text: String(d) }),
        el('span', { class: 'prob-bar' }, el('span', { class: 'fill' })),
        el('output', {
          class: 'prob',
          id: `prob-${d}`,
          text: '–',
          'aria-label': `${t('probabilities')} ${d}`,
        }),
      ),
    );
  }
}

/** classified: {classes, predicted, probabilities} of one example (session.classify in the worker). */
export function drawProbs(classified) {
  const p = classified?.probabilities;
  const best = classified?.predicted?.[0];
  const items = $('probs').children;
  for (let d = 0; d < items.length; ++d) {
    const v = p && d < classified.classes ? p[d] : null;
    items[d].querySelector('.fill').style.width = v === null ? '0' : `${(v * 100).toFixed(1)}%`;
    items[d].querySelector('output').textContent = v === null ? '–' : v.toFixed(3);
    items[d].classList.toggle('best', d === best);
  }
}
