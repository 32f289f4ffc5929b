// The rnn page (rnn.html): a character-level language model and a parity toy on the page kit.
// Keeps the state and the URL hash in step both ways (the kit's bindHash: a user's change is a
// history entry; a pasted link, Back/Forward or a host's setState is applied as it comes), the
// language, the tabs, and the controls' wiring. See app.js for the parts.
import { app, stats } from './app.js';
import { t, setLang, getLang, apply as applyI18n, detectLang } from './i18n.js';
import {
  parseHash,
  toHash,
  defaultState,
  KEYS,
  TEXTS,
  HIDDEN,
  LENGTHS,
  LEARNING_RATES,
  PARITY_HIDDEN,
  PARITY_LENGTHS,
  cellTypes,
  rnnActivations,
  MIN_OWN_TEXT,
} from './state.js';
import { ownText, setOwnText } from './texts.js';
import {
  model,
  rebuild,
  play,
  pause,
  step,
  resample,
  refresh,
  redraw,
  initCharts,
  resizeCharts,
  setLearningRate,
  showDiverged,
  hold,
  message,
  prefixOf,
  curves,
} from './charmodel.js';
import {
  toy,
  rebuildParity,
  playParity,
  pauseParity,
  stepParity,
  randomBits,
  relabelParity,
} from './parity.js';
import { startKeeping } from './keep.js';
import { startRnnEmbed, ownHash, snapshot, GROUPS } from './embedding.js';
import { connectEngine } from '../kit/engine.js';
import { createNotes } from '../kit/notes.js';
import { bindHash } from '../kit/hash.js';
import { createShare } from '../kit/share.js';
import { bindSelects, fillSelect, setPlayButton } from '../kit/controls.js';
import { registerServiceWorker } from '../offline/register.js';

const $ = (id) => document.getElementById(id);

// Read by the browser tests.
Object.assign(stats, {
  state: () => ({ ...app.state }),
  vocabulary: () => [...model.vocabulary],
  evaluateNow: () => refresh(),
  step: () => model.progress.step,
  curves: () => ({ loss: curves().loss.data(), ppl: curves().ppl.data() }),
  train: (n) => step(n),
  // (a NaN weight makes the engine's next step diverge: the rollback's test)
  setWeight: (layer, index, value) => model.session?.setWeight(layer, index, value),
});
Object.assign(stats.parity, { train: (n) => stepParity(n) });
window.dlplayRnn = stats;

const REBUILD = new Set(['text', 'cell', 'act', 'hidden', 'length', 'seed']);
const RESAMPLE = new Set(['temp', 'mode', 'prefix']);
const PARITY = new Set(['pcell', 'phidden', 'plength', 'seed']);

const changedKeys = (before, after, keys) => keys.filter((k) => before[k] !== after[k]);

function update(change, force = false, userInitiated = true) {
  const before = app.state;
  app.state = { ...before, ...change };
  const keys = force ? Object.keys(change) : changedKeys(before, app.state, Object.keys(change));
  app.hash.write(app.state, { push: userInitiated && keys.length > 0 });
  if (keys.length) app.embed.emit('change', { state: ownHash(), userInitiated });
  return applyChange(keys, force);
}

function applyChange(keys, force) {
  if (keys.includes('lang')) applyLang();
  else syncControls();
  if (keys.includes('tab')) showTab();
  const jobs = [];
  if (force || model.diverged || keys.some((k) => REBUILD.has(k))) jobs.push(rebuild());
  else if (keys.includes('lr')) jobs.push(setLearningRate(app.state.lr));
  else if (keys.some((k) => RESAMPLE.has(k))) jobs.push(resample(false));
  if ((toy.session || app.state.tab === 'parity') && keys.some((k) => PARITY.has(k)))
    jobs.push(rebuildParity());
  return Promise.all(jobs);
}

function applyExternal(h, userInitiated) {
  const { state, problems } = parseHash(h);
  app.notes.setProblems(problems);
  const keys = changedKeys(app.state, state, KEYS);
  app.state = state;
  const done = applyChange(keys, false);
  if (keys.length) app.embed.emit('change', { state: ownHash(), userInitiated });
  return done;
}

// ---------- controls ----------
let selects = null;

function fillControls() {
  fillSelect($('text'), TEXTS, (x) => t(`text_${x}`));
  selects.refresh();
}

function syncControls() {
  const s = app.state;
  $('text').value = s.text;
  selects.sync(s);
  // (the activation is the simple RNN's: LSTM and GRU have their own gates)
  $('act-field').hidden = s.cell !== 'rnn';
  $('temp').value = String(s.temp);
  $('temp-out').textContent = s.temp.toFixed(2);
  $('temp').disabled = s.mode === 'greedy' || $('temp').hasAttribute('data-embed-locked');
  for (const r of document.querySelectorAll(/** @type {'input'} */ ('input[name=mode]')))
    r.checked = r.value === s.mode;
  if (document.activeElement !== $('prefix')) $('prefix').value = s.prefix;
  $('prefix').placeholder = model.text ? prefixOf() : '';
  $('lang').value = getLang();
}

