// The API as a TypeScript user writes it, type-checked (never run) by `npx tsc -p tsconfig.json`
// against wasm/dlplay.d.ts and wasm/testing.d.ts, resolved through package.json's "exports" like
// an installed package. Each @ts-expect-error line must fail to type-check (tsc reports an unused
// one), so the check cannot pass with types that accept anything.
import { loadEngine, Engine, Session } from 'dlplay';
import { createTeam, Team } from 'dlplay/team';
import { spawnNodeHelper } from 'dlplay/team-node';
import type {
  Evaluation,
  Hyperparameters,
  LayerInfo,
  LayerParameters,
  Metrics,
  ModelJSON,
  ModelSpec,
  Range,
  SessionInfo,
  StepMetrics,
  TrainingData,
  TrainingSpec,
  Vocabulary,
} from 'dlplay';
import { testHooks } from 'dlplay/testing';
import type { MemoryFigures } from 'dlplay/testing';

const dl: Engine = await loadEngine();
await loadEngine({ moduleUrl: new URL('https://example.com/dlplay_engine.mjs'), wasmUrl: '/engine.wasm' });
await loadEngine({ wasmBinary: new Uint8Array(8) });
const simd: string = dl.simd;

// The vocabulary: what a page builds its menus from.
const vocabulary: Vocabulary = dl.vocabulary();
for (const layer of vocabulary.layers)
  for (const [name, field] of Object.entries(layer.fields)) {
    if (typeof field === 'string') {
      const kind: 'activation' | 'initializer' | 'array' = field;
      console.log(layer.type, name, kind);
    } else {
      const range: Range = field;
      console.log(layer.type, name, range.min, range.max, range.default, range.integer ?? false);
    }
  }
const lr: Range | undefined = vocabulary.hyperparameters['lr'];
const tasks: ('classification' | 'regression')[] = vocabulary.datasets.map((d) => d.task);
const maxLayers: number | undefined = vocabulary.limits['layers'];
const nesterov = vocabulary.optimizers.find((o) => o.type === 'sgd')?.fields['nesterov'];
console.log(simd, lr, tasks, maxLayers, nesterov === 'boolean', vocabulary.activations.join());

// A model alone: the lesson's 2-2-2-2 network.
const lesson: ModelSpec = {
  format: 'dlplay-model',
  version: 1,
  input: [2],
  layers: [
    {
      type: 'dense',
      units: 2,
      activation: 'sigmoid',
      weights: [
        [1, -2],
        [-1, 1],
      ],
      bias: [1, 0],
    },
    {
      type: 'dense',
      units: 2,
      activation: 'sigmoid',
      weights: [
        [2, -1],
        [-2, -1],
      ],
      bias: [0, 0],
    },
    {
      type: 'dense',
      units: 2,
      activation: 'sigmoid',
      weights: [
        [3, -1],
        [-1, 4],
      ],
      bias: [-2, 2],
    },
  ],
};
const model: Session = dl.session(lesson);
const one: number[] = model.predict([1, -1]);
const rows: number[][] = model.predict([
  [1, -1],
  [0, 0],
]);
const fromTyped: number[][] = model.predict(new Float32Array([1, -1, 0, 0]));
const hidden: number[] = model.activations(0, [1, -1]);
const all: Float32Array[] = model.activationsAll([[1, -1]]);
const grid: Float32Array = model.grid(1, [-6, 6], [6, -6], 25);
const layers: LayerInfo[] = model.layers();
const shapes: number[][] = [model.inputShape, model.outputShape, ...layers.map((l) => l.outputShape)];
const json: ModelJSON = model.toJSON();
console.log(one[0], rows.length, fromTyped, hidden, all, grid.length, shapes, json.layers[0]?.weights);

const info: SessionInfo = model.info();
if (info.trainable) console.log(info.loss, info.classes, info.trainSize, info.testSize);
// @ts-expect-error: a model-only session has no split (narrow on info.trainable first)
console.log(info.trainSize);

