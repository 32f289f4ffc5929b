// Properties of the MLP page's CSV import (web/playground/data.js parseCsv) over generated files:
// it only ever throws an Error with a message, and what it returns is always usable: points inside
// [−6, 6]², labels that are valid for the problem it reports.
import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { parseCsv } from '../../web/playground/data.js';
import { EXTENT, MAX_CLASSES, MAX_POINTS } from '../../web/playground/state.js';

// FC_RUNS=20000 runs each property longer (the default keeps npm test quick).
const RUNS = { numRuns: Number(process.env.FC_RUNS) || 400 };
const TIMEOUT = 600_000;

const number = fc.oneof(
  fc.integer({ min: -10, max: 10 }),
  fc.double({ min: -8, max: 8, noNaN: true }),
  fc.double({ noNaN: true, noDefaultInfinity: true }), // anything finite: 1e308, 5e-324, −0
  fc.constantFrom(1e-7, 6, -6, 6.000001, 1e6, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE),
);
const label = fc.oneof(
  fc.integer({ min: 0, max: MAX_CLASSES - 1 }),
  fc.constantFrom(-1, 1),
  fc.integer({ min: -3, max: 9 }),
  number,
);
const text = (v) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(String(v)) },
    { weight: 1, arbitrary: fc.constant(v.toExponential()) },
    { weight: 1, arbitrary: fc.constant(v.toFixed(Math.min(20, 3))) },
  );
const sep = fc.constantFrom(',', ';', '\t', ' ', ', ', ',,', ' ;');
const row = fc
  .tuple(number.chain(text), number.chain(text), label.chain(text), sep, sep, fc.boolean())
  .map(([x, y, l, a, b, extra]) => `${x}${a}${y}${b}${l}${extra ? `${a}7` : ''}`);
const line = fc.oneof(
  { weight: 12, arbitrary: row },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '# comment', 'x1,x2,label', '1,2', 'a,b,c', '1,NaN,0') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);
const csv = fc
  .oneof(
    { weight: 6, arbitrary: fc.tuple(fc.array(line, { maxLength: 40 }), fc.constantFrom('\n', '\r\n')) },
    { weight: 1, arbitrary: fc.tuple(fc.array(row, { minLength: 2, maxLength: 10 }), fc.constant('\n')) },
  )
  .map(([lines, eol]) => lines.join(eol));

// Findings J3 and J4 (docs/fuzzing.md): scaling by a product with EXTENT / max and 1 / max landed a
// few ulps outside; parseCsv now divides and clamps, so the bounds hold exactly.
const ULP = 1;

function checkResult(r) {
  expect(['classification', 'regression']).toContain(r.problem);
  expect(r.points.length).toBeGreaterThanOrEqual(2);
  expect(r.points.length).toBeLessThanOrEqual(MAX_POINTS);
  expect(typeof r.scaled).toBe('boolean');
  for (const p of r.points) {
    expect(p).toHaveLength(3);
    const [x, y, l] = p;
    expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
    expect(Math.max(Math.abs(x), Math.abs(y)) <= EXTENT * ULP, `point ${x}, ${y} outside the map`).toBe(true);
    if (r.problem === 'classification') {
      expect(Number.isInteger(l) && l >= 0 && l < r.classes, `label ${l} of ${r.classes} classes`).toBe(true);
    } else {
      expect(Number.isFinite(l) && Math.abs(l) <= ULP, `target ${l} outside [−1, 1]`).toBe(true);
    }
  }
  if (r.problem === 'classification') {
    expect(Number.isInteger(r.classes) && r.classes >= 2 && r.classes <= MAX_CLASSES).toBe(true);
    expect(r.classes).toBe(Math.max(2, ...r.points.map((p) => p[2] + 1)));
  } else {
    expect(r.classes).toBe(0);
  }
}

function parsed(input) {
  try {
    return parseCsv(input);
  } catch (err) {
    expect(err).toBeInstanceOf(Error);
    expect(typeof err.message).toBe('string');
    expect(err.message.length).toBeGreaterThan(0);
    return null;
  }
}

describe('parseCsv over generated files', () => {
  test(
    'any text: an Error with a message, or a usable result',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 100 })),
          (s) => {
            const r = parsed(s);
            if (r) checkResult(r);
          },
        ),
        RUNS,
      );
    },
    TIMEOUT,
  );

  test(
    'CSV-like files: points inside [−6, 6]², labels valid for the problem reported',
    () => {
      fc.assert(
        fc.property(csv, (s) => {
          const r = parsed(s);
          if (r) checkResult(r);
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  test(
    'two or more good rows always load; their order and count are kept',
    () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(number, number, label), { minLength: 2, maxLength: 30 }), (rows) => {
          const r = parseCsv(rows.map((p) => p.join(',')).join('\n'));
          checkResult(r);
          expect(r.points).toHaveLength(rows.length);
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );
});

describe('scaling stays inside its bounds (findings J3 and J4, fixed)', () => {
  test('J3: a point scaled into the map stays within [−6, 6]', () => {
    const [x] = parseCsv('8.38,0,0\n0,0,1').points[0];
    expect(Math.abs(x)).toBeLessThanOrEqual(EXTENT);
  });
  test('J4: a target scaled into [−1, 1] stays within it', () => {
    const [, , l] = parseCsv('0,0,1.7381428084394012e+308\n0,0,1e-7').points[0];
    expect(Math.abs(l)).toBeLessThanOrEqual(1);
  });
});
