// The rnn page inside a course page (embed.html#view=rnn&…, the kit's embed.js): the API a host
// calls acts on the shown tab (the character model, or the parity toy with tab=parity); the
// Share dialog's groups and its picture (the sample, the probabilities and the hidden states).
import { app } from './app.js';
import { toHash } from './state.js';
import { model, play, pause, step, rebuild, metrics } from './charmodel.js';
import { playParity, pauseParity, stepParity, rebuildParity, parityMetrics } from './parity.js';
import { startEmbed } from '../kit/embed.js';

/** The view's own hash (no '#', no kit keys). */
export const ownHash = () => toHash(app.state).replace(/^#/, '');

/** The control groups a teacher can hide or lock (data-group in rnn.html), labelled group_<name>. */
export const GROUPS = ['play', 'tabs', 'data', 'model', 'optimizer', 'sampling', 'bits', 'share'];

const parityShown = () => app.state.tab === 'parity';

/** The main picture: the sample text, the probability bars and the heatmap of the shown tab. */
export function snapshot() {
  const W = 640;
  const c = document.createElement('canvas');
  const g = c.getContext('2d');
  const heat = /** @type {HTMLCanvasElement} */ (
    document.getElementById(parityShown() ? 'p-heatmap' : 'heatmap')
  );
  const text = parityShown() ? '' : model.sample.text;
  const lines = [];
  for (const para of text.split('\n'))
    for (let i = 0; i < para.length; i += 60) lines.push(para.slice(i, i + 60));
  const bars = parityShown() ? [] : [...document.querySelectorAll('#probs li')];
  const heatH = heat.width ? (heat.height * Math.min(W - 24, heat.width)) / heat.width : 0;
  c.width = W;
  c.height = 24 + lines.slice(0, 8).length * 18 + bars.length * 16 + heatH + 24;
  g.fillStyle = '#fff';
  g.fillRect(0, 0, c.width, c.height);
  g.fillStyle = '#222';
  g.font = '14px system-ui, sans-serif';
  g.textBaseline = 'top';
  let y = 12;
  for (const l of lines.slice(0, 8)) {
    g.fillText(l, 12, y);
    y += 18;
  }
  for (const li of bars) {
    const ch = li.querySelector('.char').textContent;
    const out = li.querySelector('output').textContent;
    g.fillStyle = '#222';
    g.fillText(ch, 12, y);
    g.fillStyle = '#eee';
    g.fillRect(40, y + 2, 300, 10);
    g.fillStyle = li.classList.contains('actual') ? '#0877bd' : '#9bb7c4';
    g.fillRect(40, y + 2, (300 * Number.parseFloat(out)) / 100, 10);
    g.fillStyle = '#222';
    g.fillText(out, 350, y);
    y += 16;
  }
  if (heat.width) g.drawImage(heat, 12, y + 8, Math.min(W - 24, heat.width), heatH);
  return c;
}

export function startRnnEmbed({ applyExternal }) {
  const embed = startEmbed({
    id: 'rnn',
    api: {
      play: () => (parityShown() ? playParity() : play()),
      pause: () => (parityShown() ? pauseParity() : pause()),
      step: (n = 1) => (parityShown() ? stepParity(n) : step(n)),
      reset: () => (parityShown() ? rebuildParity() : rebuild()),
      getState: () => ({ state: ownHash(), metrics: parityShown() ? parityMetrics() : metrics() }),
      setState: (h) => {
        applyExternal(`#${String(h).replace(/^#/, '')}`, false);
        app.hash.write(app.state);
      },
      snapshot,
    },
  });
  return embed;
}
