// Declarations for dlplay's JavaScript API (wasm/dlplay.js): browsers, workers and Node.
//
//   import { loadEngine } from 'dlplay';
//   const dl = await loadEngine();
//   const s = dl.session(spec);
//   s.predict([1, -1]);   // number[]: one example alone gives one row alone
//   s.train(100);         // Metrics
//   s.dispose();
//
// wasm/dlplay.js's JSDoc is the contract these types describe. Test and benchmark hooks are
// declared in testing.d.ts ('dlplay/testing').

/** Numbers nested to any depth: [1, 2], [[1, 2], [3, 4]], … */
export type NestedNumbers = readonly (number | NestedNumbers)[];

/** Any typed array of numbers (not BigInt64Array / BigUint64Array). */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

/**
 * Examples for predict(), activations(), inputGradients(): one example (an array of numbers,
 * flat or nested like the model's input), an array of examples, or a typed array of several
 * examples end to end. For a spec with "features", an example is a 2-D point [x1, x2].
 */
export type Inputs = NestedNumbers | NumericArray;

// ---------------------------------------------------------------------------------------------
// Loading

export interface LoadOptions {
  /** Where dlplay_engine.mjs is (default: ../build/wasm/ from wasm/dlplay.js). */
  moduleUrl?: string | URL;
  /** Where its .wasm is (default: dlplay_engine.wasm beside the .mjs). */
  wasmUrl?: string | URL;
  /** The .wasm's bytes, if you have them already. */
  wasmBinary?: ArrayBuffer | Uint8Array;
}

/** Loads the WebAssembly engine. */
export function loadEngine(options?: LoadOptions): Promise<Engine>;

// ---------------------------------------------------------------------------------------------
// Specs (see docs/spec-format.md): a model, or a training spec (a model plus its data and training
// settings). Names (layer types, activations, losses, …) are those of Engine#vocabulary().

/** One layer of a model. Which fields apply depends on `type` (vocabulary().layers). */
export interface LayerSpec {
  /**
   * dense, conv2d, maxpool2d, avgpool2d, flatten, dropout, rnn, lstm, gru, embedding, or an
   * activation as a layer of its own.
   */
  type: string;
  name?: string;
  /** dense: how many neurons; rnn, lstm, gru: the hidden state's size; embedding: each vector's length. */
  units?: number;
  /** embedding: how many token ids. */
  vocab?: number;
  /** rnn, lstm, gru: every step's hidden state [T, units] (true), or the last one [units]. */
  return_sequences?: boolean;
  /** conv2d. */
  filters?: number;
  kernel?: number;
  stride?: number;
  padding?: number;
  /** maxpool2d, avgpool2d: the window size. */
  size?: number;
  /** dropout: the part of the units dropped while training. */
  rate?: number;
  activation?: string;
  /** leaky_relu's slope. */
  alpha?: number;
  init?: string;
  /** dense: one row of incoming weights per neuron; conv2d: [filters][channels][kernel][kernel]. */
  weights?: NestedNumbers;
  bias?: readonly number[];
  /** rnn, lstm, gru: [gates × units][units], PyTorch's weight_hh. */
  recurrent_weights?: NestedNumbers;
  /** gru: PyTorch's b_hh (its bias is b_ih). */
  recurrent_bias?: readonly number[];
}

/** A model: "dlplay-model" JSON (what Session#toJSON() returns, weights and all). */
export interface ModelSpec {
  format?: 'dlplay-model';
  version?: 1;
  /** The shape of one example: 1 to 3 whole numbers, e.g. [2] or [1, 28, 28]. */
  input: readonly number[];
  layers: readonly LayerSpec[];
  init?: string;
  seed?: number;
  name?: string;
  /**
   * Input features computed from 2-D points (x1, x2, x1sq, …), once each; `input` is then
   * [features] and callers give points.
   */
  features?: readonly string[];
  /** mse or cross_entropy: the loss trained with, which also says how one output reads as a class. */
  loss?: string;
}

export interface OptimizerSpec {
  /** sgd, adam, adagrad or rmsprop. */
  type?: string;
  lr?: number;
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  rho?: number;
  epsilon?: number;
  /** > 0: the gradient of all parameters together is scaled down to at most this norm. */
  clip_norm?: number;
}

