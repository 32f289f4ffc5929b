// Training's health, watched frame by frame: divergence (the engine's `diverged`: a loss or a
// weight is NaN or infinite) and saturation (the loss flat and the engine's gradient RMS near zero
// for many epochs). The rollback of a divergence is ../kit/rollback.js's.
//   const health = createHealth();
//   health.observe(frame)  → null | {kind: 'diverged'} | {kind: 'saturated', epochs}
//   health.clear()          (a new session)

// Saturated: over at least SATURATED_EPOCHS epochs the gradients' RMS stayed below GRADIENT_FLOOR
// and the training loss moved by less than LOSS_STILL of its value…
export const SATURATED_EPOCHS = 20;
export const GRADIENT_FLOOR = 1e-4;
export const LOSS_STILL = 0.01;
// …while the network had not learned: accuracy below POOR_ACCURACY (regression: loss above POOR_LOSS).
export const POOR_ACCURACY = 0.9;
export const POOR_LOSS = 0.1;

export function createHealth() {
  let still = null; // {epoch, loss}: where the loss and the gradients became still
  let reported = false;
  return {
    clear() {
      still = null;
      reported = false;
    },
    observe(frame) {
      const m = frame.metrics ?? {};
      if (m.diverged) return { kind: 'diverged' };
      const rms = m.gradientRms;
      const loss = m.trainLoss;
      if (!(m.step > 0) || rms === undefined || loss === undefined || loss === null) return null;
      // A network that has learned may have small gradients too: only a poor one is stuck.
      const acc = m.trainAccuracy;
      const poor = acc !== undefined && acc !== null ? acc < POOR_ACCURACY : loss > POOR_LOSS;
      const flat =
        poor && rms < GRADIENT_FLOOR && (!still || Math.abs(loss - still.loss) <= LOSS_STILL * still.loss);
      if (!flat) {
        still = null;
        reported = false;
        return null;
      }
      still ??= { epoch: m.epoch, loss };
      const epochs = m.epoch - still.epoch;
      if (epochs < SATURATED_EPOCHS || reported) return null;
      reported = true;
      return { kind: 'saturated', epochs: Math.floor(epochs) };
    },
  };
}
