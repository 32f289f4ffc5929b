// dlplay: the engine's JavaScript API. One ES module for browsers, workers and Node.
//
//   import { loadEngine } from 'dlplay';
//   const dl = await loadEngine();
//   const s = dl.session(spec);         // model JSON or training spec (object or JSON string)
//   s.predict([[1, -1], [0, 0]]);       // rows of outputs
//   s.train(100);                       // {step, epoch, loss, trainLoss, testLoss, trainAccuracy, ...}
//   s.dispose();
//
//   // Image sets as typed arrays (fast: no JSON): a training spec without "data", and
//   // x = N examples of the input shape end to end (NCHW; Uint8Array scaled by 1/255, or Float32Array),
//   // y = one class index per example.
//   const c = dl.session({ input: [1, 28, 28], layers, loss: 'cross_entropy' }, { x, y, testRatio: 0.2 });
//
// This module and its declarations (dlplay.d.ts) are the public contract, described in
// docs/js-api.md. Every error from the engine arrives as an Error with its message. Test and
// benchmark hooks (GEMM timing, heap figures) are a separate entry: 'dlplay/testing'.
//
// Conventions: an example is an array of numbers, nested like the model's input or flat
// (a Float32Array of several examples end to end works too). For a spec with "features", the
// inputs are the 2-D points and the features are computed by the engine. Tensors come back as
// fresh Float32Arrays (copies: they stay valid whatever the engine does next).

import { modules } from './internal.js';
import { Gan } from './gan.js';
import { Session } from './session.js';
import { check } from './values.js';

// Both literal `new URL(…, import.meta.url)`s: bundlers (Vite, webpack, Parcel) emit the two files
// and rewrite these URLs to the emitted (hashed) names.
const defaultModuleUrl = new URL('../build/wasm/dlplay_engine.mjs', import.meta.url);
const defaultWasmUrl = new URL('../build/wasm/dlplay_engine.wasm', import.meta.url);

const isNode =
  typeof process === 'object' &&
  typeof process.versions === 'object' &&
  typeof process.versions.node === 'string' &&
  typeof window === 'undefined' &&
  typeof importScripts !== 'function';

/**
 * Loads the WebAssembly engine.
 * @param {object} [options]
 * @param {string|URL} [options.moduleUrl] where dlplay_engine.mjs is (default: ../build/wasm/ from here)
 * @param {string|URL} [options.wasmUrl] where its .wasm is (default: beside the .mjs)
 * @param {ArrayBuffer|Uint8Array} [options.wasmBinary] the .wasm's bytes, if you have them already
 * @returns {Promise<Engine>}
 */
export async function loadEngine(options = {}) {
  const moduleUrl = new URL(options.moduleUrl ?? defaultModuleUrl, import.meta.url);
  // The .wasm beside the .mjs, or, for the default module, the default .wasm (a bundler's copy).
  const wasmUrl = new URL(
    options.wasmUrl ?? (options.moduleUrl ? 'dlplay_engine.wasm' : defaultWasmUrl),
    moduleUrl,
  );
  const { default: factory } = await import(/* @vite-ignore */ moduleUrl.href);
  const overrides = {};
  if (options.wasmBinary) overrides.wasmBinary = options.wasmBinary;
  let module;
  if (isNode) {
    const { instantiateInNode } = await import('./node.js');
    module = await instantiateInNode(factory, moduleUrl, wasmUrl, overrides);
  } else {
    module = await factory({
      ...overrides,
      locateFile: (path) => (path.endsWith('.wasm') ? wasmUrl.href : path),
    });
  }
  return new Engine(module);
}

export class Engine {
  #module;

  #vocabulary;

  constructor(module) {
    this.#module = module;
    modules.set(this, module);
    /** Name of the SIMD architecture compiled in ("sse2": wasm SIMD128 through Emscripten's SSE2). */
    this.simd = module.simdArch();
  }

  /**
   * What the engine accepts, defined once in the engine: layer types and their fields' ranges,
   * activations, losses, optimizers, initializers, regularizations, input features, data sets.
   */
  vocabulary() {
    this.#vocabulary ??= JSON.parse(this.#module.vocabulary());
    return structuredClone(this.#vocabulary);
  }

  /**
   * A session: a model (JSON object or string), or a training spec (a model plus "data").
   * Throws an Error with the engine's message (naming the field) on a bad spec.
   * @param {object|string} spec
   * @param {object} [data] the training data as typed arrays, for a spec without "data":
   *   x: Uint8Array | Float32Array, N examples of the model's input shape end to end (NCHW);
   *   y: one class index per example (any typed array or array of numbers), or with `targets`,
   *      that many target values per example (regression; rows end to end);
   *   targets: values per example in y (leave out for class indices);
   *   scale: each value of x is multiplied by it (default 1/255 for a Uint8Array, 1 otherwise);
   *   testRatio: the part held out for testing, stratified per class (default: the spec's, or 0).
   */
  session(spec, data) {
    return new Session(this.#module, spec, data);
  }

  /**
   * The engine's vocabulary of a text: its distinct characters, in code point order. A character
   * model's embedding has this many ids and its output this many classes.
   * @param {string} text
   * @returns {string[]}
   */
  textVocabulary(text) {
    if (typeof text !== 'string') throw new TypeError('textVocabulary: expected a string');
    return JSON.parse(check(this.#module.textVocabulary(text)));
  }

  /** A 2-D GAN (docs/gan.md): a spec object or JSON text; throws an Error naming a bad field. */
  gan(spec) {
    return new Gan(this.#module, spec);
  }
}

export { Session };
