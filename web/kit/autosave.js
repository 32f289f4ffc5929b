// Autosave: a view keeps its experiment (its hash, the engine's training checkpoint, its curves)
// in IndexedDB while it trains, so that a reload, or a crashed tab reopened, continues where it
// was. Each tab has its own record (sessionStorage survives a reload and a restored tab but not a
// new tab; a duplicated tab, which copies sessionStorage, notices the other and takes a new id), so
// two tabs with different experiments never overwrite each other.
//   const saver = await openAutosave('playground');
//   const record = await saver.load();          // {view, hash, checkpoint, curves, savedAt} | null
//   saver.schedule(() => snapshotPromise);      // saves at most every SAVE_MS while training
//   await saver.flush(); await saver.clear();   // now; "start fresh"
const DB = 'dlplay';
const STORE = 'experiments';
const TAB_KEY = 'dlplay-tab';
export const SAVE_MS = 2000;

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

let dbPromise = null;
function db() {
  dbPromise ??= new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE);
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  return dbPromise;
}

async function store(mode) {
  return (await db()).transaction(STORE, mode).objectStore(STORE);
}

const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

// This tab's id: kept across reloads; a new one when another open tab already holds it.
let tabPromise = null;
function tabId() {
  tabPromise ??= (async () => {
    let id = sessionStorage.getItem(TAB_KEY);
    const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('dlplay-tabs') : null;
    if (id && channel) {
      const taken = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), 150);
        channel.onmessage = (ev) => {
          if (ev.data?.type === 'mine' && ev.data.id === id) {
            clearTimeout(timer);
            resolve(true);
          }
        };
        channel.postMessage({ type: 'who', id });
      });
      if (taken) id = null;
    }
    if (!id) {
      id = newId();
      sessionStorage.setItem(TAB_KEY, id);
    }
    if (channel)
      channel.onmessage = (ev) =>
        ev.data?.type === 'who' && ev.data.id === id && channel.postMessage({ type: 'mine', id });
    return id;
  })();
  return tabPromise;
}

/**
 * The autosave of one view in this tab. Every call is safe when IndexedDB is unavailable (a
 * private window, a sandboxed frame): load() gives null and saving does nothing.
 * @param {string} view
 */
export async function openAutosave(view) {
  let key = null;
  try {
    key = `${await tabId()}:${view}`;
    await db();
  } catch {
    key = null;
  }
  let timer = 0;
  let pending = null; // () => Promise<record | null>
  let last = 0;
  const put = async (record) => {
    if (!key || !record) return;
    try {
      await request((await store('readwrite')).put({ ...record, view, savedAt: Date.now() }, key));
    } catch {
      // a full disk or a closed database: the experiment goes on unsaved
    }
  };
  const run = async () => {
    timer = 0;
    const snap = pending;
    pending = null;
    last = Date.now();
    if (snap) await put(await snap().catch(() => null));
  };
  return {
    available: key !== null,
    async load() {
      if (!key) return null;
      try {
        return (await request((await store('readonly')).get(key))) ?? null;
      } catch {
        return null;
      }
    },
    /** Saves snapshot()'s record soon: at most one save every SAVE_MS. */
    schedule(snapshot) {
      pending = snapshot;
      if (!timer) timer = setTimeout(run, Math.max(0, SAVE_MS - (Date.now() - last)));
    },
    /** Saves now (before the page goes away); with no snapshot, the pending one. */
    async flush(snapshot) {
      if (snapshot) pending = snapshot;
      clearTimeout(timer);
      await run();
    },
    async clear() {
      pending = null;
      clearTimeout(timer);
      timer = 0;
      if (!key) return;
      try {
        await request((await store('readwrite')).delete(key));
      } catch {
        // nothing saved, nothing to clear
      }
    },
  };
}
