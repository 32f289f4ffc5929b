// The CNN page (cnn.html): starts its parts (see app.js for the layout) on the page kit, keeps the
// state and the URL hash in step both ways (the kit's bindHash: a user's change is a history entry;
// a pasted link, Back/Forward or a host's setState is applied as it comes), and the language.
import { keepExperiment } from '../kit/keep.js';
import { parseHash, toHash, toHyper, defaultState, menusOf, KEYS } from './state.js';
import { t, setLang, getLang, apply as applyI18n, detectLang } from './i18n.js';
import { app, stats } from './app.js';
import { $ } from './dom.js';
import { EvaluationView } from './evaluation.js';
import { SaliencyView } from './saliency.js';
import { startInput, currentInput, showSource, drawSeen, layoutProbs } from './input.js';
import { layoutMaps, layoutFilters, drawMaps, drawFilterFrame } from './maps.js';
import { rebuild, setPlaying, showMessage, showDiverged, renderBlocks, drawInputViews } from './session.js';
import { fillControls, syncControls, wireControls } from './controls.js';
import { startCnnEmbed, ownHash, snapshot, GROUPS } from './embedding.js';
import { connectEngine } from '../kit/engine.js';
import { createNotes } from '../kit/notes.js';
import { bindHash } from '../kit/hash.js';
import { createShare } from '../kit/share.js';
import { registerServiceWorker } from '../offline/register.js';

// Read by the browser tests: the counters of app.js and these views of the engine's state.
Object.assign(stats, {
  input: () => Array.from(currentInput() ?? []),
  shape: () => app.built?.info.inputShape,
  // The engine's evaluation of a split now, as plain numbers (to check what the page shows).
  evaluate: async (split = 'test') => {
    const r = await app.session.evaluate('evaluate', split);
    return {
      count: r.count,
      classes: r.classes,
      loss: r.loss,
      accuracy: r.accuracy,
      confusion: [...r.confusion],
    };
  },
  // The engine's progress now (a step of 0 batches: pauses, trains nothing).
  progress: async () => {
    const m = await app.session.step(0);
    return { step: m.step, epoch: m.epoch, examples: m.examples };
  },
  // Workers training the session (the cores menu's, once its team is up), and the engine's
  // weights end to end; `steps` steps by the engine's worker alone.
  workers: () => app.workers ?? 1,
  parameters: async () => Array.from(await app.session.evaluate('parameterVector')),
  train: (steps) => app.session.step(steps),
  // The engine's hyper-parameters now (to check that the controls reached it).
  hyper: () => app.session.evaluate('hyperparameters'),
  // The last saliency drawn: its values and the class it points to.
  saliency: () => ({
    values: Array.from(app.latestDrawn?.saliency?.[0] ?? []),
    predicted: app.latestDrawn?.classified?.predicted?.[0] ?? null,
  }),
});
window.dlplayCnn = stats;

const REBUILD = new Set(['dataset', 'net', 'seed']);
const HYPER = new Set(['optimizer', 'lr', 'batch']);

const changedKeys = (before, after, keys) =>
  keys.filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));

/**
 * A change of the state from the page: a history entry when the user made it (Back undoes it), a
 * "change" event for a host page. `force` rebuilds whatever changed. Returns the rebuild, if any.
 */
function update(change, force = false, userInitiated = true) {
  const before = app.state;
  app.state = { ...before, ...change };
  const keys = force ? Object.keys(change) : changedKeys(before, app.state, Object.keys(change));
  app.hash.write(app.state, { push: userInitiated && keys.length > 0 });
  if (keys.length) app.embed.emit('change', { state: ownHash(), userInitiated });
  return applyChange(keys, force);
}

