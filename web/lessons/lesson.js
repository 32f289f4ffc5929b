// The frame every lesson stands on: the site header (the lessons index, the playgrounds, the
// language), the lesson's title and text, notes, the Share dialog, state ⇄ URL hash, and the embed
// API. A lesson gives its strings, its hash keys and a setup() that builds its content:
//
//   startLesson({
//     id: 'network',                       // its entry in ../views.js
//     strings: { en: {...}, zh: {...} },   // with intro (the lesson's text); title comes from views.js
//     parsers: { x1: num(-5, 5) },         // hash keys (../kit/hash.js's readParams), lang is the frame's
//     defaults: { x1: 1 },
//     groups: ['inputs', 'weights'],        // data-group names a teacher can hide or lock
//     async setup(ctx) { … return view },
//   });
//
// ctx: {content (the lesson's element), t, getState(), update(change, {userInitiated = true}),
//       engine() → Promise<Engine> on this thread, worker() → {client, ready} (training), notes,
//       embed, lang(), changed(), forget()}. view: {render(state) (every state or language
//       change), play?, pause?, step?(n) → metrics, reset?, metrics?() → {step, epoch, trainLoss, …},
//       snapshot() → canvas, save?, load?, fresh?}.
//
// Keeping the experiment (../kit/keep.js): a view that trains offers
//   save(): Promise<payload>     what it continues from (its sessions' checkpoints, through
//                                remote.evaluate('checkpoint'), its curves): plain data
//   load(payload): Promise<epoch>  restores it into the sessions its first render built (awaiting
//                                the build), returns the epoch the note shows (epochOf(checkpoint));
//                                throws when the payload does not fit (then it is dropped)
//   fresh?()                     "Start fresh": the experiment from its link (default: reset())
// and calls ctx.changed() whenever its training moved on (a frame with step > 0, a Step) and
// ctx.forget() when it went back to its start (Reset). The frame then saves (hash and payload, at
// most every 2 s, per tab) and, after setup and the first render, restores a saved experiment of the
// same hash, with the kit's "restored" note and its "Start fresh" button; a language change re-saves
// a trained experiment under its new hash. `await ctx.restored()` waits for that restore (true when
// the experiment continued).
import '../kit/kit.css';
import './lesson.css';
import { createI18n, detectLang, LANGS } from '../kit/i18n.js';
import { readParams, bindHash } from '../kit/hash.js';
import { createNotes } from '../kit/notes.js';
import { createShare } from '../kit/share.js';
import { startEmbed, cleanMetrics } from '../kit/embed.js';
import { loadDirectEngine, connectEngine } from '../kit/engine.js';
import { keepExperiment } from '../kit/keep.js';
import { VIEWS, viewById } from '../views.js';

const FRAME_STRINGS = {
  en: {
    lessonsIndex: 'Lessons',
    toPlayground: 'Playground',
    language: 'Language',
    lessonNumber: 'Lesson {n}',
    engineError: 'The engine failed: {message}',
    group_share: 'Share',
  },
  zh: {
    lessonsIndex: '课程',
    toPlayground: '游乐场',
    language: '语言',
    lessonNumber: '第 {n} 课',
    engineError: '引擎出错：{message}',
    group_share: '分享',
  },
};

export { num, int, oneOf, flag } from '../kit/hash.js';

/** The epoch a checkpoint's training reached (examples seen over the training split's size). */
export const epochOf = (cp) => (cp?.trainSize ? cp.examples / cp.trainSize : (cp?.step ?? 0));

function formatValue(v) {
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (Array.isArray(v)) return v.join(',');
  return String(v);
}

