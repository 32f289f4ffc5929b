// dlplay/testing: hooks for tests and benchmarks, kept off the public Engine.
//
//   import { loadEngine } from 'dlplay';
//   import { testHooks } from 'dlplay/testing';
//   const hooks = testHooks(await loadEngine());
//   hooks.benchGemm(256, 10);   // seconds for 10 products of 256×256 matrices in the engine's GEMM
//   hooks.benchPeak(1e7);       // {seconds, flops}: the SIMD multiply-add peak probe (the "% of peak" yardstick)
//   hooks.memory();             // {heapSize, allocated}: the wasm memory and malloc's bytes in use
import { modules } from './internal.js';

export function testHooks(engine) {
  const module = modules.get(engine);
  if (!module) throw new TypeError('testHooks: expected an Engine from loadEngine()');
  return {
    benchGemm: (n, reps = 1) => module.benchGemm(n, reps),
    benchPeak: (rounds) => module.benchPeak(rounds),
    memory: () => module.memory(),
  };
}
