// The deck's "accuracy as the training set grows": the lesson's shallow and deep networks (for 2-D
// points) trained in the worker on spirals of growing size, then tested by the engine on the same
// 400 other points; test accuracy against size. Runs when the student presses its button.
import { Curves } from '../curves.js';
import { SIZES, SIZE_STEPS, POOL, TEST_FROM, shapes, specOf } from './nets.js';

const COLORS = { shallow: '#e06a2c', deep: '#0877bd' };
const NETS = ['shallow', 'deep'];

export function sizeExperiment(root, { t, dl, client, getState, onError }) {
  root.innerHTML = `
    <h2 data-i18n="sizesTitle"></h2>
    <p class="hint-text" data-i18n="sizesText"></p>
    <div class="sizes-run" data-group="sizes">
      <button type="button" class="run-sizes" data-i18n="runSizes"></button>
      <progress class="sizes-progress" max="${SIZES.length * 2}" value="0" data-i18n-attr="aria-label:sizesProgress"></progress>
      <output class="sizes-done" data-i18n-attr="aria-label:sizesProgress"></output>
    </div>
    <div class="row">
      <figure class="sizes-chart" role="img" data-i18n-attr="aria-label:sizesChart"></figure>
      <table class="values sizes-table">
        <thead><tr><th data-i18n="trainingSetSize"></th><th data-i18n="shallowShort"></th><th data-i18n="deepShort"></th></tr></thead>
        <tbody>${SIZES.map((n) => `<tr><th scope="row">${n}</th>${NETS.map((k) => `<td><output data-net="${k}" data-size="${n}">–</output></td>`).join('')}</tr>`).join('')}</tbody>
      </table>
    </div>`;
  const $ = (s) => root.querySelector(s);
  const chart = new Curves($('.sizes-chart'), {
    series: NETS.map((k) => ({ label: k, stroke: COLORS[k] })),
    height: 170,
    logX: true,
    yRange: [0.4, 1],
    points: true,
  });
  let token = 0;
  let done = 0;
  let results = {};

  // The spiral's points, drawn by the engine once: the first TEST_FROM to train on, the rest to test.
  let pool = null;
  const poolOf = () => {
    if (pool) return pool;
    const s = dl.session({ input: [2], layers: [{ type: 'dense', units: 1 }], data: POOL, seed: 7 });
    const { x, y } = s.data();
    s.dispose();
    const points = Array.from({ length: y.length }, (_, i) => [x[2 * i], x[2 * i + 1]]);
    const labels = Array.from(y);
    pool = {
      train: (n) => ({ x: points.slice(0, n), y: labels.slice(0, n) }),
      test: { x: points.slice(TEST_FROM), y: labels.slice(TEST_FROM) },
    };
    return pool;
  };

  function show() {
    const total = SIZES.length * 2;
    $('.sizes-progress').value = done;
    $('.sizes-done').textContent = t('sizesDone', { done, total });
    for (const o of root.querySelectorAll('output[data-net]')) {
      const r = results[o.dataset.net]?.[o.dataset.size];
      o.textContent = r === undefined ? '–' : `${(r * 100).toFixed(1)} %`;
      o.setAttribute(
        'aria-label',
        t('accuracyAt', {
          net: t(o.dataset.net === 'shallow' ? 'shallowShort' : 'deepShort'),
          n: o.dataset.size,
        }),
      );
    }
    chart.setLabels(NETS.map((k) => t(k === 'shallow' ? 'shallowShort' : 'deepShort')));
  }

  function clear() {
    ++token;
    done = 0;
    results = {};
    chart.reset();
    $('.run-sizes').disabled = false;
    show();
  }

  async function run() {
    clear();
    const my = token;
    const { depth, act } = getState();
    const hidden = shapes(2, depth);
    const { train, test } = poolOf();
    $('.run-sizes').disabled = true;
    try {
      for (const n of SIZES)
        for (const [i, k] of NETS.entries()) {
          const s = await client.build(specOf(hidden[k], act, train(n), 2), { evaluate: false });
          let model;
          try {
            await s.step(SIZE_STEPS);
            model = await s.evaluate('toJSON');
          } finally {
            s.dispose().catch(() => {});
          }
          if (my !== token) return;
          const ev = dl.session({ ...model, data: test, loss: 'cross_entropy' });
          const { accuracy } = ev.evaluate('train');
          ev.dispose();
          (results[k] ??= {})[n] = accuracy;
          chart.add(i, n, accuracy);
          ++done;
          show();
        }
    } catch (err) {
      if (my === token) onError(err);
    } finally {
      if (my === token) $('.run-sizes').disabled = false;
    }
  }

  $('.run-sizes').onclick = run;
  show();
  return { clear, show, run, canvas: () => chart.canvas() };
}
