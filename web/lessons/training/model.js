// Lesson 4's models and data, without the page (tests/browser/lessons-training.test.js checks them
// with the engine in Node).
//
// The landscape: y' = w2·tanh(w1·x + b1) + b2 fitted to 8 points of y = 1.2·tanh(1.5·x), placed
// symmetrically (x and −x). The loss over (w1, w2) has two minima, (1.5, 1.2) and (−1.5, −1.2): the
// same function, since tanh is odd. The biases start at 0 and, the data and the model being odd,
// their gradient is 0 (with all the data in each batch), so the path stays on this landscape.

const POS = [0.25, 0.75, 1.25, 2];
export const XS = [...POS.map((x) => -x).reverse(), ...POS];
export const YS = XS.map((x) => Math.round(1.2 * Math.tanh(1.5 * x) * 1000) / 1000);
export const W1_RANGE = [-4, 4];
export const W2_RANGE = [-3, 3];
export const SURFACE_N = 80;
export const A = { layer: 0, index: 0 }; // w1
export const B = { layer: 1, index: 0 }; // w2
export const MINIMA = [
  [1.5, 1.2],
  [-1.5, -1.2],
];
export const LRS = [0.01, 0.03, 0.1, 0.3, 1];
export const MOMENTA = [0, 0.5, 0.9, 0.95];
export const BATCHES = [1, 2, 4, 8];

/** The model with these weights (biases b1, b2, 0 unless given). */
export function modelOf({ w1, w2, b1 = 0, b2 = 0 }) {
  return {
    input: [1],
    layers: [
      { type: 'dense', units: 1, activation: 'tanh', weights: [[w1]], bias: [b1] },
      { type: 'dense', units: 1, weights: [[w2]], bias: [b2] },
    ],
  };
}

/** Its training spec: mean squared error, SGD with this learning rate, momentum and batch size. */
export function landscapeSpec({ w1, w2, lr, momentum, batch }, x = XS, y = YS) {
  return {
    ...modelOf({ w1, w2 }),
    data: { x: x.map((v) => [v]), y: y.map((v) => [v]) },
    loss: 'mse',
    optimizer: { type: 'sgd', lr, momentum },
    batch,
    seed: 1,
  };
}

// Over- and under-fitting: 12 noisy training points of sin(1.5x) and 36 test points from the same
// curve and noise (a fixed pseudo-random sequence), a small and a big network.
export const SMALL = [1, 2, 3];
export const BIG = [8, 16, 32, 64];

function noisyPoints() {
  let seed = 12345;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const x = [];
  const y = [];
  for (let i = 0; i < 48; ++i) {
    const v = -3 + 6 * rnd();
    x.push([Math.round(v * 1000) / 1000]);
    y.push([Math.round((Math.sin(1.5 * v) + 0.25 * gauss()) * 1000) / 1000]);
  }
  return { x, y, test_ratio: 0.75 };
}
export const FIT_DATA = noisyPoints();

/** A network with these hidden layers (tanh) for the noisy points, trained with Adam. */
export function fitSpec(hidden) {
  return {
    input: [1],
    layers: [
      ...hidden.map((units) => ({ type: 'dense', units, activation: 'tanh' })),
      { type: 'dense', units: 1 },
    ],
    data: FIT_DATA,
    loss: 'mse',
    optimizer: { type: 'adam', lr: 0.01 },
    batch: 12,
    seed: 1,
  };
}
