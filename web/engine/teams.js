// Every core for one session (wasm/team.js, docs/parallel.md): the engine's worker trains a
// playing session with helper workers when the page asks for more than one ('workers' command).
// The helpers are nested module workers (web/engine/team-worker.js) and messages are copies, no
// SharedArrayBuffer: it works on any static host and in any iframe. The engine plans every step in
// the spec's "shards" parts, so the weights are the same to the last bit for any worker count.
import { createTeam, checkWorkers } from '../../wasm/team.js';
import { afterTraining, checkStopEpoch } from './stops.js';

const spawn = () => new Worker(new URL('./team-worker.js', import.meta.url), { type: 'module' });

/** The helpers for session state `s` (worker.js's): `count` workers in all; 1 closes them. */
export async function setWorkers(s, count, urls) {
  checkWorkers(count);
  s.team?.close();
  s.team = null;
  if (count > 1 && s.trainable)
    s.team = await createTeam(s.session, {
      workers: count,
      spec: s.source.spec,
      data: s.source.data,
      spawn,
      ...urls,
    });
  return { workers: s.team?.workers ?? 1 };
}

/**
 * Team steps for about `budgetMs` (paced: `stepsPerFrame` of them), stopping as worker.js's
 * trainUpTo does: at the stop epoch, a test loss low enough (stops.js), a divergence.
 */
export async function teamSlice(s, budgetMs) {
  const t0 = performance.now();
  const steps = s.stepsPerFrame > 0 ? s.stepsPerFrame : Infinity;
  let r = null;
  for (let i = 0; i < steps && s.playing && s.team; i++) {
    r = await s.team.step();
    checkStopEpoch(s, r);
    if (s.stopped || r.diverged || (steps === Infinity && performance.now() - t0 >= budgetMs)) break;
  }
  if (r) afterTraining(s, r);
}