// A training spec: train, read the metrics, evaluate, change hyper-parameters.
const spec: TrainingSpec = {
  input: [2],
  features: ['x1', 'x2'],
  layers: [
    { type: 'dense', units: 4, activation: 'tanh' },
    { type: 'dense', units: 2, activation: 'softmax' },
  ],
  data: { name: 'spiral', n: 200, noise: 0.1, test_ratio: 0.25 },
  loss: 'cross_entropy',
  optimizer: { type: 'adam', lr: 0.01 },
  batch: 16,
  seed: 3,
};
const s = dl.session(spec);
const metrics: Metrics = s.train(10);
const accuracy: number | null = metrics.testAccuracy;
const quick: StepMetrics = s.train(100, { evaluate: false });
// @ts-expect-error: train(k, {evaluate: false}) makes no pass over the data: no trainLoss
console.log(quick.trainLoss);
const evaluation: Evaluation = s.evaluate('test', { limit: 50 });
const confusion: Uint32Array | null = evaluation.confusion;
const predicted: Int32Array | null = evaluation.predicted;
// @ts-expect-error: a split is 'train' or 'test'
s.evaluate('validation');
console.log(accuracy, quick.examples, evaluation.accuracy, confusion, predicted, s.evaluate().count);

s.set({ lr: 0.003, batch: 32, regularization: 'l2', regularization_rate: 0.001 });
s.set('{"optimizer": "sgd"}');
const hyper: Hyperparameters = s.hyperparameters();
if (hyper.optimizer.type === 'adam') console.log(hyper.optimizer.beta1, hyper.optimizer.epsilon);
else if (hyper.optimizer.type === 'sgd') console.log(hyper.optimizer.momentum, hyper.optimizer.nesterov);

const w: LayerParameters = s.weights(0);
const g: LayerParameters = s.gradients(0);
s.setWeights(0, { weights: w.weights.map((v) => v * 0.5) });
s.setWeights(0, { bias: [0, 0, 0, 0] });
const dx: number[] = s.inputGradients([0.5, -0.5], 1);
const dxs: number[][] = s.inputGradients(
  [
    [0.5, -0.5],
    [1, 1],
  ],
  [1, 0],
);
console.log(w.shape, g.biasShape, dx, dxs);

const data: TrainingData = s.data();
const points: Float32Array = s.data().x;
const labelsOnly: null = s.data({ x: false }).x;
const split: [Uint32Array, Uint32Array] = [data.train, data.test];
console.log(points.length, labelsOnly, split, data.classes, data.yShape);
s.reset({ seed: 4 });
s.reset();

// Image sets as typed arrays, with a training spec without "data".
const n = 64;
const images = dl.session(
  {
    input: [1, 8, 8],
    layers: [
      { type: 'conv2d', filters: 4, kernel: 3, padding: 1, activation: 'relu' },
      { type: 'maxpool2d', size: 2 },
      { type: 'flatten' },
      { type: 'dense', units: 10, activation: 'softmax' },
    ],
    loss: 'cross_entropy',
  },
  { x: new Uint8Array(n * 64), y: new Uint8Array(n), testRatio: 0.2 },
);
const regression = dl.session(
  { input: [3], layers: [{ type: 'dense', units: 2 }] },
  { x: new Float32Array(n * 3), y: new Float32Array(n * 2), targets: 2, scale: 1 },
);
// @ts-expect-error: x is a Uint8Array or a Float32Array, not an array of numbers
dl.session({ input: [2], layers: [{ type: 'dense', units: 1 }] }, { x: [1, 2], y: [0] });
// @ts-expect-error: inputs are numbers
model.predict(['1', '-1']);

// The testing entry.
const hooks = testHooks(dl);
const memory: MemoryFigures = hooks.memory();
const seconds: number = hooks.benchGemm(64, 2);
// @ts-expect-error: GEMM timing is on testHooks(engine), not on the Engine
dl.benchGemm(64);
console.log(memory.heapSize - memory.allocated, seconds);

// Data-parallel training (dlplay/team): the same weights for any number of workers.
const imagesSpec = { input: [1, 8, 8], layers: [{ type: 'dense', units: 10 }], shards: 4 } as const;
const team: Team = await createTeam(images, { workers: 2, spec: imagesSpec, spawn: spawnNodeHelper });
const stepped: StepMetrics = await team.train(10);
const helped: number = team.helperParts;
team.close();
const plan = images.planStep();
const part: Float32Array = images.shardGradient(plan, 0).gradient;
images.applyShards(plan, new Float32Array(plan.shards * part.length), new Array(plan.shards).fill(0));
// @ts-expect-error: the worker count is a number
await createTeam(images, { workers: '2', spec: imagesSpec });
console.log(stepped.step, helped, images.parameterVector().length);

for (const session of [model, s, images, regression]) session.dispose();
const disposed: boolean = model.disposed;
console.log(disposed);
