// CSV import for the playground (web/playground/data.js): the labels decide the problem type.
import { test, expect } from 'vitest';
import { parseCsv, pointsFromData } from '../../web/playground/data.js';

test('reads x1, x2, label with or without a header, any separator', () => {
  const a = parseCsv('x1,x2,label\n1,2,1\n-1,-2,0\n');
  expect(a.points).toEqual([
    [1, 2, 1],
    [-1, -2, 0],
  ]);
  expect(a).toMatchObject({ problem: 'classification', classes: 2, scaled: false });
  const b = parseCsv('1;2;-1\n3\t4\t1\r\n# comment\n\n5 6 -1');
  expect(b.points).toEqual([
    [1, 2, 0],
    [3, 4, 1],
    [5, 6, 0],
  ]);
  expect(b.classes).toBe(2);
});

test('labels 0, 1, 2 are three classes', () => {
  const c = parseCsv('0,0,0\n1,1,1\n2,2,2\n3,3,1');
  expect(c).toMatchObject({ problem: 'classification', classes: 3 });
  expect(c.points.map((p) => p[2])).toEqual([0, 1, 2, 1]);
});

test('other numbers are a regression, scaled into [-1, 1] and the plane when needed', () => {
  const r = parseCsv('1,2,0.132\n-1,0.5,-0.4\n3,-2,0.9');
  expect(r).toMatchObject({ problem: 'regression', classes: 0, min: -0.4, max: 0.9, scaled: false });
  expect(r.points[0]).toEqual([1, 2, 0.132]);
  const s = parseCsv('12,0,4\n-6,3,-2.5');
  expect(s.points).toEqual([
    [6, 0, 1],
    [-3, 1.5, -0.625],
  ]);
  expect(s.scaled).toBe(true);
  // Whole numbers beyond the class range are values too.
  expect(parseCsv('0,0,7\n1,1,10').problem).toBe('regression');
});

test('bad files give a short message', () => {
  expect(() => parseCsv('1,2,1\nfoo,bar,baz')).toThrow(/line 2/);
  expect(() => parseCsv('1,2,1')).toThrow(/at least two/);
  expect(() => parseCsv('<img src=x onerror=alert(1)>')).toThrow();
  expect(() => parseCsv('1,2,1\n'.repeat(2001))).toThrow(/at most/);
});

test('engine data becomes editable points', () => {
  const data = { x: new Float32Array([1, 2, 3, 4]), y: new Float32Array([2, 0]) };
  expect(pointsFromData(data)).toEqual([
    [1, 2, 2],
    [3, 4, 0],
  ]);
});
