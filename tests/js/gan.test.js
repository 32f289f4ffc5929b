// The 2-D GAN through the JavaScript API (wasm/gan.js, reached as engine.gan(spec)) in Node: errors
// that name the field, the same trace for the same seed, the shapes of what the view draws, and
// training that brings the generated points to the ring. Needs build/wasm (bash scripts/build-wasm.sh).
import { test, expect, beforeAll } from 'vitest';
import { loadEngine } from 'dlplay';

let dl;
beforeAll(async () => {
  dl = await loadEngine();
}, 30000);

// Chamfer distance between two point sets given as x0 y0 x1 y1 …
function chamfer(a, b) {
  const oneWay = (p, q) => {
    let sum = 0;
    for (let i = 0; i < p.length; i += 2) {
      let best = Infinity;
      for (let j = 0; j < q.length; j += 2)
        best = Math.min(best, Math.hypot(p[i] - q[j], p[i + 1] - q[j + 1]));
      sum += best;
    }
    return sum / (p.length / 2);
  };
  return oneWay(a, b) + oneWay(b, a);
}

test('a bad spec throws the engine error naming the field', () => {
  expect(() => dl.gan({ real: { name: 'moon' } })).toThrow(/real\.name: unknown value 'moon'/);
  expect(() => dl.gan({ generator: { layers: [{ type: 'dense', units: 3 }] } })).toThrow(
    /generator\.layers: the last layer must give 2 values/,
  );
  expect(() => dl.gan({ discriminator_optimizer: { lr: 'fast' } })).toThrow(/discriminator_optimizer\.lr/);
  expect(() => dl.gan('{not json')).toThrow(/gan: invalid JSON/);
  expect(() => dl.gan([1])).toThrow(TypeError);
  const gan = dl.gan({});
  expect(() => gan.configure({ k: 0 })).toThrow(/k: expected a whole number from 1 to 20/);
  expect(() => gan.discriminator(0)).toThrow(/res: expected/);
  expect(() => gan.step(0)).toThrow(/steps: expected/);
  gan.dispose();
  expect(() => gan.generated()).toThrow(/used after dispose/);
});

test('the same seed gives the same trace; what the view draws has its shapes', () => {
  const spec = { seed: 4, noise_dims: 1, real: { name: 'gaussians', modes: 3 }, samples: 50, k: 2 };
  const a = dl.gan(spec);
  const b = dl.gan(JSON.stringify(spec));
  const ta = a.step(25);
  expect(ta).toHaveLength(25);
  expect(b.step(25)).toEqual(ta);
  expect(a.generated()).toEqual(b.generated());
  expect(a.steps).toBe(25);
  expect(a.diverged).toBe(false);
  expect(a.generated()).toHaveLength(100);
  expect(a.gradients()).toHaveLength(100);
  expect(a.noise()).toHaveLength(50);
  expect(a.real()).toHaveLength(1024);
  const grid = a.discriminator(10);
  expect(grid).toHaveLength(100);
  expect(grid.every((v) => v > 0 && v < 1)).toBe(true);
  const m = a.metrics();
  expect(m.value).toBeCloseTo(m.logDReal + m.logOneMinusFake, 12);
  expect(m.dLoss).toBeCloseTo(-m.value, 6);
  const info = a.info();
  expect(info.k).toBe(2);
  expect(info.generator.input).toEqual([1]);
  a.configure({ k: 3, generator_optimizer: { optimizer: 'sgd', lr: 0.1 } });
  expect(a.info().k).toBe(3);
  expect(a.info().generator_optimizer.optimizer.type).toBe('sgd');
  a.dispose();
  b.dispose();
});

test('training brings the generated points to the ring', () => {
  const gan = dl.gan({ seed: 1, real: { name: 'ring', n: 256 }, samples: 256 });
  const start = chamfer(gan.generated(), gan.real());
  gan.step(800);
  const end = chamfer(gan.generated(), gan.real());
  expect(end).toBeLessThan(0.5 * start);
  expect(end).toBeLessThan(0.15);
  gan.dispose();
});

test('a checkpoint, through structuredClone, continues in a fresh GAN bit for bit', () => {
  const spec = { seed: 2, real: 'line', k: 2 };
  const a = dl.gan(spec);
  a.step(30);
  const cp = structuredClone(a.checkpoint());
  expect(cp.format).toBe('dlplay-gan-checkpoint');
  expect(cp.steps).toBe(30);
  const b = dl.gan(spec);
  b.restore(cp);
  expect(b.steps).toBe(30);
  expect(b.step(10)).toEqual(a.step(10));
  expect(b.generated()).toEqual(a.generated());
  const other = dl.gan({ ...spec, seed: 3 });
  expect(() => other.restore(cp)).toThrow(/checkpoint\.real/);
  expect(other.steps).toBe(0);
  for (const g of [a, b, other]) g.dispose();
});
