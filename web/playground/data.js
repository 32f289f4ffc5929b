// User data: CSV import, the engine's data as editable points, and the click-to-add choice.
import { EXTENT, MAX_POINTS, MAX_CLASSES } from './state.js';
import { classCount } from './spec.js';
import { classColor, colorOf } from './heatmap.js';
import { LIMITS, LimitError, limitText, readText } from '../kit/limits.js';

/**
 * Parses "x1,x2,label" lines (commas, semicolons, tabs or spaces; an optional header line).
 * Labels that are all class indices 0…5 (or −1/+1, TensorFlow Playground's two classes) make a
 * classification; any other numbers a regression, its values scaled into [−1, 1] when they do not
 * fit. Points are scaled into [−6, 6]² when they do not fit. Throws Error with a short message.
 * @returns {{points: number[][], problem: string, classes: number, min: number, max: number, scaled: boolean}}
 */
export function parseCsv(text) {
  const rows = [];
  const all = String(text);
  let seen = false; // a non-blank line before this one (a header may only come first)
  // Line by line without splitting the whole text: reading stops at the limits (LIMITS.csvLines,
  // MAX_POINTS), whatever the length of the rest.
  for (let i = 0, at = 0; at <= all.length; i++) {
    if (i >= LIMITS.csvLines)
      throw new LimitError('csvTooManyLines', { limit: LIMITS.csvLines.toLocaleString('en-US') });
    let end = all.indexOf('\n', at);
    if (end < 0) end = all.length;
    const line = all.slice(at, end).trim();
    at = end + 1;
    if (!line) continue;
    const header = !seen;
    seen = true;
    if (line.startsWith('#')) continue;
    const f = line.split(/[,;\t ]+/).filter((s) => s !== '');
    const nums = f.map(Number);
    if (f.length < 3 || nums.slice(0, 3).some((v) => !Number.isFinite(v))) {
      if (rows.length === 0 && header) continue; // header
      throw new Error(`line ${i + 1}: expected three numbers x1, x2, label`);
    }
    if (rows.length >= MAX_POINTS) throw new LimitError('csvTooManyPoints', { limit: MAX_POINTS });
    rows.push(nums.slice(0, 3));
  }
  if (rows.length < 2) throw new Error('expected at least two points');
  const labels = rows.map((r) => r[2]);
  const min = Math.min(...labels);
  const max = Math.max(...labels);
  const maxXY = Math.max(...rows.map(([x, y]) => Math.max(Math.abs(x), Math.abs(y))));
  // Scaled by dividing (a product with EXTENT / max may land an ulp outside), then clamped.
  const clamp = (v, m) => Math.max(-m, Math.min(m, v));
  const fit = maxXY > EXTENT ? (v) => clamp((v / maxXY) * EXTENT, EXTENT) : (v) => v;
  const plusMinus = labels.every((l) => l === 1 || l === -1);
  const indices = labels.every((l) => Number.isInteger(l) && l >= 0 && l < MAX_CLASSES);
  if (plusMinus || indices) {
    const points = rows.map(([x, y, l]) => [fit(x), fit(y), plusMinus ? (l > 0 ? 1 : 0) : l]);
    const classes = Math.max(2, ...points.map((p) => p[2] + 1));
    return { points, problem: 'classification', classes, min, max, scaled: maxXY > EXTENT };
  }
  const maxL = Math.max(Math.abs(min), Math.abs(max));
  const points = rows.map(([x, y, l]) => [fit(x), fit(y), maxL > 1 ? clamp(l / maxL, 1) : l]);
  return { points, problem: 'regression', classes: 0, min, max, scaled: maxXY > EXTENT || maxL > 1 };
}

// The engine's data {x: N×2, y: N} as [[x1, x2, label], ...].
export function pointsFromData(data) {
  const out = [];
  for (let i = 0; i < data.y.length; i++) out.push([data.x[2 * i], data.x[2 * i + 1], data.y[i]]);
  return out;
}

/** The "A click adds" choice: one radio per class (or +1/−1 for regression), the current one kept. */
export function renderClickClasses(root, classes, t) {
  const values = classes ? Array.from({ length: classes }, (_, k) => k) : [1, -1];
  const old = /** @type {HTMLInputElement | null} */ (root.querySelector('input:checked'))?.value;
  root.querySelectorAll('label').forEach((l) => l.remove());
  for (const v of values) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'clickClass';
    input.value = String(v);
    input.checked = old === String(v);
    const dot = document.createElement('span');
    dot.className = 'swatch';
    dot.style.background = classes ? classColor(v) : colorOf(v);
    const text = document.createElement('span');
    text.textContent = classes ? t('className', { k: v }) : v > 0 ? '+1' : '−1';
    label.append(input, dot, text);
    root.appendChild(label);
  }
  const checked = root.querySelector('input:checked') ?? root.querySelector('input[value="1"]');
  /** @type {HTMLInputElement} */ (checked).checked = true;
}

// What a click on the decision map does: removes the point it hits, or adds one of the chosen
// class (with Shift: the next class; for regression the opposite value).
// ctx: {state, built, choice(), use(points), say(text, kind)}.
export function addPoint({ x, y, shift, hit }, ctx, t) {
  const classes = classCount(ctx.state);
  const points = ctx.state.points
    ? ctx.state.points.map((p) => [...p])
    : ctx.built
      ? pointsFromData(ctx.built.data)
      : [];
  if (hit >= 0) points.splice(hit, 1);
  else {
    if (points.length >= MAX_POINTS) return ctx.say(t('pointsLimit', { n: MAX_POINTS }));
    const c = ctx.choice();
    const label = classes ? (shift ? (c + 1) % classes : c) : shift ? -c : c;
    const cx = Math.max(-EXTENT, Math.min(EXTENT, x));
    const cy = Math.max(-EXTENT, Math.min(EXTENT, y));
    points.push([cx, cy, label]);
  }
  if (points.length >= 2) ctx.use(points);
}

const fmt = (v) => String(Number(v.toPrecision(3)));

// A CSV file chosen in the file input: its points replace the data, with a note saying what was
// loaded; the problem type follows the labels.
export async function importCsv(input, ctx, t) {
  const file = input.files?.[0];
  if (!file) return;
  try {
    const csv = parseCsv(await readText(file, LIMITS.csvBytes, 'csvTooBig'));
    ctx.say('');
    ctx.use(csv.points, { problem: csv.problem });
    const text = csv.classes
      ? t('csvLoadedClasses', { n: csv.points.length, classes: t('classesCount', { count: csv.classes }) })
      : t('csvLoadedValues', { n: csv.points.length, min: fmt(csv.min), max: fmt(csv.max) });
    ctx.say(csv.scaled ? `${text} ${t('csvScaled')}` : text, 'info');
  } catch (err) {
    ctx.say(t('csvError', { message: limitText(err, t) }));
  }
  input.value = '';
}
