// Data-parallel training across workers (docs/parallel.md): a Team trains one session with helper
// workers (Web Workers in a browser, worker_threads in Node), each holding a replica of the session
// (same spec and data). Every step the engine plans the batch in `shards` parts (the spec's or
// set() "shards"); the helpers get the step's weights and compute their parts' gradients, the
// session computes its own, and the engine sums them in part order and updates. No
// SharedArrayBuffer: messages only, so it works on any static host and inside any iframe, and the
// result is the same to the last bit for any number of workers — and as session.train().
//
//   import { createTeam } from 'dlplay/team';
//   import { spawnNodeHelper } from 'dlplay/team-node';        // in Node; a browser passes
//   const team = await createTeam(session, {                   //   () => new Worker(url, {type: 'module'})
//     workers: 2, spec, data, spawn: spawnNodeHelper });       //   for a script that calls serveTeam(self)
//   const m = await team.train(100);                           // as session.train(100, {evaluate: false})
//   team.close();
//
// The helper side: serveTeam(port) answers {cmd: 'init', spec, data, moduleUrl?, wasmUrl?} (builds
// the replica: replies {ok, gradientSize} or {ok: false, message}) and {cmd: 'step', weights, plan,
// parts} (replies {ok, parts: [{part, gradient, loss}]}, the gradients transferred).
import { loadEngine } from './dlplay.js';

// A Worker (browser: message events) or a worker_threads Worker / parentPort (Node: 'message' with the data).
function listen(port, handler) {
  if (typeof port.on === 'function') port.on('message', handler);
  else port.addEventListener('message', (e) => handler(e.data));
}

class Helper {
  #port;
  #waiting = [];

  constructor(port) {
    this.#port = port;
    listen(port, (reply) => this.#waiting.shift()?.(reply));
    const fail = (err) => {
      for (const resolve of this.#waiting.splice(0))
        resolve({ ok: false, message: `helper worker failed: ${err?.message ?? err}` });
    };
    if (typeof port.on === 'function') port.on('error', fail);
    else port.addEventListener('error', fail);
  }

  // Replies come in the order of the requests: one at a time per helper.
  ask(message, transfer = []) {
    return new Promise((resolve, reject) => {
      this.#waiting.push((r) => (r.ok ? resolve(r) : reject(new Error(r.message))));
      this.#port.postMessage(message, transfer);
    });
  }

  close() {
    this.#port.terminate?.();
  }
}

export class Team {
  #session;
  #helpers;
  #size;
  #helped = 0;
  #gradients = new Float32Array(0); // every part's, reused from step to step
  #losses = new Float64Array(0);

  constructor(session, helpers, gradientSize) {
    this.#session = session;
    this.#helpers = helpers;
    this.#size = gradientSize;
  }

  /** Workers computing parts: the session's own thread and its helpers. */
  get workers() {
    return this.#helpers.length + 1;
  }

  /** Parts computed by the helpers so far (the rest by this thread). */
  get helperParts() {
    return this.#helped;
  }

  /** One step: returns what session.train(1, {evaluate: false}) returns. */
  async step() {
    const s = this.#session;
    const plan = s.planStep();
    const workers = this.workers;
    // Part j goes to helper j mod workers; the last share (the fewest parts) stays here.
    const shareOf = (w) => {
      const parts = [];
      for (let j = w; j < plan.shards; j += workers) parts.push(j);
      return parts;
    };
    const asked = [];
    if (plan.shards > 1 && this.#helpers.length) {
      const weights = s.parameterVector();
      this.#helpers.forEach((h, w) => {
        const parts = shareOf(w);
        if (parts.length) asked.push(h.ask({ cmd: 'step', weights, plan, parts }));
      });
    }
    const own = asked.length ? shareOf(workers - 1) : Array.from({ length: plan.shards }, (_, j) => j);
    // Every part's slot is written below (an empty part's too): the buffers need no clearing.
    if (this.#losses.length !== plan.shards) {
      this.#gradients = new Float32Array(plan.shards * this.#size);
      this.#losses = new Float64Array(plan.shards);
    }
    const gradients = this.#gradients;
    const losses = this.#losses;
    for (const j of own) {
      const r = s.shardGradient(plan, j);
      gradients.set(r.gradient, j * this.#size);
      losses[j] = r.loss;
    }
    for (const reply of await Promise.all(asked))
      for (const r of reply.parts) {
        this.#helped++;
        gradients.set(r.gradient, r.part * this.#size);
        losses[r.part] = r.loss;
      }
    return s.applyShards(plan, gradients, losses);
  }

  /** `steps` steps (stopping early when the loss diverges); the last one's metrics. */
  async train(steps = 1) {
    let m = this.#session.train(0, { evaluate: false });
    for (let i = 0; i < steps && !m.diverged; i++) m = await this.step();
    return m;
  }

  close() {
    for (const h of this.#helpers) h.close();
    this.#helpers = [];
  }
}

/** Throws unless `workers` is a team's size: a whole number from 1 to 64. */
export function checkWorkers(workers) {
  if (!Number.isInteger(workers) || workers < 1 || workers > 64)
    throw new Error(`team: workers must be a whole number from 1 to 64, got ${workers}`);
}

/**
 * A team of `workers` (1 or more; 1: this thread alone) for `session`, built from the same `spec`
 * and `data` it was (session(spec, data)). `spawn()` returns a new helper worker running
 * serveTeam(); moduleUrl/wasmUrl tell helpers where the engine is (as loadEngine's).
 */
export async function createTeam(session, { workers = 1, spec, data, spawn, moduleUrl, wasmUrl } = {}) {
  checkWorkers(workers);
  const size = session.parameterVector().length;
  const helpers = [];
  try {
    for (let i = 1; i < workers; i++) helpers.push(new Helper(await spawn()));
    const urls = { moduleUrl: moduleUrl && String(moduleUrl), wasmUrl: wasmUrl && String(wasmUrl) };
    const replies = await Promise.all(helpers.map((h) => h.ask({ cmd: 'init', spec, data, ...urls })));
    for (const r of replies)
      if (r.gradientSize !== size)
        throw new Error(`team: a helper's model has ${r.gradientSize} parameters, this one ${size}`);
  } catch (err) {
    helpers.forEach((h) => h.close());
    throw err;
  }
  return new Team(session, helpers, size);
}

/** The helper side, on a worker's port (self in a Web Worker, parentPort in worker_threads). */
export function serveTeam(port) {
  let replica = null;
  let queue = Promise.resolve();
  const reply = (m, transfer) => port.postMessage(m, transfer);
  listen(port, (msg) => {
    queue = queue.then(async () => {
      try {
        if (msg.cmd === 'init') {
          const dl = await loadEngine({ moduleUrl: msg.moduleUrl, wasmUrl: msg.wasmUrl });
          replica?.dispose();
          replica = dl.session(msg.spec, msg.data);
          reply({ ok: true, gradientSize: replica.parameterVector().length });
        } else if (msg.cmd === 'step') {
          if (!replica) throw new Error('team: step before init');
          replica.setParameterVector(msg.weights);
          const parts = msg.parts.map((part) => ({ part, ...replica.shardGradient(msg.plan, part) }));
          reply(
            { ok: true, parts },
            parts.map((p) => p.gradient.buffer),
          );
        } else throw new Error(`team: unknown command ${msg.cmd}`);
      } catch (err) {
        reply({ ok: false, message: String(err?.message ?? err) });
      }
    });
  });
}
