// The gan view's state: its hash keys (parsed by the kit's readParams through the frame), their
// defaults, and the engine spec they make (docs/gan.md). Which keys build a new GAN and which only
// change its training settings is decided here too.
import { int, oneOf, flag } from '../kit/hash.js';

export const REALS = ['ring', 'gaussians', 'line', 'points'];
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad'];
export const LRS = [0.0005, 0.001, 0.002, 0.004, 0.01, 0.03, 0.1, 0.3];
export const UNITS = [4, 8, 16, 32, 64];
export const BATCHES = [16, 32, 64, 128, 256];
export const MAX_POINTS = 300; // drawn points kept in the hash (each as two whole hundredths)
export const SAMPLES = 300; // generated points shown

const numIn = (list) => (s) => list.find((v) => String(v) === s);

// The drawn points as "x,y,x,y,…" in hundredths of the plane's half-width: whole numbers in [−100, 100].
function parsePoints(s) {
  if (s === '') return [];
  const parts = s.split(',');
  if (parts.length % 2 || parts.length > 2 * MAX_POINTS) return undefined;
  const v = parts.map((p) => (/^-?\d{1,3}$/.test(p) ? Number(p) : NaN));
  if (v.some((x) => !(x >= -100 && x <= 100))) return undefined;
  const points = [];
  for (let i = 0; i < v.length; i += 2) points.push([v[i] / 100, v[i + 1] / 100]);
  return points;
}

export const PARSERS = {
  real: oneOf(() => REALS),
  pts: parsePoints,
  noise: int(1, 2),
  gl: int(1, 3),
  gu: numIn(UNITS),
  gopt: oneOf(() => OPTIMIZERS),
  glr: numIn(LRS),
  dl: int(1, 3),
  du: numIn(UNITS),
  dopt: oneOf(() => OPTIMIZERS),
  dlr: numIn(LRS),
  k: int(1, 10),
  batch: numIn(BATCHES),
  seed: int(0, 999),
  heat: flag,
  arrows: flag,
};

export const DEFAULTS = {
  real: 'ring',
  pts: [],
  noise: 2,
  gl: 2,
  gu: 32,
  gopt: 'adam',
  glr: 0.002,
  dl: 2,
  du: 32,
  dopt: 'adam',
  dlr: 0.004,
  k: 1,
  batch: 64,
  seed: 0,
  heat: true,
  arrows: true,
};

export const FORMAT = {
  pts: (points) => points.map(([x, y]) => `${Math.round(x * 100)},${Math.round(y * 100)}`).join(','),
};

/** Keys whose change needs a new GAN (its networks, data or seed); the rest are settings. */
export const BUILD_KEYS = ['real', 'pts', 'noise', 'gl', 'gu', 'dl', 'du', 'seed'];
export const SETTING_KEYS = ['gopt', 'glr', 'dopt', 'dlr', 'k', 'batch'];

const hidden = (layers, units) =>
  Array.from({ length: layers }, () => ({ type: 'dense', units, activation: 'relu' }));

/** What may change while training (Gan#configure). */
export function settingsOf(s) {
  return {
    k: s.k,
    batch: s.batch,
    generator_optimizer: { optimizer: s.gopt, lr: s.glr },
    discriminator_optimizer: { optimizer: s.dopt, lr: s.dlr },
  };
}

/** The engine spec of a state; null when the student chose to draw and has drawn nothing yet. */
export function specOf(s) {
  if (s.real === 'points' && s.pts.length === 0) return null;
  return {
    real: s.real === 'points' ? { name: 'points', points: s.pts } : { name: s.real },
    noise_dims: s.noise,
    generator: { layers: [...hidden(s.gl, s.gu), { type: 'dense', units: 2 }] },
    discriminator: { layers: [...hidden(s.dl, s.du), { type: 'dense', units: 1, activation: 'sigmoid' }] },
    ...settingsOf(s),
    samples: SAMPLES,
    seed: s.seed,
  };
}

/** A key identifying the GAN a state builds (equal keys: the same GAN). */
export const buildKey = (s) => JSON.stringify(BUILD_KEYS.map((k) => s[k]));
export const settingsKey = (s) => JSON.stringify(settingsOf(s));