export async function startLesson({ id, strings, parsers, defaults, groups = [], setup, format = {} }) {
  const info = viewById(id);
  const i18n = createI18n({
    en: { ...FRAME_STRINGS.en, ...strings.en },
    zh: { ...FRAME_STRINGS.zh, ...strings.zh },
  });
  const { t } = i18n;
  const allParsers = { ...parsers, lang: (s) => (LANGS.includes(s) ? s : undefined) };
  const parse = (hash) => {
    const state = { ...defaults, lang: null };
    const problems = readParams(hash, allParsers, state);
    return { state, problems };
  };
  const toHash = (state) => {
    const params = [];
    for (const key of Object.keys(allParsers)) {
      const v = state[key];
      if (v === null || v === undefined) continue;
      const text = (format[key] ?? formatValue)(v);
      if (key !== 'lang' && text === (format[key] ?? formatValue)(defaults[key])) continue;
      params.push(`${key}=${encodeURIComponent(text).replace(/%2C/g, ',')}`);
    }
    return params.length ? `#${params.join('&')}` : '';
  };
  const ownHash = () => toHash(state).replace(/^#/, '');

  const page = document.createElement('div');
  page.className = 'lesson';
  page.innerHTML = `
    <header class="site">
      <nav class="site-nav">
        <a data-nav="index"></a>
        <a data-nav="playground"></a>
      </nav>
      <div class="site-tools">
        <label for="lang"></label>
        <select id="lang"><option value="en">English</option><option value="zh">中文</option></select>
        <button type="button" id="share" data-group="share"></button>
      </div>
    </header>
    <main>
      <p class="lesson-number"></p>
      <h1 id="lesson-title"></h1>
      <p class="intro"></p>
      <div id="notes"></div>
      <div class="lesson-content"></div>
    </main>`;
  document.body.replaceChildren(page);
  const $ = (sel) => page.querySelector(sel);
  const notes = createNotes($('#notes'), t);

  let { state, problems } = parse(location.hash);
  notes.setProblems(problems);
  let view = null;
  const applyLang = () => {
    i18n.setLang(state.lang ?? detectLang(navigator.languages ?? [navigator.language]));
    const lang = i18n.getLang();
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    const title = info.title[lang];
    document.title = `${title} · dlplay`;
    $('#lesson-title').textContent = title;
    $('.lesson-number').textContent = info.lesson ? t('lessonNumber', { n: info.lesson }) : '';
    $('.intro').textContent = t('intro');
    $('[data-nav="index"]').textContent = t('lessonsIndex');
    $('[data-nav="index"]').href = new URL('./index.html', location.href).href;
    $('[data-nav="playground"]').textContent = t('toPlayground');
    $('[data-nav="playground"]').href = new URL(`../${VIEWS[0].page}`, location.href).href;
    $('label[for="lang"]').textContent = t('language');
    $('#lang').value = lang;
    $('#share').textContent = t('share');
    i18n.apply(page);
    notes.render();
  };

  const hash = bindHash({
    toHash,
    onExternal: (h) => {
      ({ state, problems } = parse(h));
      notes.setProblems(problems);
      applyLang();
      view?.render(state);
      embed.emit('change', { state: ownHash(), userInitiated: true });
    },
  });
  let keep = null; // the autosave, for a view with save() and load()
  let trained = false; // changed() since the last forget(): something worth keeping
  const update = (change, { userInitiated = true } = {}) => {
    state = { ...state, ...change };
    hash.write(state, { push: userInitiated });
    if (Object.hasOwn(change, 'lang')) {
      applyLang();
      if (trained) keep?.changed(); // the same experiment under its new hash
    }
    view?.render(state);
    embed.emit('change', { state: ownHash(), userInitiated });
  };
  const noMetrics = () => cleanMetrics({});
  const embed = startEmbed({
    id,
    api: {
      play: () => view?.play?.(),
      pause: () => view?.pause?.(),
      step: async (n = 1) => cleanMetrics((await view?.step?.(n)) ?? {}),
      reset: () => view?.reset?.(),
      getState: () => ({
        state: ownHash(),
        metrics: view?.metrics ? cleanMetrics(view.metrics()) : noMetrics(),
      }),
      setState: (h) => {
        ({ state, problems } = parse(`#${String(h).replace(/^#/, '')}`));
        notes.setProblems(problems);
        hash.write(state);
        applyLang();
        view?.render(state);
        embed.emit('change', { state: ownHash(), userInitiated: false });
      },
      snapshot: () => view?.snapshot?.() ?? document.createElement('canvas'),
    },
  });
  $('#lang').onchange = (e) => update({ lang: /** @type {HTMLSelectElement} */ (e.target).value });
  const share = createShare({
    viewId: id,
    t,
    groups: [...groups, 'share'],
    getHash: ownHash,
    getLang: i18n.getLang,
    snapshot: () => view?.snapshot?.() ?? document.createElement('canvas'),
  });
  $('#share').onclick = () => share.open();
  applyLang();

  let direct = null;
  let worker = null;
  let restoredNow;
  const restored = new Promise((resolve) => (restoredNow = resolve));
  const ctx = {
    changed: () => {
      trained = true;
      keep?.changed();
    },
    forget: () => {
      trained = false;
      keep?.forget();
    },
    restored: () => restored,
    content: $('.lesson-content'),
    t,
    lang: i18n.getLang,
    getState: () => state,
    update,
    notes,
    embed,
    engine: () => (direct ??= loadDirectEngine()),
    worker: () =>
      (worker ??= connectEngine({
        onError: (err) =>
          notes.set('engine', { kind: 'error', text: t('engineError', { message: err.message }) }),
      })),
  };
  try {
    view = await setup(ctx);
    i18n.apply(page);
    view.render(state);
    hash.write(state);
    if (view.save && view.load) {
      const v = view;
      keep = await keepExperiment({
        view: id,
        notes,
        t,
        hash: ownHash,
        save: () => v.save(),
        load: (payload) => v.load(payload),
        fresh: () => {
          trained = false;
          return v.fresh ? v.fresh() : v.reset?.();
        },
      });
      const back = await keep.restore();
      trained ||= back;
      restoredNow(back);
    } else restoredNow(false);
    embed.ready();
  } catch (err) {
    restoredNow(false);
    notes.set('engine', { kind: 'error', text: t('engineError', { message: err?.message ?? String(err) }) });
  }
  return { state: () => state, view: () => view };
}
