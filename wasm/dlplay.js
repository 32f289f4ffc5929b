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

const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((handle) => {
        if (!handle.isDeleted()) handle.delete();
      })
    : null;

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

// The bindings return engine errors as Error values (throwing through wasm frames would skip their
// destructors and leak); they are thrown here, from the caller's stack.
function check(result) {
  if (result instanceof Error) throw new Error(result.message);
  return result;
}

const product = (shape) => shape.reduce((a, b) => a * b, 1);

function flattenInto(value, out, offset, what) {
  if (typeof value === 'number') {
    out[offset] = value;
    return offset + 1;
  }
  if (ArrayBuffer.isView(value)) {
    if (offset + value.length > out.length) throw new Error(`${what}: too many values`);
    out.set(value, offset);
    return offset + value.length;
  }
  if (!Array.isArray(value))
    throw new Error(`${what}: expected numbers, got ${value === null ? 'null' : typeof value}`);
  for (const v of value) {
    if (offset >= out.length && typeof v === 'number') throw new Error(`${what}: too many values`);
    offset = flattenInto(v, out, offset, what);
  }
  return offset;
}

function countValues(value) {
  if (typeof value === 'number') return 1;
  if (ArrayBuffer.isView(value)) return value.length;
  if (!Array.isArray(value)) return NaN;
  let n = 0;
  for (const v of value) n += countValues(v);
  return n;
}

function toFloat32(values, expected, what) {
  if (values instanceof Float32Array) return values;
  if (ArrayBuffer.isView(values)) return Float32Array.from(values);
  const n = countValues(values);
  if (expected !== undefined && n !== expected)
    throw new Error(`${what}: expected ${expected} values, got ${n}`);
  const out = new Float32Array(n);
  flattenInto(values, out, 0, what);
  return out;
}

// The arguments of the binding's loadData for session(spec, {x, y, scale, testRatio}).
function dataArgs(data) {
  if (data === null || typeof data !== 'object')
    throw new TypeError('session: data must be an object {x, y, scale?, testRatio?}');
  const { x, y, scale, testRatio, targets } = data;
  const bytes = x instanceof Uint8Array || x instanceof Uint8ClampedArray;
  if (!bytes && !(x instanceof Float32Array))
    throw new TypeError('data.x: expected a Uint8Array or a Float32Array of the examples end to end');
  if (!(ArrayBuffer.isView(y) || Array.isArray(y)))
    throw new TypeError('data.y: expected the labels as a typed array or an array of numbers');
  const s = scale ?? (bytes ? 1 / 255 : 1);
  if (!(typeof s === 'number' && Number.isFinite(s) && s > 0))
    throw new Error(`data.scale: expected a positive number, got ${s}`);
  if (testRatio !== undefined && !(typeof testRatio === 'number' && testRatio >= 0 && testRatio <= 0.9))
    throw new Error(`data.testRatio: expected a number from 0 to 0.9, got ${testRatio}`);
  if (targets !== undefined && !(Number.isInteger(targets) && targets >= 1))
    throw new Error(`data.targets: expected a whole number >= 1 (values per example), got ${targets}`);
  const labels = y instanceof Float32Array ? y : Float32Array.from(y);
  return [x, bytes, s, labels, targets ?? 0, testRatio ?? -1];
}

function depth(value) {
  let d = 0;
  for (let v = value; Array.isArray(v) || ArrayBuffer.isView(v); v = v[0]) ++d;
  return d;
}

function rows(flat, n) {
  const k = flat.length / n;
  const out = new Array(n);
  for (let i = 0; i < n; ++i) out[i] = Array.from(flat.subarray(i * k, (i + 1) * k));
  return out;
}

export class Session {
  #handle;
  #info;

  constructor(module, spec, data) {
    let text = spec;
    if (typeof spec !== 'string') {
      if (spec === null || typeof spec !== 'object')
        throw new TypeError('session: expected a model or training spec (an object or a JSON string)');
      text = JSON.stringify(spec);
    }
    const args = data === undefined ? null : dataArgs(data);
    const handle = new module.Session();
    try {
      check(args ? handle.loadData(text, ...args) : handle.load(text));
      this.#info = JSON.parse(check(handle.info()));
    } catch (e) {
      handle.delete();
      throw e;
    }
    this.#handle = handle;
    registry?.register(this, handle, this);
  }

