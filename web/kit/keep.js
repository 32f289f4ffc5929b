// Keeping a view's experiment (./autosave.js): while it trains, the view's hash and what it needs to
// continue (its engine checkpoints, its curves) are saved; a reload of the same experiment (the
// same hash) in the same tab continues from there, with a note and a "Start fresh" button.
//   const keep = await keepExperiment({
//     view: 'playground', notes, t, hash: () => ownHash,
//     save: async () => ({ checkpoint: await s.checkpoint(), curves }),   // the view's payload
//     load: async (payload) => epoch,        // restores it; returns the epoch shown in the note
//     fresh: () => rebuild(),                // "Start fresh": the experiment from its link
//   });
//   await keep.restore();   // after the view built its sessions: true when it continued
//   keep.changed();         // something worth keeping changed (a frame, an edit)
//   keep.forget();          // the experiment was replaced (Reset to defaults)
import { openAutosave } from './autosave.js';

export async function keepExperiment({ view, notes, t, hash, save, load, fresh }) {
  const saver = await openAutosave(view);
  let pending = await saver.load();
  const snapshot = async () => ({ hash: hash(), payload: await save() });
  document.addEventListener('visibilitychange', () => document.hidden && saver.flush());
  return {
    async restore() {
      const record = pending;
      pending = null;
      if (!record?.payload || record.hash !== hash()) return false;
      let epoch;
      try {
        epoch = await load(record.payload);
      } catch {
        await saver.clear(); // saved by another version of the page: start from the link
        return false;
      }
      notes.set('restored', {
        kind: 'info',
        text: t('restored', {
          epoch: Math.floor(epoch ?? 0),
          // In the page's language (下午4:03:10 on a Chinese page), not the browser's.
          time: new Date(record.savedAt).toLocaleTimeString(document.documentElement.lang || 'en'),
        }),
        action: {
          id: 'start-fresh',
          label: t('startFresh'),
          onClick: async () => {
            notes.set('restored', null);
            await saver.clear();
            fresh();
          },
        },
      });
      return true;
    },
    changed: () => saver.schedule(snapshot),
    forget: () => saver.clear(),
  };
}