export interface RegularizationSpec {
  /** none, l1 or l2. */
  type?: string;
  rate?: number;
}

/** The data of a training spec: a built-in 2-D set (by name or with options) or inline examples. */
export type DataSpec =
  | string
  | {
      name: string;
      n?: number;
      noise?: number;
      /** gaussian and spiral: how many classes, 2 to 6 (vocabulary().datasets says which take it). */
      classes?: number;
      test_ratio?: number;
    }
  | {
      /** A character model's text: windows of `length` characters, each labelled with the next ones. */
      name: 'text';
      text: string;
      length?: number;
      /** Characters between window starts (default: length). */
      stride?: number;
      /** Examples as one-hot rows [T, V] instead of ids [T]. */
      one_hot?: boolean;
      test_ratio?: number;
    }
  | { name: 'parity'; n?: number; length?: number; test_ratio?: number }
  | { x: NestedNumbers; y: NestedNumbers; test_ratio?: number };

/** Hyper-parameters: what a training spec sets and Session#set() changes while training. */
export interface HyperparameterSpec {
  /** An optimizer name, or an object with its type and settings. */
  optimizer?: string | OptimizerSpec;
  lr?: number;
  momentum?: number;
  batch?: number;
  /** none, l1, l2, or {type, rate}. */
  regularization?: string | RegularizationSpec;
  regularization_rate?: number;
}

/**
 * A training spec: a model plus "data" (leave "data" out when giving the data as typed arrays to
 * Engine#session(spec, data)).
 */
export interface TrainingSpec extends ModelSpec, HyperparameterSpec {
  data?: DataSpec;
  steps?: number;
  epochs?: number;
  test_ratio?: number;
  log_every?: number;
}

/** Anything Engine#session() takes as its spec: a model or training spec, or its JSON text. */
export type Spec = ModelSpec | TrainingSpec | string;

/** Training data as typed arrays (fast: no JSON), for a training spec without "data". */
/** A step's plan for data-parallel training: its examples, its part count, the dropout generators. */
export interface StepPlan {
  batch: Uint32Array;
  shards: number;
  rngs: { state: string; spare: number | null }[];
}

export interface TypedData {
  /**
   * N examples of the model's input shape end to end (NCHW). A Uint8Array (or Uint8ClampedArray)
   * is scaled by 1/255 unless `scale` says otherwise.
   */
  x: Uint8Array | Uint8ClampedArray | Float32Array;
  /**
   * One class index per example, or with `targets`, that many target values per example
   * (regression; rows end to end).
   */
  y: NumericArray | readonly number[];
  /** Each value of x is multiplied by it (default 1/255 for bytes, 1 otherwise); > 0. */
  scale?: number;
  /** The part held out for testing, 0 to 0.9, stratified per class (default: the spec's, or 0). */
  testRatio?: number;
  /** Values per example in y (a whole number >= 1; leave out for class indices). */
  targets?: number;
}

// ---------------------------------------------------------------------------------------------
// The engine's vocabulary

/** A numeric field's accepted range and its default (what an absent field means). */
export interface Range {
  min: number;
  max: number;
  /** What an absent field means (absent where it depends on another field: see defaultsTo). */
  default?: number;
  /** An absent field takes this other field's value (a pool's stride: its size). */
  defaultsTo?: string;
  /** Whole numbers only. */
  integer?: boolean;
}

