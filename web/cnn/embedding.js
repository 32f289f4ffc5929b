// The CNN page inside a course page (embed.html#view=cnn&…, the kit's embed.js): the API a host
// calls (play, pause, step, reset, getState, setState, snapshot), the main picture as one image, and
// no drawing while the host has scrolled the view out of sight (no training either, unless it asks).
import { app } from './app.js';
import { $ } from './dom.js';
import { toHash } from './state.js';
import { firstLayerMaps } from './maps.js';
import { play, pause, step, rebuild, metrics, drawUndrawn } from './session.js';
import { startEmbed } from '../kit/embed.js';

/** The view's own hash (no '#', no kit keys). */
export const ownHash = () => toHash(app.state).replace(/^#/, '');

/** The control groups a teacher can hide or lock (data-group in cnn.html), labelled by group_<name>. */
export const GROUPS = ['play', 'data', 'blocks', 'optimizer', 'cores', 'presets', 'save', 'draw', 'share'];

const SNAP_W = 520;
const PAD = 12;

/**
 * The main picture as one canvas: the input as the network sees it, the engine's probabilities
 * for it, and the first layer's feature maps below.
 */
export function snapshot() {
  const seen = $('seen');
  const maps = firstLayerMaps();
  const inputPx = 112;
  const mapPx = maps.length ? Math.min(56, Math.floor((SNAP_W - PAD * 2) / Math.min(maps.length, 8)) - 4) : 0;
  const rows = Math.ceil(maps.length / 8);
  const c = document.createElement('canvas');
  c.width = SNAP_W;
  c.height = PAD * 3 + Math.max(inputPx, 10 * 14) + rows * (mapPx + 4);
  const g = c.getContext('2d');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, c.width, c.height);
  g.imageSmoothingEnabled = false;
  if (seen.width) g.drawImage(seen, PAD, PAD, inputPx, inputPx);
  g.strokeStyle = '#ccc';
  g.strokeRect(PAD - 0.5, PAD - 0.5, inputPx + 1, inputPx + 1);
  // The probabilities as the page shows them (the engine's, for that input).
  const x0 = PAD * 2 + inputPx;
  g.font = '12px system-ui, sans-serif';
  g.textBaseline = 'middle';
  [...$('probs').children].forEach((li, d) => {
    const y = PAD + d * 14 + 7;
    const text = li.querySelector('output').textContent;
    const p = Number(text);
    const best = li.classList.contains('best');
    g.fillStyle = '#222';
    g.fillText(String(d), x0, y);
    g.fillStyle = '#eee';
    g.fillRect(x0 + 14, y - 5, 200, 10);
    g.fillStyle = best ? '#0877bd' : '#9bb7c4';
    if (Number.isFinite(p)) g.fillRect(x0 + 14, y - 5, 200 * p, 10);
    g.fillStyle = '#222';
    g.fillText(text, x0 + 222, y);
  });
  const y0 = PAD * 2 + Math.max(inputPx, 10 * 14);
  maps.forEach((m, i) => {
    const x = PAD + (i % 8) * (mapPx + 4);
    const y = y0 + Math.floor(i / 8) * (mapPx + 4);
    g.drawImage(m, x, y, mapPx, mapPx);
    g.strokeRect(x - 0.5, y - 0.5, mapPx + 1, mapPx + 1);
  });
  return c;
}

/**
 * Starts the kit's frame side. `applyExternal(hash, userInitiated)` is main.js's: a state from
 * outside (a host's setState, like a pasted link).
 */
export function startCnnEmbed({ applyExternal }) {
  const embed = startEmbed({
    id: 'cnn',
    api: {
      play,
      pause,
      step: (n = 1) => step(n),
      reset: () => rebuild(),
      getState: () => ({ state: ownHash(), metrics: metrics() }),
      setState: (h) => {
        applyExternal(`#${String(h).replace(/^#/, '')}`, false);
        app.hash.write(app.state);
      },
      snapshot,
    },
  });
  // Pausing while out of sight and playing again is the kit's; the page redraws what it skipped.
  embed.onVisibility((visible) => visible && drawUndrawn());
  return embed;
}
