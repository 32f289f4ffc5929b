'use strict';
// W5 (issue 12): a character-level LSTM language model, for every library of the harness.
// Required by worker.cjs, which measures it like W2 (its measure(), paths, windows, records).
//
// One-hot vocabulary of 65 characters, LSTM of 128 units over sequences of 25 steps, a dense
// softmax layer of 65 units at every step, cross-entropy at every step (the next character),
// mini-batches of 16, Adam (lr 0.002). The data: a deterministic text of exactly 65 distinct
// characters ('!' to 'a', each once, then mulberry32 picks), cut into 64 windows of 25
// characters (stride 25), each with the following character as the label of every step:
// dlplay's built-in text set with "one_hot": true makes them from the text; the peers get the
// same windows as one-hot tensors (the vocabulary in code point order, as the engine's).
//
//   dlplay: {"input": [25, 65], "layers": [{"type": "lstm", "units": 128, "return_sequences": true},
//            {"type": "dense", "units": 65, "activation": "softmax"}], "loss": "cross_entropy", …}
//   TF.js:  tf.layers.lstm({units: 128, returnSequences: true}) + timeDistributed(dense softmax),
//           categoricalCrossentropy; and the same cell in core ops for optimizer.minimize.
//   ConvNetJS has no recurrent layer: its row says so ("—").

const W5 = { name: 'W5 lstm-lm', nExamples: 64, batch: 16, steps: 25, vocab: 65, units: 128, lr: 0.002 };
const { steps: T, vocab: V, units: H } = W5;

function mulberry32(seed) {
  let a = seed >>> 0;
  return function () {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The text (N·T + 1 characters, so that stride T gives exactly N windows with a next character)
// and the same windows as one-hot inputs x [N, T, V] and one-hot next characters y [N, T, V].
function w5Data(seed = 1234) {
  const alphabet = Array.from({ length: V }, (_, i) => String.fromCharCode(33 + i)); // '!'..'a'
  const r = mulberry32(seed);
  const chars = alphabet.slice();
  while (chars.length < W5.nExamples * T + 1) chars.push(alphabet[Math.floor(r() * V)]);
  const text = chars.join('');
  const vocabulary = [...new Set(chars)].sort(); // UTF-16 order = code point order for these
  const id = new Map(vocabulary.map((c, i) => [c, i]));
  const n = W5.nExamples;
  const x = new Float32Array(n * T * V),
    y = new Float32Array(n * T * V);
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      x[(i * T + t) * V + id.get(chars[i * T + t])] = 1;
      y[(i * T + t) * V + id.get(chars[i * T + t + 1])] = 1;
    }
  return { text, vocabulary, x, y };
}

// dlplay: the built-in text set, one-hot.
function dlplaySpec() {
  const { text } = w5Data();
  return {
    input: [T, V],
    layers: [
      { type: 'lstm', units: H, return_sequences: true },
      { type: 'dense', units: V, activation: 'softmax' },
    ],
    data: { name: 'text', text, length: T, one_hot: true },
    loss: 'cross_entropy',
    optimizer: { type: 'adam', lr: W5.lr },
    batch: W5.batch,
    seed: 1,
  };
}

// TF.js data in the harness's form: flat x and y with their per-example shapes (tail, yDim).
function tfjsData() {
  const { x, y } = w5Data();
  return { x, tail: [T, V], y, yDim: [T, V], n: W5.nExamples, b: W5.batch };
}

// tf.layers: LSTM (returnSequences) + timeDistributed(dense softmax). The recurrent kernel is
// glorotUniform, seeded, like the kernels: the layer's default (orthogonal) throws in the node
// bundles as the harness loads them (tfjs-core without its chained ops: "rMat.flatten is not a
// function"); initial values do not change the speed.
function tfjsLayersModel(tf, tfl, init) {
  const m = tfl.sequential();
  m.add(
    tfl.layers.lstm({
      units: H,
      returnSequences: true,
      inputShape: [T, V],
      kernelInitializer: init(),
      recurrentInitializer: init(),
    }),
  );
  m.add(
    tfl.layers.timeDistributed({
      layer: tfl.layers.dense({ units: V, activation: 'softmax', kernelInitializer: init() }),
    }),
  );
  m.compile({ optimizer: tf.train.adam(W5.lr), loss: 'categoricalCrossentropy' });
  return m;
}

// Core ops for optimizer.minimize: what an expert writes by hand. The input products of all
// steps are one matMul [B·T, V]·[V, 4H]; then per step one matMul [B, H]·[H, 4H], the gates
// (i f g o), the cell; the output layer is one matMul over all steps, softmaxCrossEntropy.
function tfjsCoreModel(tf, v, z) {
  const p = [v([V, 4 * H]), v([H, 4 * H]), z([4 * H]), v([H, V]), z([V])];
  const loss = (x, y) => {
    const b = x.shape[0];
    const xw = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [b * T, V]), p[0]), p[2]), [b, T, 4 * H]);
    const xs = tf.unstack(xw, 1);
    let h = tf.zeros([b, H]),
      c = tf.zeros([b, H]);
    const hs = [];
    for (let t = 0; t < T; t++) {
      const zt = tf.add(xs[t], tf.matMul(h, p[1]));
      const [i, f, g, o] = tf.split(zt, 4, 1);
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      hs.push(h);
    }
    const hAll = tf.reshape(tf.stack(hs, 1), [b * T, H]);
    const logits = tf.fused.matMul({ a: hAll, b: p[3], bias: p[4] });
    return tf.losses.softmaxCrossEntropy(tf.reshape(y, [b * T, V]), logits);
  };
  return { p, loss, lr: W5.lr, optimizer: () => tf.train.adam(W5.lr) };
}

const CONVNETJS_NA = 'ConvNetJS 0.3.0 has no recurrent layer';

module.exports = {
  W5,
  w5Data,
  dlplaySpec,
  tfjsData,
  tfjsLayersModel,
  tfjsCoreModel,
  CONVNETJS_NA,
};
