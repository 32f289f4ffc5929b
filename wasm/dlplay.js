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
// loadEngine, session, predict, train, toJSON and dispose are a public contract (course pages and
// users' scripts call them). Every error from the engine arrives as an Error with its message.
//
// Conventions: an example is an array of numbers, nested like the model's input or flat
// (a Float32Array of several examples end to end works too). For a spec with "features", the
// inputs are the 2-D points and the features are computed by the engine. Tensors come back as
// fresh Float32Arrays (copies: they stay valid whatever the engine does next).

const defaultModuleUrl = new URL('../build/wasm/dlplay_engine.mjs', import.meta.url);

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
  const wasmUrl = new URL(options.wasmUrl ?? 'dlplay_engine.wasm', moduleUrl);
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

  constructor(module) {
    this.#module = module;
    /** Name of the SIMD architecture compiled in ("sse2": wasm SIMD128 through Emscripten's SSE2). */
    this.simd = module.simdArch();
  }

  /**
   * A session: a model (JSON object or string), or a training spec (a model plus "data").
   * Throws an Error with the engine's message (naming the field) on a bad spec.
   * @param {object|string} spec
   * @param {object} [data] the training data as typed arrays, for a spec without "data":
   *   x: Uint8Array | Float32Array, N examples of the model's input shape end to end (NCHW);
   *   y: class indices (any typed array or array of numbers), one per example (or N rows of targets);
   *   scale: each value of x is multiplied by it (default 1/255 for a Uint8Array, 1 otherwise);
   *   testRatio: the part held out for testing, stratified per class (default: the spec's, or 0).
   */
  session(spec, data) {
    return new Session(this.#module, spec, data);
  }

  /** Seconds that `reps` n×n float32 products C = A·B take in the engine's GEMM (for benchmarks). */
  benchGemm(n, reps = 1) {
    return this.#module.benchGemm(n, reps);
  }

  /** {heapSize, allocated}: the wasm memory's size and the bytes malloc has handed out. */
  memory() {
    return this.#module.memory();
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
  const { x, y, scale, testRatio } = data;
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
  const labels = y instanceof Float32Array ? y : Float32Array.from(y);
  return [x, bytes, s, labels, testRatio ?? -1];
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
   * `steps` mini-batch updates. Returns {step, epoch, loss (last batch), trainLoss, testLoss,
   * trainAccuracy, testAccuracy (null unless classifying), diverged}. With {evaluate: false} only
   * {step, loss, diverged} (no pass over the data).
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

  /** Replaces layer i's weights and/or bias (nested arrays or typed arrays; sizes must match). */
  setWeights(i, { weights, bias } = {}) {
    const h = this.#h();
    const w = weights === undefined || weights === null ? null : toFloat32(weights, undefined, 'weights');
    const b = bias === undefined || bias === null ? null : toFloat32(bias, undefined, 'bias');
    check(h.setParameters(i, w, b));
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
   * The model's outputs over a split, 'test' or 'train', in the order of data()'s indices (the first
   * `limit` of them; 0: all): one Float32Array, examples × output size.
   */
  splitOutputs(split = 'test', limit = 0) {
    if (!Number.isInteger(limit) || limit < 0)
      throw new Error(`splitOutputs: limit must be a whole number >= 0, got ${limit}`);
    return check(this.#h().splitOutputs(String(split), limit));
  }

  /**
   * Every layer's output for these inputs in one forward pass: [input, layer 0, layer 1, …], each a
   * Float32Array (examples × that layer's output size, flat; the input is the features, if any).
   */
  activationsAll(inputs) {
    const { data, n } = this.#inputs(inputs);
    return check(this.#h().activationsAll(data, n));
  }

  /** The model as dlplay-model JSON (an object), with every weight. */
  toJSON() {
    return JSON.parse(check(this.#h().toJSON()));
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
