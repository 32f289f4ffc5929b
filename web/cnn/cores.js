// The cores menu: how many workers train together (the engine's worker and its helpers,
// web/engine/teams.js). Every step's batch is cut into SHARDS parts whatever the count, so the
// weights are the same to the last bit for 1 core or 8: the menu changes the speed only. A setting
// of this machine, not of the lesson: kept in this browser, not in the link.
import { app } from './app.js';
import { $ } from './dom.js';
import { fillSelect } from '../kit/controls.js';
import { SHARDS } from './state.js';
const KEY = 'dlplay.cnn.cores';
const machine = () => Math.max(1, Math.min(SHARDS, navigator.hardwareConcurrency || 1));
// The menu's largest count: the machine's cores (at most SHARDS), and 2 even on one core (it
// trains the same, more slowly: a student can see that the count does not change the weights).
const most = () => Math.max(2, machine());

/** The machine's cores less one (the page's own thread draws), at least 1, at most SHARDS. */
export function defaultCores() {
  return Math.max(1, machine() - 1);
}

function stored() {
  try {
    const n = Number(localStorage.getItem(KEY));
    return Number.isInteger(n) && n >= 1 && n <= most() ? n : null;
  } catch {
    return null; // storage refused (a sandboxed frame)
  }
}

/** The count chosen (or the default), for a new session. */
export function cores() {
  return (app.cores ??= stored() ?? defaultCores());
}

/** Tells a new session (or the current one, after a change) to train with cores() workers. */
export async function applyCores(session = app.session) {
  app.workers = session && cores() > 1 ? (await session.setWorkers(cores())).workers : 1;
}

export function fillCores() {
  fillSelect(
    $('cores'),
    [...Array(most()).keys()].map((i) => i + 1),
    String,
  );
  $('cores').value = String(cores());
}

export function wireCores(onError) {
  $('cores').onchange = (e) => {
    app.cores = Number(e.target.value);
    try {
      localStorage.setItem(KEY, String(app.cores));
    } catch {
      // not kept: a sandboxed frame
    }
    applyCores().catch((err) => onError(err.message));
  };
}
