// Lesson 3b's networks and data, without the page: a shallow-and-wide and a deep-and-narrow network
// with exactly the same number of parameters, and the data they learn.
//
// With d inputs and one output, one hidden layer of H units has H·(d + 2) + 1 parameters, and L
// hidden layers of w units have w·(d + 2) + (L − 1)·w·(w + 1) + 1. They are equal when
// H = w + (L − 1)·w·(w + 1)/(d + 2): of the widths w that make this a whole number, the one nearest
// 8 is taken. (The page shows the engine's count, info().params, for both.)

/** Every n-bit pattern, each bit as −1 or +1, labelled 1 when an odd number of bits are set. */
export function parity(n) {
  const x = [];
  const y = [];
  for (let p = 0; p < 1 << n; ++p) {
    let odd = 0;
    const bits = [];
    for (let i = n - 1; i >= 0; --i) {
      const b = (p >> i) & 1;
      bits.push(b ? 1 : -1);
      odd ^= b;
    }
    x.push(bits);
    y.push(odd);
  }
  return { x, y };
}

/** The hidden layers of the two networks for `inputs` inputs, the deep one with `depth` layers. */
export function shapes(inputs, depth) {
  let best = null;
  for (let w = 3; w <= 24; ++w) {
    const extra = (depth - 1) * w * (w + 1);
    if (extra % (inputs + 2)) continue;
    if (!best || Math.abs(w - 8) < Math.abs(best.w - 8)) best = { w, H: w + extra / (inputs + 2) };
  }
  // (There is always one for the lesson's inputs, 2 and 4…8, and depths 2…6.)
  best ??= { w: 8, H: Math.round(8 + ((depth - 1) * 72) / (inputs + 2)) };
  return { shallow: [best.H], deep: Array(depth).fill(best.w) };
}

export const SPIRAL = { name: 'spiral', n: 400, noise: 0.1, test_ratio: 0.5 };

/** A training spec: these hidden layers, one sigmoid output, cross-entropy, Adam. */
export function specOf(hidden, act, data, inputs) {
  return {
    input: [inputs],
    layers: [
      ...hidden.map((units) => ({ type: 'dense', units, activation: act })),
      { type: 'dense', units: 1, activation: 'sigmoid' },
    ],
    data,
    loss: 'cross_entropy',
    optimizer: { type: 'adam', lr: 0.01 },
    batch: 16,
    seed: 1,
  };
}

// The deck's "accuracy as the training set grows": both networks trained on spirals of growing size,
// tested on the same 400 other points of the same spiral.
export const SIZES = [25, 50, 100, 200, 400, 1000];
export const SIZE_STEPS = 6000;
export const POOL = { name: 'spiral', n: 1400, noise: 0.1 };
export const TEST_FROM = 1000;
