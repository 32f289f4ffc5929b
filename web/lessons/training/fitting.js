// Step 5 of lesson 4, testing: a small and a big network trained side by side in the worker on 12
// noisy points and tested on 36 others; training and test loss of both on one chart, both fits
// over the points. The small one underfits (both losses stay high), the big one overfits (its
// training loss falls to almost 0 while its test loss climbs).
import { Curves } from '../curves.js';
import { trainBar } from '../trainbar.js';
import { fitSpec, FIT_DATA, SMALL, BIG } from './model.js';

const NETS = ['small', 'big'];
const COLORS = { small: '#e06a2c', big: '#0877bd' };
const STEPS_PER_FRAME = 5;
const W = 320;
const H = 200;
const GRID = Array.from({ length: 121 }, (_, i) => [-3 + i / 20]);
const fmt = (v) => (Number.isFinite(v) ? (v >= 0.001 || v === 0 ? v.toFixed(4) : v.toExponential(2)) : '–');
const hiddenOf = (k, state) => (k === 'small' ? [state.small] : [state.big, state.big]);

// changed(): its training moved on; forget(): it went back to its start (Reset). save() and load()
// give and take its part of the lesson's autosave (../lesson.js).
export function fittingPanel(root, { t, client, embed, update, onError, changed, forget }) {
  const metric = (k, split) =>
    `<div><dt data-i18n="${k}_${split}"></dt><dd><output data-k="${k}_${split}" data-i18n-attr="aria-label:${k}_${split}">–</output></dd></div>`;
  root.innerHTML = `
    <p class="hint-text" data-i18n="fitText"></p>
    <div class="fit-controls" data-group="networks">
      <div class="field"><label for="small" data-i18n="smallLabel"></label>
        <select id="small">${SMALL.map((n) => `<option value="${n}">${n}</option>`).join('')}</select></div>
      <div class="field"><label for="big" data-i18n="bigLabel"></label>
        <select id="big">${BIG.map((n) => `<option value="${n}">${n}</option>`).join('')}</select></div>
    </div>
    <div class="bar-slot"></div>
    <div class="fit-row">
      <figure class="fit-plot" role="img" data-i18n-attr="aria-label:fitPlot"></figure>
      <figure class="fit-chart" role="img" data-i18n-attr="aria-label:fitChart"></figure>
    </div>
    <dl class="metrics">${NETS.map((k) => metric(k, 'train') + metric(k, 'test')).join('')}
      <div><dt data-i18n="steps"></dt><dd><output class="fit-steps" data-i18n-attr="aria-label:stepsLabel">0</output></dd></div></dl>`;
  const $ = (s) => root.querySelector(s);
  const canvas = document.createElement('canvas');
  const dpr = window.devicePixelRatio || 1;
  canvas.width = W * dpr;
  canvas.height = H * dpr;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  $('.fit-plot').append(canvas);
  const chart = new Curves($('.fit-chart'), {
    series: NETS.flatMap((k) => [
      { label: `${k} train`, stroke: COLORS[k] },
      { label: `${k} test`, stroke: COLORS[k], dash: [5, 4] },
    ]),
    logY: true,
    height: 170,
  });
  const bar = trainBar(t, { play, pause, step: (n) => step(n), reset }, { steps: 100 });
  $('.bar-slot').replaceWith(bar.el);
  $('#small').onchange = (e) => update({ small: +e.target.value });
  $('#big').onchange = (e) => update({ big: +e.target.value });

  let sessions = null;
  let building = null;
  let builtKey = null;
  let seq = 0;
  let playing = false;
  let split = null;
  const fits = { small: null, big: null };
  const busy = { small: false, big: false };
  const metrics = { small: {}, big: {} };

  function plot() {
    const sx = (x) => 22 + ((x + 3) / 6) * (W - 30);
    const sy = (y) => 8 + ((1.8 - y) / 3.6) * (H - 24);
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, W, H);
    ctx.strokeStyle = '#ddd';
    ctx.beginPath();
    ctx.moveTo(sx(-3), sy(0));
    ctx.lineTo(sx(3), sy(0));
    ctx.stroke();
    ctx.fillStyle = '#666';
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (let x = -3; x <= 3; ++x) ctx.fillText(String(x), sx(x), H - 4);
    ctx.save();
    ctx.beginPath();
    ctx.rect(sx(-3), 0, W, sy(-1.8));
    ctx.clip();
    for (const k of NETS) {
      if (!fits[k]) continue;
      ctx.strokeStyle = COLORS[k];
      ctx.lineWidth = 2;
      ctx.beginPath();
      GRID.forEach(([x], i) => (i ? ctx.lineTo(sx(x), sy(fits[k][i])) : ctx.moveTo(sx(x), sy(fits[k][i]))));
      ctx.stroke();
    }
    ctx.restore();
    if (!split) return;
    const point = (i, train) => {
      ctx.beginPath();
      ctx.arc(sx(FIT_DATA.x[i][0]), sy(FIT_DATA.y[i][0]), train ? 4 : 3, 0, 2 * Math.PI);
      ctx.lineWidth = 1.5;
      if (train) {
        ctx.fillStyle = '#111';
        ctx.fill();
      } else {
        ctx.strokeStyle = '#888';
        ctx.stroke();
      }
    };
    split.test.forEach((i) => point(i, false));
    split.train.forEach((i) => point(i, true));
  }

  function show(k, m) {
    metrics[k] = m ?? {};
    $(`[data-k="${k}_train"]`).textContent = fmt(metrics[k].trainLoss);
    $(`[data-k="${k}_test"]`).textContent = fmt(metrics[k].testLoss);
    if (k === 'big') $('.fit-steps').textContent = String(metrics.big.step ?? 0);
  }

  // The fit over the grid, asked of the worker after a frame (one request at a time per network).
  async function refit(k, s) {
    if (busy[k]) return;
    busy[k] = true;
    try {
      const rows = await s.evaluate('predict', GRID);
      if (s === sessions?.[k]) {
        fits[k] = rows.map((r) => r[0]);
        plot();
      }
    } catch {
      // a session disposed meanwhile
    } finally {
      busy[k] = false;
    }
  }

  function setPlaying(on) {
    playing = on;
    bar.setPlaying(on);
  }

  async function rebuild(state) {
    const my = ++seq;
    builtKey = `${state.small}|${state.big}`;
    for (const s of Object.values(sessions ?? {})) s.dispose().catch(() => {});
    sessions = null;
    fits.small = fits.big = null;
    chart.reset();
    NETS.forEach((k) => show(k, {}));
    try {
      const built = await Promise.all(NETS.map((k) => client.build(fitSpec(hiddenOf(k, state)))));
      if (my !== seq) return void built.forEach((s) => s.dispose().catch(() => {}));
      sessions = { small: built[0], big: built[1] };
      split = { train: [...built[0].data.train], test: [...built[0].data.test] };
      NETS.forEach((k, i) => {
        const s = sessions[k];
        s.onFrame((f) => {
          if (s !== sessions?.[k] || f.metrics?.step === undefined) return;
          show(k, f.metrics);
          chart.add(2 * i, f.metrics.step, f.metrics.trainLoss);
          chart.add(2 * i + 1, f.metrics.step, f.metrics.testLoss);
          if (playing && k === 'big') embed.emit('step', f.metrics);
          refit(k, s);
          if (f.metrics.step > 0 && !f.metrics.diverged) changed();
        });
        s.onError((err) => {
          setPlaying(false);
          onError(err);
        });
      });
      if (playing) await Promise.all(built.map((s) => s.play(STEPS_PER_FRAME)));
    } catch (err) {
      if (my === seq) onError(err);
    }
  }
  async function ready() {
    for (let b = null; !sessions && b !== building;) await (b = building);
    return sessions;
  }
  async function play() {
    setPlaying(true);
    const s = await ready();
    if (s) await Promise.all(NETS.map((k) => s[k].play(STEPS_PER_FRAME)));
  }
  async function pause() {
    setPlaying(false);
    const s = await ready();
    if (s) await Promise.all(NETS.map((k) => s[k].pause()));
  }
  async function step(n = 1) {
    setPlaying(false);
    const s = await ready();
    if (!s) return metrics.big;
    const out = await Promise.all(NETS.map((k) => s[k].step(n)));
    if (s === sessions) NETS.forEach((k, i) => show(k, out[i]));
    changed();
    return out[1];
  }
  async function reset() {
    setPlaying(false);
    const s = await ready();
    if (!s) return;
    await Promise.all(NETS.map((k) => s[k].pause()));
    await Promise.all(NETS.map((k) => s[k].reset()));
    chart.reset();
    NETS.forEach((k) => show(k, {}));
    forget();
  }

  return {
    render(state) {
      if (`${state.small}|${state.big}` !== builtKey) building = rebuild(state);
      $('#small').value = String(state.small);
      $('#big').value = String(state.big);
      bar.relabel();
      chart.setLabels(
        NETS.flatMap((k) => [
          t('curveOf', { net: t(`${k}Net`), split: t('train') }),
          t('curveOf', { net: t(`${k}Net`), split: t('test') }),
        ]),
      );
    },
    play,
    pause,
    step,
    reset,
    metrics: () => metrics.big,
    snapshot: () => canvas,
    /** Both networks' checkpoints and the loss curves. */
    async save() {
      const s = await ready();
      if (!s) return null;
      const [small, big] = await Promise.all(NETS.map((k) => s[k].evaluate('checkpoint')));
      return { checkpoints: { small, big }, curves: chart.data() };
    },
    async load({ checkpoints, curves }) {
      const s = await ready();
      if (!s || !NETS.every((k) => checkpoints?.[k])) throw new Error('nothing to restore');
      await Promise.all(NETS.map((k) => s[k].restore(checkpoints[k])));
      chart.setData(curves);
    },
  };
}
