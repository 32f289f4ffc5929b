// The gan view (web/gan.html, lesson 8): a 2-D GAN trained by the engine on this page's thread in
// small budgeted steps per animation frame (the networks are tiny), drawn live. The frame (header,
// language, notes, Share, URL hash, embed API) is the lessons' (../lessons/lesson.js, on the kit).
// Every number shown comes from the engine's Gan (wasm/gan.js): the page formats and draws.
import { startLesson } from '../lessons/lesson.js';
import '../lessons/lesson.css';
import './style.css';
import { STRINGS } from './strings.js';
import { trainBar } from '../lessons/trainbar.js';
import { Plane, heatColour } from './plane.js';
import { GanChart } from './chart.js';
import {
  PARSERS,
  DEFAULTS,
  FORMAT,
  REALS,
  OPTIMIZERS,
  LRS,
  UNITS,
  BATCHES,
  MAX_POINTS,
  specOf,
  settingsOf,
  buildKey,
  settingsKey,
} from './state.js';

const RES = 48; // D's heatmap: RES × RES cells from the engine
const BUDGET_MS = 10; // training time per animation frame
const CHUNK = 4; // steps per call into the engine within that budget
// Controls only: the pictures, the values, the formula and the chart stay under controls=none.
const GROUPS = ['real', 'generator', 'discriminator', 'training', 'show', 'play'];

// Three decimals with a true minus sign; a negative term after "+" in parentheses.
const f3 = (v) => (Number.isFinite(v) ? v.toFixed(3).replace('-', '−') : '–');
const term = (v) => (v < 0 ? `(${f3(v)})` : f3(v));
const options = (list, label = (v) => String(v)) =>
  list.map((v) => `<option value="${v}">${label(v)}</option>`).join('');
const optionsI18n = (list, prefix) =>
  list.map((v) => `<option value="${v}" data-i18n="${prefix}${v}"></option>`).join('');
const field = (id, key, inner) =>
  `<div class="field"><label for="${id}" data-i18n="${key}"></label><select id="${id}">${inner}</select></div>`;
const network = (p, title) => `
  <fieldset class="net" data-group="${p === 'g' ? 'generator' : 'discriminator'}">
    <legend data-i18n="${title}"></legend>
    ${field(`${p}l`, 'hiddenLayers', options([1, 2, 3]))}
    ${field(`${p}u`, 'units', options(UNITS))}
    ${field(`${p}opt`, 'optimizer', options(OPTIMIZERS))}
    ${field(`${p}lr`, 'lr', options(LRS))}
  </fieldset>`;

