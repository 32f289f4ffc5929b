// User data: CSV import, and the engine's data as editable points.
import { EXTENT, MAX_POINTS, isClassification } from './state.js';

// Parses "x1,x2,label" lines (commas, semicolons, tabs or spaces; an optional header line).
// Points are scaled into [−6, 6]² when they do not fit; regression labels into [−1, 1];
// classification labels become 1 (label > 0) or 0. Throws Error with a short message.
export function parseCsv(text, classification) {
  const rows = [];
  const lines = String(text).split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const f = line.split(/[,;\t ]+/).filter((s) => s !== '');
    const nums = f.map(Number);
    if (f.length < 3 || nums.slice(0, 3).some((v) => !Number.isFinite(v))) {
      if (rows.length === 0 && i === lines.findIndex((l) => l.trim())) continue; // header
      throw new Error(`line ${i + 1}: expected three numbers x1, x2, label`);
    }
    rows.push(nums.slice(0, 3));
  }
  if (rows.length < 2) throw new Error('expected at least two points');
  if (rows.length > MAX_POINTS) throw new Error(`at most ${MAX_POINTS} points`);
  const maxXY = Math.max(...rows.map(([x, y]) => Math.max(Math.abs(x), Math.abs(y))));
  const s = maxXY > EXTENT ? EXTENT / maxXY : 1;
  const maxL = Math.max(...rows.map(([, , l]) => Math.abs(l)));
  const sl = !classification && maxL > 1 ? 1 / maxL : 1;
  return rows.map(([x, y, l]) => [x * s, y * s, classification ? (l > 0 ? 1 : 0) : l * sl]);
}

// The engine's data {x: N×2, y: N} as [[x1, x2, label], ...].
export function pointsFromData(data, classification) {
  const out = [];
  for (let i = 0; i < data.y.length; i++) {
    const l = data.y[i];
    out.push([data.x[2 * i], data.x[2 * i + 1], classification ? (l > 0 ? 1 : 0) : l]);
  }
  return out;
}

// What a click on the decision map does: removes the point it hits, or adds one of the chosen
// class (the other one with Shift). ctx: {state, built, choice(), use(points), say(text, kind)}.
export function addPoint({ x, y, shift, hit }, ctx, t) {
  const classification = isClassification(ctx.state);
  const points = ctx.state.points
    ? ctx.state.points.map((p) => [...p])
    : ctx.built
      ? pointsFromData(ctx.built.data, classification)
      : [];
  if (hit >= 0) points.splice(hit, 1);
  else {
    if (points.length >= MAX_POINTS) return ctx.say(t('pointsLimit', { n: MAX_POINTS }));
    const sign = shift ? -ctx.choice() : ctx.choice();
    const cx = Math.max(-EXTENT, Math.min(EXTENT, x));
    const cy = Math.max(-EXTENT, Math.min(EXTENT, y));
    points.push([cx, cy, classification ? (sign > 0 ? 1 : 0) : sign]);
  }
  if (points.length >= 2) ctx.use(points);
}

// A CSV file chosen in the file input: its points replace the data, with a note saying so.
export async function importCsv(input, ctx, t) {
  const file = input.files?.[0];
  if (!file) return;
  try {
    const points = parseCsv(await file.text(), isClassification(ctx.state));
    ctx.say('');
    ctx.use(points);
    ctx.say(t('csvLoaded', { n: points.length }), 'info');
  } catch (err) {
    ctx.say(t('csvError', { message: err.message }));
  }
  input.value = '';
}