// What the page does for the keys that changed.
function applyChange(keys, force) {
  if (keys.includes('lang')) applyLang();
  else syncControls();
  // (a diverged model is not trained on: a new optimizer, rate or batch size starts afresh)
  const fresh = app.diverged && keys.some((k) => HYPER.has(k));
  if (force || fresh || keys.some((k) => REBUILD.has(k))) return rebuild();
  if (keys.some((k) => HYPER.has(k)))
    app.session?.set(toHyper(app.state)).catch((e) => showMessage(e.message));
  if (keys.includes('image')) showSource({ kind: 'test' });
  if (keys.includes('scale') && app.latestDrawn) drawMaps(app.latestDrawn.activations);
}

/** A state from outside (a pasted link, Back/Forward, a host's setState): what differs is applied. */
function applyExternal(h, userInitiated) {
  const { state, problems } = parseHash(h);
  app.notes.setProblems(problems);
  const keys = changedKeys(app.state, state, KEYS);
  app.state = state;
  const done = applyChange(keys, false);
  if (keys.length) app.embed.emit('change', { state: ownHash(), userInitiated });
  return done;
}

// The page in the state's language (or the browser's), every text and label drawn again.
function applyLang() {
  setLang(app.state.lang ?? detectLang(navigator.languages ?? [navigator.language]));
  applyI18n(document);
  document.title = t('cnnTitle');
  fillControls();
  syncControls();
  setPlaying(app.playing);
  app.notes.render();
  showDiverged();
  renderBlocks();
  layoutProbs();
  app.views.evaluation.setLabels();
  app.views.evaluation.render();
  app.views.saliency.relabel();
  if (!app.built) return;
  layoutMaps();
  layoutFilters();
  drawSeen();
  if (app.latestDrawn) {
    if (app.latestDrawn.params) drawFilterFrame(app.latestDrawn.params);
    drawInputViews(app.latestDrawn);
  }
}

async function init() {
  app.update = update;
  app.notes = createNotes($('notes'), t);
  // Embedding first: the page takes its embedded layout (and hides the groups asked for) at once.
  app.embed = startCnnEmbed({ applyExternal });
  startInput();
  app.views.evaluation = new EvaluationView({ onPick: (position) => update({ image: position }) });
  app.views.saliency = new SaliencyView();
  const { client, ready } = connectEngine({
    onError: (err) => {
      setPlaying(false);
      showMessage(t('engineError', { message: err.message }));
    },
  });
  app.client = client;
  // The engine's vocabulary (its optimizers, activations, layers and their ranges) before the URL:
  // the hash is read against it.
  try {
    await ready;
    app.menus = menusOf();
  } catch (err) {
    setLang(detectLang(navigator.languages ?? [navigator.language]));
    applyI18n(document);
    showMessage(t('engineError', { message: err.message }));
    return;
  }
  app.hash = bindHash({ toHash, onExternal: (h) => applyExternal(h, true) });
  const parsed = parseHash(location.hash);
  app.state = parsed.state;
  app.notes.setProblems(parsed.problems);
  const share = createShare({
    viewId: 'cnn',
    t,
    groups: GROUPS,
    getHash: ownHash,
    getLang,
    snapshot,
  });
  wireControls({
    onLang: (lang) => update({ lang }),
    onResetDefaults: () => {
      app.notes.setProblems([]);
      app.keep?.forget();
      update({ ...defaultState(), lang: app.state.lang }, true);
    },
    onShare: () => share.open(),
  });
  applyLang();
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => app.views.evaluation.resize(), 150);
  });
  const charts = app.views.evaluation;
  app.keep = await keepExperiment({
    view: 'cnn',
    notes: app.notes,
    t,
    hash: ownHash,
    save: async () => ({
      checkpoint: await app.session.evaluate('checkpoint'),
      loss: charts.lossChart.data(),
      accuracy: charts.accChart.data(),
    }),
    load: async ({ checkpoint, loss, accuracy }) => {
      await app.session.restore(checkpoint);
      charts.lossChart.setData(loss);
      charts.accChart.setData(accuracy);
      return loss?.x?.at(-1);
    },
    fresh: () => rebuild(),
  });
  app.hash.write(app.state);
  await rebuild();
  app.embed.ready();
}

init();
registerServiceWorker(); // offline, as the MLP page (the data sets are cached when first loaded)
