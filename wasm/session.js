// The Session class of dlplay's JavaScript API (docs/js-api.md): a model, or a training spec with
// its data and trainer, reached by engine.session(spec, data). Marshalling only: every decision is
// the engine's (engine/include/dlplay/session.hpp).
import {
  check,
  product,
  flattenInto,
  countValues,
  toFloat32,
  dataArgs,
  depth,
  rows,
  Handle,
} from './values.js';

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
    this.#handle = new Handle(this, new module.Session(), 'session', (h) => {
      check(args ? h.loadData(text, ...args) : h.load(text));
      this.#info = JSON.parse(check(h.info()));
    });
  }

  #h() {
    return this.#handle.get();
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

  // Data-parallel training, the parts a Team (wasm/team.js) deals out (docs/parallel.md). The engine
  // plans each step (its batch, its `shards` parts, the dropout generators) and sums the parts'
  // gradients in part order, so any number of workers trains to the same bits.

  /** The next step's plan, {batch: Uint32Array, shards, rngs}: takes its batch as train() would. */
  planStep() {
    return check(this.#h().planStep());
  }

  // A plan as planStep() gives it (the engine checks its values; this, that it can read them).
  static #plan(plan) {
    const ok =
      plan !== null &&
      typeof plan === 'object' &&
      (ArrayBuffer.isView(plan.batch) || Array.isArray(plan.batch)) &&
      Array.isArray(plan.rngs) &&
      plan.rngs.every((g) => g !== null && typeof g === 'object');
    if (!ok) throw new TypeError('plan: expected a step plan from planStep(): {batch, shards, rngs}');
    return plan;
  }

  /** Part `part` of a plan on this session's model: {gradient: Float32Array, loss (its examples' sum)}. */
  shardGradient(plan, part) {
    if (!Number.isInteger(part) || part < 0)
      throw new Error(`shardGradient: part must be a whole number >= 0`);
    return check(this.#h().shardGradient(Session.#plan(plan), part));
  }

  /**
   * The planned step's update from every part's gradient (Float32Array, plan.shards × the gradient
   * size, part after part) and loss; returns what train(1, {evaluate: false}) returns.
   */
  applyShards(plan, gradients, losses) {
    return check(this.#h().applyShards(Session.#plan(plan), toFloat32(gradients), Float64Array.from(losses)));
  }

  /** Every parameter end to end (each layer's as weights(i) lists them): a Float32Array copy. */
  parameterVector() {
    return check(this.#h().parameterVector());
  }

  /** Sets every parameter from a parameterVector() of a session of the same model. */
  setParameterVector(values) {
    check(this.#h().setParameterVector(toFloat32(values)));
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
    return this.#handle.disposed;
  }

  /** Frees the engine's memory for this session. Calling it again does nothing. */
  dispose() {
    this.#handle.dispose();
  }
}

if (typeof Symbol.dispose === 'symbol') Session.prototype[Symbol.dispose] = Session.prototype.dispose;
