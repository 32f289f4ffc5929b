// CSV import for the playground (web/playground/data.js).
import { test, expect } from 'vitest';
import { parseCsv, pointsFromData } from '../../web/playground/data.js';

test('reads x1, x2, label with or without a header, any separator', () => {
  expect(parseCsv('x1,x2,label\n1,2,1\n-1,-2,0\n', true)).toEqual([
    [1, 2, 1],
    [-1, -2, 0],
  ]);
  expect(parseCsv('1;2;-1\n3\t4\t1\r\n# comment\n\n5 6 0.5', true)).toEqual([
    [1, 2, 0],
    [3, 4, 1],
    [5, 6, 1],
  ]);
});

test('scales points into the plane and regression labels into [-1, 1]', () => {
  expect(parseCsv('12,0,4\n-6,3,-2', false)).toEqual([
    [6, 0, 1],
    [-3, 1.5, -0.5],
  ]);
});

test('bad files give a short message', () => {
  expect(() => parseCsv('1,2,1\nfoo,bar,baz', true)).toThrow(/line 2/);
  expect(() => parseCsv('1,2,1', true)).toThrow(/at least two/);
  expect(() => parseCsv('<img src=x onerror=alert(1)>', true)).toThrow();
  expect(() => parseCsv('1,2,1\n'.repeat(2001), true)).toThrow(/at most/);
});

test('engine data becomes editable points', () => {
  const data = { x: new Float32Array([1, 2, 3, 4]), y: new Float32Array([1, 0]) };
  expect(pointsFromData(data, true)).toEqual([
    [1, 2, 1],
    [3, 4, 0],
  ]);
});