export interface Vocabulary {
  /** Layer types and their fields: a range, or the kind of value ('activation': a name of `activations`, …). */
  layers: { type: string; fields: Record<string, Range | 'activation' | 'initializer' | 'array'> }[];
  activations: string[];
  losses: string[];
  optimizers: { type: string; fields: Record<string, Range | 'boolean'> }[];
  initializers: string[];
  regularizations: string[];
  /** Input features computed from 2-D points. */
  features: string[];
  /** The built-in 2-D data sets; `classes`: the range of the class count, on the sets that take one. */
  datasets: { name: string; task: 'classification' | 'regression'; classes?: Range }[];
  /** The sequence sets (text, parity) and their fields: one class per step. */
  sequenceDatasets: { name: string; fields: Record<string, Range | string> }[];
  /** Ranges of the hyper-parameters (lr, momentum, batch, regularization_rate). */
  hyperparameters: Record<string, Range>;
  /** Ranges of a built-in data set's options (n, noise, test_ratio). */
  data?: Record<string, Range>;
  /** The engine's size limits (layers, layerParams, exampleValues, inputDims). */
  limits: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------
// What sessions return

/** A layer as built: Session#layers() and info().layers. */
export interface LayerInfo {
  type: string;
  inputShape: number[];
  outputShape: number[];
  /** Parameter count. */
  params: number;
  activation: string;
}

/** What info() holds for every session. */
export interface SessionInfoBase {
  /** One example as callers give it: the model's input, or [2] (points) with features. */
  inputShape: number[];
  /** What the model itself takes (the features, when there are any). */
  modelInputShape: number[];
  outputShape: number[];
  /** Parameter count. */
  params: number;
  features: string[];
  layers: LayerInfo[];
  simd: string;
}

/** info() of a session from a model alone (no data: predicts, cannot train). */
export interface ModelInfo extends SessionInfoBase {
  trainable: false;
  /** The model JSON's "loss", when it has one. */
  loss?: string;
}

/** info() of a session from a training spec. */
export interface TrainingInfo extends SessionInfoBase {
  trainable: true;
  loss: string;
  /** Class count; 0 for regression. */
  classes: number;
  trainSize: number;
  testSize: number;
  /** A sequence with one class per step (the text and parity sets): its steps. */
  steps?: number;
  /** The text set: the character of each id. */
  vocabulary?: string[];
}

/** Session#info(): shapes, features, loss, split sizes; `trainable` tells which kind. */
export type SessionInfo = ModelInfo | TrainingInfo;

/** Session#train(steps, {evaluate: false}): no pass over the data. */
export interface StepMetrics {
  step: number;
  /** Examples seen / train size. */
  epoch: number;
  /** Examples seen so far. */
  examples: number;
  /** The last batch's loss. */
  loss: number;
  /**
   * The root mean square of every parameter's gradient (all layers' weights and biases) from the
   * last training step; 0 before any step. Near 0 for many steps: a saturated network.
   */
  gradientRms: number;
  /** A loss or a weight is NaN or infinite. */
  diverged: boolean;
}

/** Session#train(steps): the step's figures and the losses and accuracies over both splits. */
export interface Metrics extends StepMetrics {
  trainLoss: number;
  /** null without a test split. */
  testLoss: number | null;
  /** null unless classifying. */
  trainAccuracy: number | null;
  /** null unless classifying with a test split. */
  testAccuracy: number | null;
  /** Sequences with one class per step: e^trainLoss, the per-step (per-character) perplexity. */
  trainPerplexity?: number;
  testPerplexity?: number | null;
}

/** Session#evaluate(): a split through the model. */
export interface Evaluation {
  /** Examples evaluated (the split's first `limit`, or all). */
  count: number;
  /** Class count; 0 for regression. */
  classes: number;
  /** The session's loss, mean over the examples. */
  loss: number;
  /** null unless classifying (or when count is 0). */
  accuracy: number | null;
  /** Each example's index into data(). */
  indices: Uint32Array;
  /** Each example's true class; null for regression. */
  labels: Int32Array | null;
  /** Each example's predicted class; null for regression. */
  predicted: Int32Array | null;
  /** count × outputs, the model's outputs. */
  outputs: Float32Array;
  /** count × classes, each class's probability; null unless classifying. */
  probabilities: Float32Array | null;
  /** classes × classes, row = true class, column = predicted; null unless classifying (or count is 0). */
  confusion: Uint32Array | null;
}

/** Session#classify(): any inputs through the model, as evaluate() reads examples. */
export interface Classification {
  count: number;
  /** Class count; 0 when the session does not classify. */
  classes: number;
  /** Each input's predicted class; null when not classifying. */
  predicted: Int32Array | null;
  /** count × outputs, the model's outputs. */
  outputs: Float32Array;
  /** count × classes, each class's probability; null when not classifying. */
  probabilities: Float32Array | null;
}

/** Session#weights(i) and gradients(i); empty arrays for a layer without parameters. */
export interface LayerParameters {
  weights: Float32Array;
  bias: Float32Array;
  shape: number[];
  biasShape: number[];
  /** rnn, lstm, gru. */
  recurrentWeights?: Float32Array;
  recurrentWeightsShape?: number[];
  /** gru. */
  recurrentBias?: Float32Array;
  recurrentBiasShape?: number[];
}

/** Session#data(): the training data as given (2-D points before features) and the split. */
export interface TrainingData {
  /** The examples end to end; null with {x: false}. */
  x: Float32Array | null;
  xShape: number[];
  /** Class indices, or rows of targets. */
  y: Float32Array;
  yShape: number[];
  classes: number;
  /** Indices of the training split's examples. */
  train: Uint32Array;
  /** Indices of the test split's examples. */
  test: Uint32Array;
}

/** The optimizer in Session#hyperparameters(), with the settings its type uses. */
export type OptimizerState =
  | { type: 'sgd'; lr: number; momentum: number; nesterov: boolean }
  | { type: 'adam'; lr: number; beta1: number; beta2: number; epsilon: number }
  | { type: 'adagrad'; lr: number; epsilon: number }
  | { type: 'rmsprop'; lr: number; rho: number; epsilon: number };

/** Session#hyperparameters(): the current ones. */
export interface Hyperparameters {
  optimizer: OptimizerState;
  batch: number;
  regularization: string;
  regularization_rate: number;
}

/**
 * The model as "dlplay-model" JSON, with every weight (Session#toJSON()), its `features` when the
 * session has them and its `loss` (a training session's; a model alone's when it was given one).
 */
export interface ModelJSON extends ModelSpec {
  format: 'dlplay-model';
  version: 1;
}

// ---------------------------------------------------------------------------------------------
// Checkpoints: Session#checkpoint() and Session#restore()

/** A random generator's state: its 64-bit state as two 32-bit halves, and Box–Muller's spare value. */
export interface RngState {
  /** [low 32 bits, high 32 bits]. */
  state: [number, number];
  /** The second normal value kept for the next draw, or null. */
  spare: number | null;
}

/** One parameter (weights or bias) in a checkpoint: values as the engine holds them (float32). */
export interface CheckpointParameter {
  name: 'weights' | 'bias';
  shape: number[];
  /** The values, row-major (as weights(i)). */
  value: Float32Array;
  /** The gradient of the last training step (as gradients(i)). */
  gradient: Float32Array;
  /**
   * The optimizer's moment estimates (m: momentum, Adam's first moment; v: Adam's second moment,
   * Adagrad's and RMSprop's accumulators): as many values as `value`, or all empty (length 0)
   * when the optimizer has not stepped since its type last changed.
   */
  m: Float32Array;
  v: Float32Array;
}

/** One layer in a checkpoint: what it must match (type, activation, shapes) and its state. */
export interface CheckpointLayer {
  type: string;
  activation: string;
  inputShape: number[];
  outputShape: number[];
  /** Empty for a layer without parameters. */
  params: CheckpointParameter[];
  /** A dropout layer's mask generator; null for every other layer. */
  rng: RngState | null;
}

/**
 * Session#checkpoint(): everything training continues from, as plain data (structuredClone,
 * postMessage and IndexedDB keep it; JSON does not: typed arrays and NaN). Restored into a session
 * of the same spec, training goes on to the last bit as if it had not stopped.
 */
export interface Checkpoint {
  format: 'dlplay-checkpoint';
  version: 1;
  // What it fits (checked by restore()).
  layers: CheckpointLayer[];
  /** The input features' names ([] without features). */
  features: string[];
  loss: string;
  /** Class count; 0 for regression. */
  classes: number;
  trainSize: number;
  testSize: number;
  /** A fingerprint of the data as given (16 hex digits). */
  dataHash: string;
  // The training state.
  /** The split's and the initial weights' seed (reset({seed}) may have changed it). */
  seed: number;
  /** The current hyper-parameters, every optimizer setting included. */
  hyperparameters: {
    optimizer: {
      type: string;
      lr: number;
      momentum: number;
      nesterov: boolean;
      beta1: number;
      beta2: number;
      rho: number;
      epsilon: number;
    };
    batch: number;
    regularization: string;
    regularization_rate: number;
  };
  /** The optimizer's steps since its type last changed (Adam's bias correction). */
  optimizerSteps: number;
  step: number;
  examples: number;
  /** This epoch's shuffled order of the training examples (indices into data()). */
  order: Uint32Array;
  /** Where the next batch starts in `order`. */
  cursor: number;
  /** The shuffles' generator. */
  rng: RngState;
  diverged: boolean;
}

// ---------------------------------------------------------------------------------------------
// Engine and Session

export class Engine {
  /** Engines come from loadEngine(). */
  private constructor();
  /** Name of the SIMD architecture compiled in ("sse2": wasm SIMD128 through Emscripten's SSE2). */
  readonly simd: string;
  /** What the engine accepts: layer types and their fields' ranges, names, data sets, limits (a copy). */
  vocabulary(): Vocabulary;
  /**
   * A session: a model or a training spec (object or JSON string), and for a training spec
   * without "data", its data as typed arrays. Throws an Error with the engine's message (naming
   * the field) on a bad spec.
   */
  session(spec: Spec, data?: TypedData): Session;
  /** A text's distinct characters in code point order: a character model's vocabulary. */
  textVocabulary(text: string): string[];

