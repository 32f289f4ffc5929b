// When a playing session stops (web/engine/worker.js, teams.js): the play command's stop
// conditions, checked after each slice of training, whoever trained it.

// {epoch?, testLoss?} with finite numbers, or null.
export function stopOf(stop) {
  if (!stop) return null;
  const out = {};
  for (const key of ['epoch', 'testLoss'])
    if (stop[key] !== undefined && stop[key] !== null) {
      if (!Number.isFinite(stop[key]) || stop[key] < 0)
        throw new Error(`play: stop.${key} must be a number >= 0, got ${stop[key]}`);
      out[key] = stop[key];
    }
  return Object.keys(out).length ? out : null;
}

/** Marks `s` stopped when the engine's progress `r` reached its stop epoch. */
export function checkStopEpoch(s, r) {
  if (s.stop?.epoch !== undefined && r.epoch >= s.stop.epoch - 1e-9) s.stopped = 'epoch';
}

/** After training `s` to the engine's progress `r`: its loss kept, its stop conditions checked. */
export function afterTraining(s, r) {
  s.lastLoss = r.loss ?? s.lastLoss;
  if (s.stop?.testLoss !== undefined && !s.stopped && !r.diverged) {
    const m = s.session.train(0, { evaluate: true });
    if (m.testLoss !== null && m.testLoss !== undefined && m.testLoss <= s.stop.testLoss)
      s.stopped = 'testLoss';
  }
  if (s.stopped || r.diverged) s.playing = false;
  s.dirty = true;
}