startLesson({
  id: 'gan',
  strings: STRINGS,
  parsers: PARSERS,
  defaults: DEFAULTS,
  format: FORMAT,
  groups: GROUPS,
  async setup({ content, t, update, engine, embed, notes, getState, changed, forget }) {
    const dl = await engine();
    content.innerHTML = `
      <div class="gan">
        <div class="gan-plane">
          <figure class="plane-box">
            <canvas class="plane" role="img" data-i18n-attr="aria-label:planeLabel"></canvas>
            <div class="legend" aria-hidden="true"><span data-i18n="legendFake"></span><span class="ramp"></span><span data-i18n="legendReal"></span></div>
            <figcaption data-i18n="planeCaption"></figcaption>
          </figure>
          <div class="draw-row" data-group="real">
            <p class="draw-hint" data-i18n="drawHint"></p>
            <button type="button" class="clear" data-i18n="clearDrawing"></button>
          </div>
        </div>
        <div class="gan-side">
          <div class="bar-slot"></div>
          <dl class="metrics">
            <div><dt data-i18n="steps"></dt><dd><output class="m-steps">0</output></dd></div>
            <div><dt data-i18n="dLoss"></dt><dd><output class="m-d">–</output></dd></div>
            <div><dt data-i18n="gLoss"></dt><dd><output class="m-g">–</output></dd></div>
          </dl>
          <section class="formula-box">
            <p class="formula">min<sub>G</sub> max<sub>D</sub> V(D, G) = <span class="term real">E[log D(x)]</span> + <span class="term fake">E[log(1 − D(G(z)))]</span></p>
            <p class="formula values"><span data-i18n="valueLabel"></span> = <output class="v-real">–</output> + <output class="v-fake">–</output> = <output class="v-value">–</output></p>
          </section>
          <figure class="chart-box">
            <div class="chart"></div>
            <figcaption data-i18n="chartCaption"></figcaption>
          </figure>
          <p class="diverged" role="alert" hidden data-i18n="diverged"></p>
          <div class="settings">
            <fieldset data-group="real">
              ${field('real', 'real', optionsI18n(REALS, 'real_'))}
              ${field('noise', 'noise', '<option value="1" data-i18n="noise1"></option><option value="2" data-i18n="noise2"></option>')}
            </fieldset>
            ${network('g', 'generator')}
            ${network('d', 'discriminator')}
            <fieldset data-group="training">
              ${field('k', 'k', options([1, 2, 3, 4, 5, 10]))}
              ${field('batch', 'batch', options(BATCHES))}
              ${field('seed', 'seed', options([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]))}
            </fieldset>
            <fieldset data-group="show">
              <legend data-i18n="show"></legend>
              <label><input type="checkbox" id="heat" /> <span data-i18n="showHeat"></span></label>
              <label><input type="checkbox" id="arrows" /> <span data-i18n="showArrows"></span></label>
            </fieldset>
          </div>
          <h2 data-i18n="formulaTitle"></h2>
          <p class="hint-text" data-i18n="formulaText"></p>
        </div>
      </div>`;
    const $ = (s) => content.querySelector(s);
    const fail = (err) =>
      notes.set('engine', { kind: 'error', text: t('engineError', { message: err.message }) });
    $('.legend .ramp').style.setProperty(
      'background',
      `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map(heatColour).join(', ')})`,
    );

    let current = getState();
    let gan = null;
    let built = null;
    let settings = null;
    let real = null;
    let playing = false;
    let raf = 0;
    let steps = 0;
    let metrics = null;

    const plane = new Plane($('.plane'), {
      maxPoints: MAX_POINTS,
      canDraw: () => current.real === 'points' && !embed.isLocked('real'),
      onDraw: (pts) => update({ pts }),
    });
    const chart = new GanChart($('.chart'));
    const bar = trainBar(t, { play, pause, step: (n) => step(n), reset }, { steps: 50 });
    $('.bar-slot').replaceWith(bar.el);

    for (const id of ['real', 'gopt', 'dopt']) $(`#${id}`).onchange = (e) => update({ [id]: e.target.value });
    for (const id of ['noise', 'gl', 'gu', 'glr', 'dl', 'du', 'dlr', 'k', 'batch', 'seed'])
      $(`#${id}`).onchange = (e) => update({ [id]: Number(e.target.value) });
    for (const id of ['heat', 'arrows']) $(`#${id}`).onchange = (e) => update({ [id]: e.target.checked });
    $('.clear').onclick = () => update({ pts: [] });

    // A new GAN for the state. A change of the distribution or the networks while playing plays on
    // (as in GAN Lab); Reset stops.
    function build(state, { keepPlaying = false } = {}) {
      if (built !== null) forget(); // another experiment: the kept one is not this
      const wasPlaying = playing;
      pause();
      gan?.dispose();
      gan = null;
      real = null;
      steps = 0;
      metrics = null;
      built = buildKey(state);
      settings = settingsKey(state);
      chart.reset();
      $('.diverged').hidden = true;
      notes.set('engine', null);
      const spec = specOf(state);
      if (spec) {
        try {
          gan = dl.gan(spec);
          real = gan.real();
        } catch (err) {
          fail(err);
        }
      }
      refresh();
      if (keepPlaying && wasPlaying) play();
    }

    // Everything drawn, read from the engine now.
    function refresh() {
      if (!gan) {
        plane.draw({ drawn: current.pts });
        for (const c of ['.m-d', '.m-g', '.v-real', '.v-fake', '.v-value']) $(c).textContent = '–';
        $('.m-steps').textContent = '0';
        return;
      }
      metrics = gan.metrics();
      plane.draw({
        grid: current.heat ? gan.discriminator(RES) : null,
        res: RES,
        real,
        generated: gan.generated(),
        arrows: current.arrows ? gan.gradients() : null,
        drawn: current.real === 'points' ? current.pts : [],
      });
      $('.m-steps').textContent = String(steps);
      $('.m-d').textContent = f3(metrics.dLoss);
      $('.m-g').textContent = f3(metrics.gLoss);
      $('.v-real').textContent = f3(metrics.logDReal);
      $('.v-fake').textContent = term(metrics.logOneMinusFake);
      $('.v-value').textContent = f3(metrics.value);
      chart.add(steps, metrics.dLoss, metrics.gLoss);
    }

    // n steps (or as many as the budget allows when n is not given); true when it diverged now.
    function train(n) {
      const start = performance.now();
      let left = n ?? Infinity;
      while (left > 0 && !gan.diverged) {
        const want = Math.min(CHUNK, left);
        steps += gan.step(want).length;
        left -= want;
        if (n === undefined && performance.now() - start > BUDGET_MS) break;
      }
      steps = gan.steps;
      if (!gan.diverged) return false;
      $('.diverged').hidden = false;
      embed.emit('diverged', { step: steps });
      return true;
    }

    function frame() {
      raf = 0;
      if (!playing || !gan) return;
      const diverged = train();
      refresh();
      embed.emit('step', viewMetrics());
      changed();
      if (diverged) pause();
      else raf = requestAnimationFrame(frame);
    }

    function setPlaying(on) {
      playing = on;
      bar.setPlaying(on);
    }
    function play() {
      if (!gan || gan.diverged) return;
      setPlaying(true);
      if (!raf) raf = requestAnimationFrame(frame);
    }
    function pause() {
      setPlaying(false);
      if (raf) cancelAnimationFrame(raf);
      raf = 0;
    }
    function step(n = 1) {
      pause();
      if (gan && !gan.diverged) {
        train(n);
        refresh();
        changed();
      }
      return viewMetrics();
    }
    function reset() {
      build(current);
    }
    const viewMetrics = () => ({ step: steps });

    // Read by the browser test: what the engine says now, as plain arrays.
    /** @type {any} */ (window).dlplayGan = {
      ready: true,
      playing: () => playing,
      steps: () => steps,
      real: () => (real ? Array.from(real) : []),
      generated: () => (gan ? Array.from(gan.generated()) : []),
      metrics: () => (gan ? gan.metrics() : null),
    };

    let resizeTimer = 0;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(() => {
        plane.resize();
        chart.resize();
        refresh();
      }, 150);
    });

    return {
      render(state) {
        current = state;
        // This page lives at the site's root, not in lessons/: the frame's links, from here.
        const nav = document.querySelector('[data-nav="index"]');
        if (nav)
          /** @type {HTMLAnchorElement} */ (nav).href = new URL('./lessons/index.html', location.href).href;
        const home = document.querySelector('[data-nav="playground"]');
        if (home) /** @type {HTMLAnchorElement} */ (home).href = new URL('./index.html', location.href).href;
        for (const id of [
          'real',
          'noise',
          'gl',
          'gu',
          'gopt',
          'glr',
          'dl',
          'du',
          'dopt',
          'dlr',
          'k',
          'batch',
          'seed',
        ])
          /** @type {HTMLSelectElement} */ ($(`#${id}`)).value = String(state[id]);
        for (const id of ['heat', 'arrows'])
          /** @type {HTMLInputElement} */ ($(`#${id}`)).checked = state[id];
        content.querySelector('.gan').classList.toggle('drawing', state.real === 'points');
        $('.draw-row').hidden = state.real !== 'points';
        bar.relabel();
        if (buildKey(state) !== built) build(state, { keepPlaying: true });
        else {
          if (settingsKey(state) !== settings && gan) {
            settings = settingsKey(state);
            try {
              gan.configure(settingsOf(state));
            } catch (err) {
              fail(err);
            }
          }
          refresh();
        }
        const empty = state.real === 'points' && state.pts.length === 0;
        notes.set('draw', empty ? { kind: 'info', text: t('drawEmpty') } : null);
      },
      play,
      pause,
      step,
      reset,
      metrics: viewMetrics,
      snapshot: () => $('.plane'),
      // Kept while training (../kit/keep.js): a reload of the same hash continues from here.
      save: async () => {
        if (!gan) throw new Error('no GAN yet');
        return { checkpoint: gan.checkpoint(), chart: chart.data() };
      },
      load: async (payload) => {
        if (!gan || !payload?.checkpoint) throw new Error('nothing to restore');
        gan.restore(payload.checkpoint);
        steps = gan.steps;
        $('.diverged').hidden = !gan.diverged;
        chart.setData(payload.chart);
        refresh();
        return steps;
      },
      fresh: () => build(current),
    };
  },
});