  /** A 2-D GAN (docs/gan.md). Throws an Error with the engine's message (naming the field). */
  gan(spec?: GanSpec | string): Gan;
}

export class Session {
  /** Sessions come from Engine#session(). */
  private constructor();

  /**
   * The model's outputs, one row per example. One example alone gives one row alone: a flat array
   * of numbers is one example (for a model whose input is [1], several numbers are several
   * examples, and the result is rows).
   */
  predict(inputs: readonly number[]): number[];
  /**
   * Several examples give rows: a typed array of examples end to end, or an array of flat
   * examples (for a model whose input is 2-D, [H, W], an [H][W] array is one example: one row).
   */
  predict(inputs: NumericArray | readonly (readonly number[])[]): number[][];
  /** Examples nested like the model's input: one row for one example, rows for several. */
  predict(inputs: Inputs): number[] | number[][];

  /** What layer i outputs for these inputs (rows, as predict). Layer -1 is the model's input (the features). */
  activations(i: number, inputs: readonly number[]): number[];
  activations(i: number, inputs: NumericArray | readonly (readonly number[])[]): number[][];
  activations(i: number, inputs: Inputs): number[] | number[][];

  /**
   * Every unit of layer i (-1: the input features) over an n×n grid of the 2-D input, in one
   * call: [units][n][n], where [u][r][c] is at x = x0 + (x1-x0)·c/(n-1), y = y0 + (y1-y0)·r/(n-1).
   * Defaults: [-6, 6], [-6, 6], 50. Pass yRange as [6, -6] to get the top row at y = 6.
   */
  grid(
    i: number,
    xRange?: readonly [number, number],
    yRange?: readonly [number, number],
    n?: number,
  ): Float32Array;

