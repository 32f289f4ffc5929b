// "Let it learn": gradient descent in the engine on the lesson's points, from the student's weights,
// a few steps per animation frame on the page's thread, moving the sliders as it goes. It stops once
// every point is on its side with a small loss (or after MAX_STEPS, or when a weight reaches the end
// of its slider). The trainer is kept while the weights are the ones it wrote, so a second run (or
// the embed API's step) continues it.
const STEPS_PER_FRAME = 4;
const MAX_STEPS = 4000;
const GOOD_LOSS = 0.15;
const round2 = (v) => Math.round(v * 100) / 100;

export function createLearner({ dl, POINTS, LABELS, RANGES, update, getState }) {
  let trainer = null;
  let wrote = null; // the weights the trainer last put in the state, as "w1,w2,b"
  let raf = 0;
  let active = false;
  let metrics = { step: null, trainLoss: null, trainAccuracy: null };
  const api = { onChange: () => {} };
  const keyOf = (s) => `${s.w1},${s.w2},${s.b}`;

  function ensure() {
    const s = getState();
    if (trainer && wrote === keyOf(s)) return;
    trainer?.dispose();
    trainer = dl.session({
      input: [2],
      layers: [{ type: 'dense', units: 1, activation: 'sigmoid', weights: [[s.w1, s.w2]], bias: [s.b] }],
      data: { x: POINTS, y: LABELS },
      loss: 'cross_entropy',
      optimizer: { type: 'sgd', lr: 0.1 },
      batch: POINTS.length,
      seed: 1,
    });
    metrics = { step: 0, trainLoss: null, trainAccuracy: null };
  }

  // n steps; the state gets the trainer's weights (rounded to the sliders' 0.01, kept in range).
  // Returns true when learning is done.
  function advance(n, userInitiated) {
    ensure();
    const m = trainer.train(n);
    metrics = { step: m.step, trainLoss: m.trainLoss, trainAccuracy: m.trainAccuracy };
    const { weights, bias } = trainer.weights(0);
    const clamp = (v, key) => Math.min(RANGES[key][1], Math.max(RANGES[key][0], round2(v)));
    const next = { w1: clamp(weights[0], 'w1'), w2: clamp(weights[1], 'w2'), b: clamp(bias[0], 'b') };
    const clamped =
      next.w1 !== round2(weights[0]) || next.w2 !== round2(weights[1]) || next.b !== round2(bias[0]);
    wrote = keyOf(next);
    update(next, { userInitiated });
    return (m.trainAccuracy === 1 && m.trainLoss < GOOD_LOSS) || m.step >= MAX_STEPS || clamped;
  }

  function frame(first) {
    raf = 0;
    if (!active) return;
    const done = advance(STEPS_PER_FRAME, first);
    if (done) api.stop();
    else raf = requestAnimationFrame(() => frame(false));
  }

  return Object.assign(api, {
    running: () => active,
    start() {
      if (active) return;
      const s = getState();
      if (trainer && wrote === keyOf(s) && metrics.step >= MAX_STEPS) {
        trainer.dispose();
        trainer = null;
      }
      // The first frame's change is a history entry (Back returns to the student's own line).
      active = true;
      raf = requestAnimationFrame(() => frame(true));
      api.onChange();
    },
    stop() {
      if (!active) return;
      active = false;
      cancelAnimationFrame(raf);
      raf = 0;
      api.onChange();
    },
    step(n = 1) {
      advance(n, false);
      return metrics;
    },
    metrics: () => metrics,
  });
}