function showTab() {
  const parity = app.state.tab === 'parity';
  $('panel-text').hidden = parity;
  $('panel-parity').hidden = !parity;
  $('tab-text').setAttribute('aria-selected', String(!parity));
  $('tab-parity').setAttribute('aria-selected', String(parity));
  if (parity) {
    hold();
    if (!toy.session) rebuildParity();
  } else {
    pauseParity();
    resizeCharts();
  }
}

function wire(share) {
  const cells = () => cellTypes();
  selects = bindSelects(
    {
      cell: { el: $('cell'), values: cells, label: (c) => t(`cell_${c}`) },
      act: { el: $('act'), values: rnnActivations, label: (a) => t(`act_${a}`) },
      hidden: { el: $('hidden'), values: () => HIDDEN, label: String, parse: Number },
      length: { el: $('length'), values: () => LENGTHS, label: String, parse: Number },
      lr: { el: $('lr'), values: () => LEARNING_RATES, label: String, parse: Number },
      pcell: { el: $('pcell'), values: cells, label: (c) => t(`cell_${c}`) },
      phidden: { el: $('phidden'), values: () => PARITY_HIDDEN, label: String, parse: Number },
      plength: { el: $('plength'), values: () => PARITY_LENGTHS, label: String, parse: Number },
    },
    (change) => update(change),
  );
  $('text').onchange = (e) => update({ text: e.target.value });
  $('play').onclick = () => (model.playing ? pause() : play());
  $('step').onclick = () => step(1).catch((err) => message(err.message));
  $('reset').onclick = () => rebuild(); // (another experiment: the kept one is forgotten)
  $('temp').oninput = (e) => {
    $('temp-out').textContent = Number(e.target.value).toFixed(2);
  };
  $('temp').onchange = (e) => update({ temp: Number(e.target.value) });
  for (const r of document.querySelectorAll(/** @type {'input'} */ ('input[name=mode]')))
    r.onchange = () => update({ mode: r.value });
  $('prefix').onchange = (e) => update({ prefix: e.target.value });
  $('resample').onclick = () => resample(true);
  $('own-text').value = ownText();
  $('own-use').onclick = () => {
    const text = setOwnText($('own-text').value);
    if ([...text].length < MIN_OWN_TEXT) return message(t('ownMissing', { min: MIN_OWN_TEXT }));
    update({ text: 'own' }, true);
  };
  for (const b of document.querySelectorAll('[role=tab]'))
    /** @type {HTMLElement} */ (b).onclick = () =>
      update({ tab: /** @type {HTMLElement} */ (b).dataset.tab });
  $('p-play').onclick = () => (toy.playing ? pauseParity() : playParity());
  $('p-step').onclick = () => stepParity(1).catch((err) => message(err.message));
  $('p-reset').onclick = () => rebuildParity();
  $('p-random').onclick = () => randomBits();
  $('lang').onchange = (e) => update({ lang: e.target.value });
  $('reset-defaults').onclick = (e) => {
    e.preventDefault();
    app.notes.setProblems([]);
    update({ ...defaultState(), lang: app.state.lang }, true);
  };
  $('share').onclick = () => share.open();
}

function applyLang() {
  setLang(app.state.lang ?? detectLang(navigator.languages ?? [navigator.language]));
  applyI18n(document);
  document.title = t('rnnTitle');
  fillControls();
  syncControls();
  setPlayButton($('play'), model.playing, t);
  setPlayButton($('p-play'), toy.playing, t);
  app.notes.render();
  showDiverged();
  redraw();
  relabelParity();
}

async function init() {
  app.update = update;
  app.notes = createNotes($('notes'), t);
  app.embed = startRnnEmbed({ applyExternal });
  const { client, ready } = connectEngine({
    onError: (err) => message(t('engineError', { message: err.message })),
  });
  app.client = client;
  try {
    await ready;
  } catch (err) {
    setLang(detectLang(navigator.languages ?? [navigator.language]));
    applyI18n(document);
    message(t('engineError', { message: err.message }));
    return;
  }
  app.hash = bindHash({ toHash, onExternal: (h) => applyExternal(h, true) });
  const parsed = parseHash(location.hash);
  app.state = parsed.state;
  app.notes.setProblems(parsed.problems);
  const share = createShare({ viewId: 'rnn', t, groups: GROUPS, getHash: ownHash, getLang, snapshot });
  initCharts();
  wire(share);
  applyLang();
  if (!cellTypes().length) {
    message(t('noRecurrent'));
    return;
  }
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(resizeCharts, 150);
  });
  await startKeeping();
  app.hash.write(app.state);
  showTab();
  await rebuild();
  app.embed.ready();
}

init();
registerServiceWorker();