  /** `steps` (default 1) mini-batch updates, then the metrics over both splits. */
  train(steps?: number, options?: { evaluate?: true }): Metrics;
  /** Without the pass over the data: {step, epoch, examples, loss, diverged}. */
  train(steps: number | undefined, options: { evaluate: false }): StepMetrics;
  train(steps?: number, options?: { evaluate?: boolean }): Metrics | StepMetrics;

  /** Data-parallel training (docs/parallel.md; wasm/team.js deals the parts out). The next step's plan. */
  planStep(): StepPlan;
  /** Part `part` of a plan on this session's model: its share of the batch gradient, its examples' loss sum. */
  shardGradient(plan: StepPlan, part: number): { gradient: Float32Array; loss: number };
  /** The planned step's update from every part's gradient (plan.shards × size values) and loss. */
  applyShards(plan: StepPlan, gradients: Float32Array, losses: ArrayLike<number>): StepMetrics;
  /** Every parameter end to end, as weights(i) lists them layer after layer (a copy). */
  parameterVector(): Float32Array;
  /** Sets every parameter from a parameterVector() of a session of the same model. */
  setParameterVector(values: Float32Array | ArrayLike<number>): void;

  /** Per layer: type, shapes, parameter count, activation (copies). */
  layers(): LayerInfo[];
  /** Shapes, features, loss, split sizes: what does not change while training (a copy). */
  info(): SessionInfo;
  readonly inputShape: number[];
  readonly outputShape: number[];

  /** Layer i's weights and bias (copies; empty for a layer without parameters). */
  weights(i: number): LayerParameters;
  /** The gradients of layer i's parameters from the last training step, as weights(i). */
  gradients(i: number): LayerParameters;
  /** Replaces layer i's parameters given (nested arrays or typed arrays; sizes must match). */
  setWeights(
    i: number,
    values?: {
      weights?: NestedNumbers | NumericArray | null;
      bias?: NestedNumbers | NumericArray | null;
      recurrentWeights?: NestedNumbers | NumericArray | null;
      recurrentBias?: NestedNumbers | NumericArray | null;
    },
  ): void;

