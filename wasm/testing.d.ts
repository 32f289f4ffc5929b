// Declarations for 'dlplay/testing' (wasm/testing.js): hooks for tests and benchmarks, kept off
// the public Engine.
//
//   import { loadEngine } from 'dlplay';
//   import { testHooks } from 'dlplay/testing';
//   const hooks = testHooks(await loadEngine());
//   hooks.benchGemm(256, 10);   // seconds for 10 products of 256×256 matrices in the engine's GEMM
//   hooks.benchPeak(1e7);       // {seconds, flops} of the SIMD multiply-add peak probe
//   hooks.memory();             // {heapSize, allocated}
import type { Engine } from './dlplay.js';

/** The wasm heap's figures, for leak tests. */
export interface MemoryFigures {
  /** The wasm memory's size in bytes. */
  heapSize: number;
  /** The bytes malloc has handed out and not taken back. */
  allocated: number;
}

export interface TestHooks {
  /** Seconds that `reps` (default 1) n×n float32 products C = A·B take in the engine's GEMM. */
  benchGemm(n: number, reps?: number): number;
  /** `rounds` rounds of the SIMD multiply-add peak probe: its seconds and floating-point operations. */
  benchPeak(rounds: number): { seconds: number; flops: number; result: number };
  memory(): MemoryFigures;
}

/** The hooks of an engine from loadEngine(); throws a TypeError for anything else. */
export function testHooks(engine: Engine): TestHooks;
