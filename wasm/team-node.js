// Team helpers in Node (wasm/team.js): spawnNodeHelper() starts a worker_threads worker running
// this file, which serves its part of a team's steps until team.close() ends it.
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { serveTeam } from './team.js';

export function spawnNodeHelper() {
  return new Worker(new URL(import.meta.url), { workerData: { dlplayTeamHelper: true } });
}

if (parentPort && workerData?.dlplayTeamHelper) serveTeam(parentPort);