  /** A character model: the ids of a text's characters (throws naming one not in the vocabulary). */
  encode(text: string): number[];
  /**
   * A character model: `length` characters after `prefix`, drawn from p^(1/temperature)
   * (temperature 0: the most probable each time), seeded.
   */
  sample(options: { prefix: string; length?: number; temperature?: number; seed?: number }): {
    text: string;
    ids: number[];
  };

  /** Changes hyper-parameters while training (an object or its JSON text); all or nothing. */
  set(hyperparameters: HyperparameterSpec | string): void;
  /** The current hyper-parameters. */
  hyperparameters(): Hyperparameters;

  /** The training data and the split (x copied). */
  data(options?: { x?: true }): TrainingData & { x: Float32Array };
  /** With {x: false}, x is null (no copy of the examples: the caller has them). */
  data(options: { x: false }): TrainingData & { x: null };
  data(options?: { x?: boolean }): TrainingData;

  /** A split ('test' by default) through the model; `limit`: its first examples only (0: all). */
  evaluate(split?: 'train' | 'test', options?: { limit?: number }): Evaluation;

  /** The training split's loss over two parameters, a across (columns) and b down (rows): n×n. */
  lossSurface(
    a: { layer: number; index: number; bias?: boolean },
    b: { layer: number; index: number; bias?: boolean },
    aRange: readonly [number, number],
    bRange: readonly [number, number],
    n?: number,
  ): Float32Array;

  /** Any inputs (as predict takes them) through the model: outputs, predicted classes, probabilities. */
  classify(inputs: Inputs): Classification;

  /**
   * ∂L/∂x for these examples (as predict takes them), L the session's loss averaged over them;
   * `labels`: one class index per example ([0, 2]), or one row of targets per example ([[0.3]]). Rows shaped like
   * the inputs (one row alone for one example alone). Dropout acts as at evaluation.
   */
  inputGradients(inputs: readonly number[], labels: number | NestedNumbers | NumericArray): number[];
  inputGradients(
    inputs: NumericArray | readonly (readonly number[])[],
    labels: NestedNumbers | NumericArray,
  ): number[][];
  inputGradients(inputs: Inputs, labels: number | NestedNumbers | NumericArray): number[] | number[][];

  /**
   * A fresh model and trainer from the spec (with another seed if given, 0 to 4294967295),
   * keeping the data and the current hyper-parameters.
   */
  reset(options?: { seed?: number }): void;

  /**
   * Every layer's output for these inputs in one forward pass: [input, layer 0, layer 1, …], each
   * a Float32Array (examples × that layer's output size; the input is the features, if any).
   */
  activationsAll(inputs: Inputs): Float32Array[];

  /**
   * The model as dlplay-model JSON (an object), with every weight, the session's `features` and
   * its `loss`: dl.session(s.toJSON()) predicts as s does, on the same inputs (points with features).
   */
  toJSON(): ModelJSON;

  /**
   * The model as a runnable PyTorch script: `model = nn.Sequential(...)` with every weight (to 9
   * significant digits), `model.eval()`, and with the spec's input features, `features(points)`.
   */
  toPyTorch(): string;

  /**
   * Everything training continues from (parameters, gradients, optimizer state, step, epoch order
   * and cursor, random generators, hyper-parameters, seed, divergence), as plain data; not the data.
   */
  checkpoint(): Checkpoint;
  /**
   * Takes a checkpoint of a session of the same spec (layers, features, loss, data and split must
   * match, else an Error naming the field); all or nothing. Training then continues bit for bit.
   */
  restore(checkpoint: Checkpoint): void;

