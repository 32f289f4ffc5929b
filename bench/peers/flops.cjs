// The arithmetic of one training example of each workload, for "train GFLOP/s" and "% of peak":
// the products (multiply + add = 2 operations) of the forward pass, of the weight gradients (as
// many again) and of the input gradients of every layer but the first (its input needs none).
// Element-wise work (activations, the LSTM cell, pooling, the loss) is left out.
const { W5 } = require('./w5.cjs');

// Per layer: the multiply-adds of its forward pass for one example.
const dense = (inputs, units) => inputs * units;
const conv = (inChannels, kernel, filters, outPixels) => inChannels * kernel * kernel * filters * outPixels;
const LAYERS = {
  W1: [dense(2, 8), dense(8, 8), dense(8, 1)],
  W2: [dense(784, 128), dense(128, 64), dense(64, 10)],
  W3: [conv(1, 5, 8, 24 * 24), conv(8, 5, 16, 12 * 12), dense(16 * 4 * 4, 10)],
  // At every one of the T steps: the input product of the 4 gates, the recurrent one, the output layer.
  W5: [
    W5.steps * dense(W5.vocab, 4 * W5.units),
    W5.steps * dense(W5.units, 4 * W5.units),
    W5.steps * dense(W5.units, W5.vocab),
  ],
};

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const TRAIN_FLOPS = Object.fromEntries(
  Object.entries(LAYERS).map(([w, l]) => [w, 2 * (2 * sum(l) + sum(l) - l[0])]),
);

module.exports = { TRAIN_FLOPS };
