// The notes that say what went wrong in training and offer one click to fix it: divergence
// (roll back to the last good weights, or start again, with a safer rate), saturation (the likely
// cause, and a restart without it) and a reached stop condition. update(change, force, options)
// is the page's; each note is the kit's {kind, text, action?} (../kit/notes.js).
import { saferLr } from './state.js';
import { newSeed } from '../kit/controls.js';
import { divergedNote as kitDivergedNote } from '../kit/rollback.js';

/** good: {checkpoint, epoch} of a moment before the divergence (../kit/rollback.js), or null;
 * back(checkpoint, lr) restores it. */
export function divergedNote(state, good, update, back, t) {
  return kitDivergedNote({
    t,
    good,
    lr: saferLr(state.lr),
    back,
    reset: (lr) => update({ lr, weights: null }, true),
    epoch: Math.floor,
  });
}

// A learning rate from 0.3 up is the likely cause; below it, the neurons' own saturation.
export const HIGH_LR = 0.3;

export function saturatedNote(state, epochs, update, t) {
  const high = state.lr >= HIGH_LR;
  const lr = high ? saferLr(state.lr) : state.lr;
  return {
    kind: 'warn',
    text: t(high ? 'saturatedLr' : 'saturatedNeurons', { epochs, lr: state.lr }),
    action: {
      id: 'saturated-fix',
      label: t(high ? 'saturatedFixLr' : 'saturatedFix', { lr }),
      onClick: () => update({ lr, init: newSeed(state.init ?? state.seed), weights: null }, true),
    },
  };
}

/** m: the frame's metrics, with `stopped` ('epoch' | 'testLoss'). */
export function stoppedNote(m, state, t) {
  const text =
    m.stopped === 'epoch'
      ? t('stoppedEpoch', { epoch: Math.round(m.epoch) })
      : t('stoppedLoss', { loss: Number(m.testLoss).toFixed(3), target: state.stopLoss });
  return { kind: 'info', text };
}
