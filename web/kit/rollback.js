// Rollback after a divergence: while training goes well, the view keeps the engine's training
// checkpoint of at most a second ago; when a loss or a weight becomes NaN or infinite (the
// engine's `diverged`, reported in the step it happens), one click restores it.
//   const rollback = createRollback(() => session.evaluate('checkpoint'));
//   rollback.observe(metrics);     // every frame's metrics
//   rollback.good;                 // {checkpoint, epoch} | null
//   rollback.clear();              // a new session
export const KEEP_EVERY_MS = 1000;

export function createRollback(checkpoint, { everyMs = KEEP_EVERY_MS } = {}) {
  let good = null;
  let busy = false;
  let last = -Infinity;
  let generation = 0; // a checkpoint asked for before clear() is not kept after it
  return {
    observe(m) {
      const now = performance.now();
      if (!m || m.diverged || busy || !(m.step > 0) || now - last < everyMs) return;
      busy = true;
      last = now;
      const mine = generation;
      checkpoint()
        .then((cp) => {
          if (mine === generation && cp && !cp.diverged)
            good = { checkpoint: cp, epoch: cp.epoch ?? m.epoch };
        })
        .catch(() => {})
        .finally(() => (busy = false));
    },
    get good() {
      return good;
    },
    clear() {
      good = null;
      last = -Infinity;
      generation++;
    },
  };
}

/**
 * The note a view shows after a divergence ({kind, text, action}, ./notes.js): with a good
 * checkpoint, one click goes back to it at the smaller rate `lr` (`back(checkpoint, lr)`);
 * without one, one click starts again at that rate (`reset(lr)`). `epoch` formats the
 * checkpoint's epoch for the label. The strings are the view's: diverged, divergedRollback
 * ({epoch, lr}), divergedReset ({lr}).
 */
export function divergedNote({ t, good, lr, back, reset, epoch = (e) => e.toFixed(2) }) {
  const action = good
    ? {
        id: 'diverged-rollback',
        label: t('divergedRollback', { epoch: epoch(good.epoch), lr }),
        onClick: () => back(good.checkpoint, lr),
      }
    : { id: 'diverged-reset', label: t('divergedReset', { lr }), onClick: () => reset(lr) };
  return { kind: 'error', text: t('diverged'), action };
}