  #h() {
    if (!this.#handle) throw new Error('session: used after dispose()');
    return this.#handle;
  }

  // Inputs as one Float32Array: {data, n, single}. `single` when one example was given on its own.
  #inputs(inputs) {
    const shape = this.#info.inputShape;
    const size = product(shape);
    const what = 'input';
    if (ArrayBuffer.isView(inputs)) {
      if (inputs.length === 0 || inputs.length % size !== 0)
        throw new Error(`${what}: ${inputs.length} values are not whole examples of ${size} values`);
      return { data: toFloat32(inputs), n: inputs.length / size, single: false };
    }
    if (!Array.isArray(inputs)) throw new TypeError(`${what}: expected an array of examples`);
    if (inputs.length === 0) throw new Error(`${what}: expected at least one example`);
    // One example on its own: [1, -1] for input [2], or nested exactly like a multi-dimensional input.
    const single =
      typeof inputs[0] === 'number'
        ? shape.length === 1 && inputs.length === size
        : shape.length > 1 && depth(inputs) === shape.length && inputs.length === shape[0];
    const examples = single ? [inputs] : inputs;
    const data = new Float32Array(examples.length * size);
    examples.forEach((e, i) => {
      const n = countValues(e);
      if (n !== size)
        throw new Error(
          `${what}: example ${i} has ${Number.isNaN(n) ? 'something other than numbers' : `${n} values`}, the model takes [${shape.join(', ')}]`,
        );
      flattenInto(e, data, i * size, `${what}: example ${i}`);
    });
    return { data, n: examples.length, single };
  }

  /** The model's outputs: one row (array of numbers) per example; one row alone for one example alone. */
  predict(inputs) {
    const h = this.#h();
    const { data, n, single } = this.#inputs(inputs);
    const out = rows(check(h.predict(data, n)), n);
    return single ? out[0] : out;
  }

  /** What layer i outputs for these inputs (rows, as predict). Layer -1 is the model's input (the features). */
  activations(i, inputs) {
    const h = this.#h();
    const { data, n, single } = this.#inputs(inputs);
    const out = rows(check(h.activations(i, data, n)), n);
    return single ? out[0] : out;
  }

  /**
   * Every unit of layer i (-1: the input features) over an n×n grid of the 2-D input, in one call:
   * a Float32Array [units][n][n], where [u][r][c] is at x = x0 + (x1-x0)·c/(n-1), y = y0 + (y1-y0)·r/(n-1).
   * Pass yRange as [6, -6] to get the top row at y = 6.
   */
  grid(i, xRange = [-6, 6], yRange = [-6, 6], n = 50) {
    return check(this.#h().grid(i, xRange[0], xRange[1], yRange[0], yRange[1], n));
  }

  /**
   * `steps` mini-batch updates. Returns {step, epoch, examples (seen so far), loss (last batch),
   * trainLoss, testLoss, trainAccuracy, testAccuracy (null unless classifying), gradientRms (the
   * RMS of every parameter gradient of the last step; 0 before any step), diverged}. With
   * {evaluate: false} only {step, epoch, examples, loss, gradientRms, diverged} (no pass over the data).
   */
  train(steps = 1, { evaluate = true } = {}) {
    if (!Number.isInteger(steps) || steps < 0)
      throw new Error(`train: steps must be a whole number >= 0, got ${steps}`);
    return check(this.#h().train(steps, evaluate));
  }

  /** Per layer: {type, inputShape, outputShape, params (count), activation}. */
  layers() {
    return this.#info.layers.map((l) => ({
      ...l,
      inputShape: [...l.inputShape],
      outputShape: [...l.outputShape],
    }));
  }

  /** Shapes, features, loss, split sizes: what does not change while training. */
  info() {
    return structuredClone(this.#info);
  }

  get inputShape() {
    return [...this.#info.inputShape];
  }

  get outputShape() {
    return [...this.#info.outputShape];
  }

  /** Layer i's {weights, bias: Float32Array, shape, biasShape} (copies; empty for a layer without parameters). */
  weights(i) {
    return check(this.#h().parameters(i, false));
  }

  /** The gradients of layer i's parameters from the last training step, as weights(i). */
  gradients(i) {
    return check(this.#h().parameters(i, true));
  }

  /**
   * Replaces layer i's weights and/or bias, and a recurrent layer's recurrentWeights and a GRU's
   * recurrentBias (nested arrays or typed arrays; sizes must match; one left out stays as it is).
   */
  setWeights(i, { weights, bias, recurrentWeights, recurrentBias } = {}) {
    const h = this.#h();
    const values = {};
    for (const [name, v] of Object.entries({ weights, bias, recurrentWeights, recurrentBias }))
      if (v !== undefined && v !== null) values[name] = toFloat32(v, undefined, name);
    check(h.setParameters(i, values));
  }

  /**
   * A character model (a session on the "text" set): the ids of a text's characters in the
   * training text's vocabulary (`info().vocabulary`). Throws naming a character not in it.
   * @param {string} text
   * @returns {number[]}
   */
  encode(text) {
    if (typeof text !== 'string') throw new TypeError('encode: expected a string');
    return check(this.#h().encode(text));
  }

  /**
   * A character model: `length` characters after `prefix`, each drawn from the model's next-character
   * probabilities raised to 1/temperature (temperature 0: always the most probable), from a generator
   * seeded by `seed`. Returns {text, ids} of the new characters.
   */
  sample({ prefix, length = 100, temperature = 1, seed = 0 } = {}) {
    if (typeof prefix !== 'string') throw new TypeError('sample: prefix must be a string');
    if (!Number.isInteger(length) || length < 0)
      throw new Error(`sample: length must be a whole number >= 0`);
    if (!Number.isInteger(seed) || seed < 0 || seed > 4294967295)
      throw new Error('sample: seed must be a whole number from 0 to 4294967295');
    return check(this.#h().sample(prefix, length, temperature, seed));
  }

  /** Hyper-parameters while training: {lr, momentum, batch, optimizer, regularization, regularization_rate}. */
  set(hyperparameters) {
    const text = typeof hyperparameters === 'string' ? hyperparameters : JSON.stringify(hyperparameters);
    check(this.#h().set(text));
  }

  /**
   * The training data: {x, xShape, y, yShape, classes, train, test (Uint32Array indices)}.
   * With {x: false}, x is null (no copy of the examples: the caller has them).
   */
  data({ x = true } = {}) {
    return check(this.#h().data(x));
  }

  /**
   * A split ('test' or 'train', the first `limit` examples; 0: all) through the model, computed by
   * the engine: {count, classes, loss, accuracy (null unless classifying), indices (Uint32Array,
   * into data()), labels, predicted (Int32Array, classification), outputs (Float32Array,
   * count × outputs), probabilities (Float32Array, count × classes, or null), confusion
   * (Uint32Array, classes × classes, row = true class, or null)}.
   */
  evaluate(split = 'test', { limit = 0 } = {}) {
    if (!Number.isInteger(limit) || limit < 0)
      throw new Error(`evaluate: limit must be a whole number >= 0, got ${limit}`);
    return check(this.#h().evaluate(String(split), limit));
  }

  /**
   * Any inputs (as predict takes them) through the model, as evaluate() reads examples:
   * {count, classes, predicted (Int32Array) | null, outputs (Float32Array, count × outputs),
   * probabilities (Float32Array, count × classes) | null}. Classes are known when the session's data
   * has class labels, or for a model alone with several outputs.
   */
  classify(inputs) {
    const h = this.#h();
    const { data, n } = this.#inputs(inputs);
    return check(h.classify(data, n));
  }

  /**
   * ∂L/∂x for these examples (as predict takes them), L the session's loss averaged over them;
   * `labels`: one class index per example ([0, 2]), or one row of targets per example ([[0.3]]). Rows shaped like
   * the inputs (one row alone for one example alone). Dropout acts as at evaluation.
   */
  inputGradients(inputs, labels) {
    const h = this.#h();
    const { data, n, single } = this.#inputs(inputs);
    const y = toFloat32(single && !Array.isArray(labels) ? [labels] : labels, undefined, 'labels');
    // Rows of targets (even one value each) when given as rows; otherwise one class index each.
    const targetRows = Array.isArray(labels) && (Array.isArray(labels[0]) || ArrayBuffer.isView(labels[0]));
    if (y.length === 0 || y.length % n !== 0)
      throw new Error(
        `labels: expected one label or one row of targets per example (${n}), got ${y.length} values`,
      );
    const out = rows(check(h.inputGradients(data, n, y, y.length / n, targetRows)), n);
    return single ? out[0] : out;
  }

  /**
   * The loss landscape over two parameters, each {layer, index, bias?} (index row-major into the
   * layer's weights, or into its bias with bias: true): the training split's loss with a at each of
   * n values over aRange (columns) and b over bRange (rows), the other parameters as they are.
   * A Float32Array n×n; row r at b = b0 + (b1 − b0)·r/(n − 1). The parameters are left unchanged.
   */
  lossSurface(a, b, aRange, bRange, n = 40) {
    const ref = (p, what) => {
      if (!p || !Number.isInteger(p.layer) || !Number.isInteger(p.index) || p.index < 0)
        throw new Error(`lossSurface: ${what} must be {layer, index, bias?} with whole numbers`);
      return [p.layer, p.index, !!p.bias];
    };
    return check(
      this.#h().lossSurface(...ref(a, 'a'), ...ref(b, 'b'), aRange[0], aRange[1], bRange[0], bRange[1], n),
    );
  }

  /** The current hyper-parameters: {optimizer: {type, lr, …}, batch, regularization, regularization_rate}. */
  hyperparameters() {
    return JSON.parse(check(this.#h().hyperparameters()));
  }

  /**
   * A fresh model and trainer from the spec (with another seed if given), keeping the data and the
   * current hyper-parameters.
   */
  reset({ seed } = {}) {
    if (seed !== undefined && !(Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff))
      throw new Error(`reset: seed must be a whole number from 0 to 4294967295, got ${seed}`);
    check(this.#h().reset(seed ?? -1));
    this.#info = JSON.parse(check(this.#h().info()));
  }

  /**
   * Every layer's output for these inputs in one forward pass: [input, layer 0, layer 1, …], each a
   * Float32Array (examples × that layer's output size, flat; the input is the features, if any).
   */
  activationsAll(inputs) {
    const { data, n } = this.#inputs(inputs);
    return check(this.#h().activationsAll(data, n));
  }

  /**
   * The model as dlplay-model JSON (an object), with every weight, the session's "features" and its
   * "loss": a session built from it predicts as this one does.
   */
  toJSON() {
    return JSON.parse(check(this.#h().toJSON()));
  }

  /**
   * The model as a runnable PyTorch script (a string): `model = nn.Sequential(...)` with every
   * weight, and with the spec's input features, a `features(points)` function.
   */
  toPyTorch() {
    return check(this.#h().toPyTorch());
  }

  /**
   * Everything training continues from, as plain data (typed arrays, no functions): a structured
   * clone of it can go to IndexedDB or through postMessage. Not the data: restore it into a session
   * built from the same spec. Shape: the Checkpoint type of dlplay.d.ts (docs/js-api.md).
   */
  checkpoint() {
    return check(this.#h().checkpoint());
  }

  /**
   * Takes a checkpoint() of a session of the same spec: the session then trains on exactly as
   * the checkpointed one would have. All or nothing; a checkpoint that does not fit throws an
   * Error naming the field (`checkpoint.layers[0].outputShape: …`).
   */
  restore(checkpoint) {
    if (checkpoint === null || typeof checkpoint !== 'object')
      throw new TypeError('restore: expected a checkpoint (the object checkpoint() returns)');
    check(this.#h().restore(checkpoint));
  }

  get disposed() {
    return !this.#handle;
  }

  /** Frees the engine's memory for this session. Calling it again does nothing. */
  dispose() {
    if (!this.#handle) return;
    registry?.unregister(this);
    this.#handle.delete();
    this.#handle = null;
  }
}

if (typeof Symbol.dispose === 'symbol') Session.prototype[Symbol.dispose] = Session.prototype.dispose;