  /** True once dispose() has been called. */
  readonly disposed: boolean;
  /** Frees the engine's memory for this session. Calling it again does nothing. */
  dispose(): void;
}

// ---- The 2-D GAN (docs/gan.md) ----

/** A real distribution: a built-in one by name, or an object (with the drawn points for "points"). */
export type GanRealSpec =
  | 'ring'
  | 'gaussians'
  | 'line'
  | {
      name: 'ring' | 'gaussians' | 'line' | 'points';
      /** Real samples, 1 to 10000 (default 512). */
      n?: number;
      /** Standard deviation of the Gaussian noise on each sample, 0 to 0.5. */
      noise?: number;
      /** gaussians only: how many, 1 to 12 (default 4). */
      modes?: number;
      /** points only: 1 to 5000 points [x, y] in [−1, 1]². */
      points?: readonly (readonly [number, number])[];
    };

/** One network's optimizer: {optimizer: 'adam' | {type, lr, …}, lr?, momentum?}. */
export interface GanOptimizerSpec {
  optimizer?: OptimizerSpec | 'sgd' | 'adam' | 'adagrad' | 'rmsprop';
  lr?: number;
  momentum?: number;
}

/** What may change while training (Gan#configure). */
export interface GanSettings {
  /** Discriminator steps per generator step, 1 to 20. */
  k?: number;
  /** Real and generated examples per step, 1 to 1024. */
  batch?: number;
  generator_optimizer?: GanOptimizerSpec;
  discriminator_optimizer?: GanOptimizerSpec;
}

export interface GanSpec extends GanSettings {
  real?: GanRealSpec;
  /** z is uniform in [−1, 1]^noise_dims: 1 or 2 (default 2). */
  noise_dims?: 1 | 2;
  /** Layers of G: input [noise_dims], output 2 values. */
  generator?: { input?: number[]; layers: LayerSpec[]; init?: string; seed?: number };
  /** Layers of D: input [2], output 1 value through a sigmoid. */
  discriminator?: { input?: number[]; layers: LayerSpec[]; init?: string; seed?: number };
  /** Generated points shown (a fixed z), 1 to 4096 (default 256). */
  samples?: number;
  seed?: number;
}

/** The losses of a step's batches (Gan#step) or of the whole real set and the points shown (Gan#metrics). */
export interface GanLosses {
  /** −E[log D(x)] − E[log(1 − D(G(z)))] */
  dLoss: number;
  /** −E[log D(G(z))]: the non-saturating loss G is trained with. */
  gLoss: number;
  /** E[log D(x)], the first term of V(D, G). */
  logDReal: number;
  /** E[log(1 − D(G(z)))], the second term. */
  logOneMinusFake: number;
  /** V(D, G) = logDReal + logOneMinusFake. */
  value: number;
}

export interface GanInfo {
  k: number;
  batch: number;
  generator_optimizer: { optimizer: OptimizerSpec };
  discriminator_optimizer: { optimizer: OptimizerSpec };
  steps: number;
  diverged: boolean;
  noise_dims: number;
  samples: number;
  real: { name: string; n: number; noise: number };
  generator: ModelJSON;
  discriminator: ModelJSON;
  generator_parameters: number;
  discriminator_parameters: number;
}

/** Gan#checkpoint(): plain JSON data, format "dlplay-gan-checkpoint". */
export interface GanCheckpoint {
  format: 'dlplay-gan-checkpoint';
  version: 1;
  steps: number;
  diverged: boolean;
  [key: string]: unknown;
}

export class Gan {
  private constructor();
  info(): GanInfo;
  /** k, batch and either optimizer while training; all or nothing. */
  configure(settings: GanSettings | string): void;
  /** Up to n steps (k D updates, then one G update each); fewer once diverged. One record per step. */
  step(n?: number): GanLosses[];
  metrics(): GanLosses;
  /** Everything training continues from, as plain data (docs/gan.md § Checkpoints). */
  checkpoint(): GanCheckpoint;
  /** A checkpoint of a GAN of the same spec; training then continues bit for bit. All or nothing. */
  restore(checkpoint: GanCheckpoint | string): void;
  readonly steps: number;
  readonly diverged: boolean;
  /** The real samples, x0 y0 x1 y1 … */
  real(): Float32Array;
  /** The fixed z of the points shown, noise_dims values per point. */
  noise(): Float32Array;
  /** G(z) of noise(), x0 y0 x1 y1 … */
  generated(): Float32Array;
  /** Where G's loss pushes each generated point, dx0 dy0 … */
  gradients(): Float32Array;
  /** D over a res × res grid of [−1, 1]² (1 to 256), row 0 at the top. */
  discriminator(res: number): Float32Array;
  readonly disposed: boolean;
  dispose(): void;
}
