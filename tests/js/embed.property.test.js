// Properties of the embed kit's postMessage side (web/kit/embed.js) over generated messages: a
// host page may post anything. cleanMetrics turns any value into the six metrics as numbers or
// null; the frame's message handler never throws, calls the view only with checked arguments
// (step: one whole number 1…100000; setState: one string, its "#" gone; the rest: none) and
// replies only with clean values.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';

// FC_RUNS=20000 runs each property longer (the default keeps npm test quick).
const RUNS = { numRuns: Number(process.env.FC_RUNS) || 400 };
const TIMEOUT = 600_000;

// The frame as the kit sees it inside a course page: embed=1 in its address, a parent window.
// Set before embed.js is imported (it reads the address when it loads).
const parent = { postMessage() {} };
const listeners = [];
const saved = {};
for (const k of ['window', 'document', 'location']) saved[k] = Object.getOwnPropertyDescriptor(globalThis, k);
Object.defineProperty(globalThis, 'location', {
  configurable: true,
  value: {
    search: '?embed=1',
    hash: '#view=playground',
    href: 'https://x.test/embed',
    origin: 'https://x.test',
  },
});
Object.defineProperty(globalThis, 'window', {
  configurable: true,
  value: { parent, addEventListener: (type, fn) => type === 'message' && listeners.push(fn) },
});
Object.defineProperty(globalThis, 'document', {
  configurable: true,
  value: {
    documentElement: { classList: { add() {} }, getBoundingClientRect: () => ({ height: 480 }) },
    body: null,
    addEventListener() {},
  },
});
afterAll(() => {
  for (const [k, d] of Object.entries(saved)) {
    if (d) Object.defineProperty(globalThis, k, d);
    else delete globalThis[k];
  }
});

let embed, METHODS, METRICS, cleanMetrics;
const calls = [];
let answer = () => undefined; // what the view's api returns (set per run)
beforeAll(async () => {
  ({ startEmbed: embed, METHODS, METRICS, cleanMetrics } = await import('../../web/kit/embed.js'));
  const api = {};
  for (const m of ['play', 'pause', 'step', 'reset', 'getState', 'setState'])
    api[m] = (...args) => {
      calls.push({ method: m, args });
      return answer(m);
    };
  embed({ id: 'playground', api }).ready();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function checkMetrics(m) {
  expect(Object.keys(m).sort()).toEqual([...METRICS].sort());
  for (const k of METRICS) expect(m[k] === null || typeof m[k] === 'number').toBe(true);
}

// Messages near the protocol (the right envelope, methods, ids and arguments, and wrong ones) and
// anything at all.
const anyValue = fc.oneof(fc.jsonValue(), fc.anything());
const args = fc.oneof(
  fc.constant(undefined),
  fc.array(
    fc.oneof(
      fc.integer({ min: -2, max: 100_002 }),
      fc.double(),
      fc.string({ maxLength: 30 }).map((s) => `#${s}`),
      fc.boolean(),
      anyValue,
    ),
    { maxLength: 3 },
  ),
  anyValue,
);
const message = () =>
  fc.oneof(
    { weight: 1, arbitrary: anyValue },
    {
      weight: 4,
      arbitrary: fc.record({
        dlplay: fc.constant(1),
        method: fc.constantFrom(...METHODS, 'visibility'),
        id: fc.oneof(fc.integer(), fc.string({ maxLength: 20 })),
        args,
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record(
        {
          dlplay: fc.oneof(fc.constant(1), anyValue),
          method: fc.oneof(fc.constantFrom(...METHODS, 'visibility', 'eval', '__proto__'), anyValue),
          id: fc.oneof(fc.integer(), fc.string({ maxLength: 210 }), anyValue),
          args,
        },
        { requiredKeys: [] },
      ),
    },
  );

describe('the embed protocol over generated messages', () => {
  test(
    'cleanMetrics: any value gives the six metrics, each a number or null',
    () => {
      fc.assert(
        fc.property(anyValue, (v) => {
          const m = cleanMetrics(v);
          checkMetrics(m);
          for (const k of METRICS)
            if (v && typeof v === 'object' && typeof v[k] === 'number') expect(m[k]).toBe(v[k]);
        }),
        RUNS,
      );
    },
    TIMEOUT,
  );

  test(
    'any message: no throw, the view gets checked arguments, replies are clean',
    async () => {
      const seen = { calls: 0, replies: 0 };
      await fc.assert(
        fc.asyncProperty(message(), anyValue, async (data, returned) => {
          calls.length = 0;
          answer = () => returned;
          const replies = [];
          const source = { postMessage: (r, origin) => replies.push({ r, origin }) };
          for (const fn of listeners)
            expect(() => fn({ source: parent, origin: 'https://host.test', data })).not.toThrow();
          // a message from anyone but the parent window is never answered
          for (const fn of listeners) fn({ source, origin: 'https://evil.test', data });
          parent.postMessage = (r, origin) => replies.push({ r, origin });
          await settle();
          parent.postMessage = () => {};
          seen.calls += calls.length;
          seen.replies += replies.length;
          expect(calls.length).toBeLessThanOrEqual(1);
          for (const { method, args } of calls) {
            if (method === 'step') {
              expect(args).toHaveLength(1);
              expect(Number.isInteger(args[0]) && args[0] >= 1 && args[0] <= 100_000).toBe(true);
            } else if (method === 'setState') {
              expect(args).toHaveLength(1);
              expect(typeof args[0]).toBe('string');
              expect(args[0].startsWith('#')).toBe(false);
            } else if (method !== 'pause' && method !== 'play') {
              expect(args).toEqual([]);
            }
          }
          for (const { r, origin } of replies) {
            expect(origin).toBe('https://host.test');
            expect(r.dlplay).toBe(1);
            if ('error' in r) {
              expect(typeof r.error).toBe('string');
              expect(r.error.length).toBeLessThanOrEqual(500);
            } else if (r.result !== null) {
              if ('state' in r.result) {
                expect(typeof r.result.state).toBe('string');
                checkMetrics(r.result.metrics);
              } else checkMetrics(r.result);
            }
            // nothing in a reply that a structured clone could not carry, nothing from the view's own objects
            expect(() => structuredClone(r)).not.toThrow();
          }
        }),
        RUNS,
      );
      // the generator reaches the view: some messages are well-formed requests
      expect(seen.calls).toBeGreaterThan(RUNS.numRuns / 10);
      expect(seen.replies).toBeGreaterThan(RUNS.numRuns / 10);
    },
    TIMEOUT,
  );
});
