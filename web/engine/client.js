// The page's side of the engine worker (./worker.js): promises for commands, callbacks for frames.
//
//   import { EngineClient } from './engine/client.js';
//   const engine = new EngineClient();                       // one worker; many sessions share it
//   const s = await engine.build(spec, { grid: { n: 24, outN: 80, extent: 6 }, params: true });
//   s.info, s.data                                           // shapes, layers…; the training points
//   s.onFrame((f) => draw(f));                               // {metrics, grids, params, …} ≤ 1 per animation frame
//   s.play(); s.pause(); await s.step(10); await s.set({ lr: 0.1 }); await s.reset();
//   await s.evaluate('predict', [[1, -1]]);                  // a read-only Session method (worker.js)
//   s.dispose(); engine.terminate();
//
// Frames are acknowledged from requestAnimationFrame after the callbacks ran, so the worker never
// sends more than one frame message per animation frame, however fast it trains. A page that draws
// later than its callback can pass {autoAck: false} and call engine.ack() itself.

const raf =
  typeof requestAnimationFrame === 'function' ? (f) => requestAnimationFrame(f) : (f) => setTimeout(f, 16);

export class EngineClient {
  #worker;
  #nextReq = 1;
  #nextId = 1;
  #pending = new Map();
  #sessions = new Map();
  #autoAck;
  #onError;

  /**
   * @param {object} [options]
   * @param {string|URL} [options.workerUrl] the worker script (default: ./worker.js beside this file)
   * @param {string|URL} [options.moduleUrl] dlplay_engine.mjs, passed to loadEngine in the worker
   * @param {string|URL} [options.wasmUrl] its .wasm
   * @param {boolean} [options.autoAck] acknowledge frames from requestAnimationFrame (default true)
   * @param {(err: Error, sessionId?: string) => void} [options.onError] errors outside any request
   */
  constructor({ workerUrl, moduleUrl, wasmUrl, autoAck = true, onError } = {}) {
    this.#autoAck = autoAck;
    this.#onError = onError ?? ((err) => console.error(err));
    this.#worker = new Worker(workerUrl ?? new URL('./worker.js', import.meta.url), { type: 'module' });
    this.#worker.onmessage = (ev) => this.#receive(ev.data);
    this.#worker.onerror = (ev) => {
      const err = new Error(ev.message || 'the engine worker failed');
      for (const p of this.#pending.values()) p.reject(err);
      this.#pending.clear();
      this.#onError(err);
    };
    const abs = (u) => (u === undefined ? undefined : new URL(u, globalThis.location?.href).href);
    /** Resolves to {simd, vocabulary} once the engine is loaded in the worker. */
    this.ready = this.request({ cmd: 'init', moduleUrl: abs(moduleUrl), wasmUrl: abs(wasmUrl) });
  }

  /** Sends a raw command and resolves with the worker's reply (rejects with the engine's message). */
  request(msg, transfer = []) {
    const req = this.#nextReq++;
    return new Promise((resolve, reject) => {
      this.#pending.set(req, { resolve, reject });
      this.#worker.postMessage({ ...msg, req }, transfer);
    });
  }

  /** Fire and forget (errors go to onError). */
  send(msg) {
    this.#worker.postMessage(msg);
  }

  /**
   * Builds a session in the worker from a model or training spec.
   * @param {object|string} spec
   * @param {{grid?: object|null, params?: boolean, gradients?: boolean, evaluate?: boolean,
   *   activations?: {input}|null}} [frame] what its frames carry
   * @param {{x, y, scale?, testRatio?}} [data] training data as typed arrays (a spec without "data")
   * @returns {Promise<RemoteSession>} with .info and .data (training points) filled in
   */
  async build(spec, frame = {}, data = undefined) {
    const id = `s${this.#nextId++}`;
    const session = new RemoteSession(this, id);
    this.#sessions.set(id, session);
    try {
      session._built(await this.request({ cmd: 'build', id, spec, frame, data }));
    } catch (err) {
      this.#sessions.delete(id);
      throw err;
    }
    return session;
  }

  /** Tells the worker the last frame was drawn (only needed with autoAck: false). */
  ack() {
    this.send({ cmd: 'ack' });
  }

  terminate() {
    this.#worker.terminate();
    const err = new Error('the engine worker was terminated');
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  _forget(id) {
    this.#sessions.delete(id);
  }

  #receive(msg) {
    if (msg.type === 'reply') {
      const p = this.#pending.get(msg.req);
      if (!p) return;
      this.#pending.delete(msg.req);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new Error(msg.message));
    } else if (msg.type === 'frame') {
      for (const f of msg.frames) {
        const s = this.#sessions.get(f.id);
        if (s && f.build === s.build) s._frame(f);
      }
      if (this.#autoAck) raf(() => this.ack());
    } else if (msg.type === 'error') {
      const s = msg.id !== undefined ? this.#sessions.get(msg.id) : undefined;
      const err = new Error(msg.message);
      if (s) s._error(err);
      else this.#onError(err);
    }
  }
}

export class RemoteSession {
  #client;
  #frameListeners = new Set();
  #errorListeners = new Set();

  constructor(client, id) {
    this.#client = client;
    this.id = id;
    this.build = 0;
    this.info = null;
    this.data = null;
    /** The last frame received (also handy for tests). */
    this.lastFrame = null;
  }

  _built(result) {
    this.build = result.build;
    this.info = result.info;
    this.data = result.data;
    this.lastFrame = null;
  }

  _frame(f) {
    this.lastFrame = f;
    for (const cb of this.#frameListeners) cb(f);
  }

  _error(err) {
    if (this.#errorListeners.size === 0) throw err;
    for (const cb of this.#errorListeners) cb(err);
  }

  #cmd(cmd, extra = {}) {
    return this.#client.request({ cmd, id: this.id, ...extra });
  }

  /** Calls cb(frame) for every frame: {metrics, grids?, gridLayers?, params?, gradients?}. Returns an unsubscribe function. */
  onFrame(cb) {
    this.#frameListeners.add(cb);
    return () => this.#frameListeners.delete(cb);
  }

  /** Errors while playing (e.g. a bad spec change). */
  onError(cb) {
    this.#errorListeners.add(cb);
    return () => this.#errorListeners.delete(cb);
  }

  /** Resolves with the next frame. */
  nextFrame() {
    return new Promise((resolve) => {
      const off = this.onFrame((f) => {
        off();
        resolve(f);
      });
    });
  }

  /**
   * Trains until paused: flat out (0), or `stepsPerFrame` steps per drawn frame; with
   * `stop` ({epoch?, testLoss?}) also until that epoch, or until the test loss is at most that.
   * @param {number} [stepsPerFrame]
   * @param {{epoch?: number, testLoss?: number} | null} [stop]
   */
  play(stepsPerFrame = 0, stop = null) {
    return this.#cmd('play', { stepsPerFrame, stop });
  }

  pause() {
    return this.#cmd('pause');
  }

  /** Pauses, trains `steps` mini-batches, resolves with the metrics. */
  step(steps = 1) {
    return this.#cmd('step', { steps });
  }

  /** A fresh model from the spec (another seed if given): same data, current hyper-parameters. */
  async reset(seed) {
    this._built(await this.#cmd('reset', { seed }));
    return this;
  }

  /** Hyper-parameters while training: {lr, momentum, batch, optimizer, regularization, regularization_rate}. */
  set(hyper) {
    return this.#cmd('set', { hyper });
  }

  /**
   * Trains with `count` workers in all (this session's worker and count − 1 helpers; the weights
   * are the same to the last bit for any count, docs/parallel.md). Resolves with {workers}.
   */
  setWorkers(count) {
    return this.#cmd('workers', { count });
  }

  /** Sets weight `index` (row-major) of layer `layer`, or its bias with bias = true. */
  setWeight(layer, index, value, bias = false) {
    return this.#cmd('setWeight', { layer, index, value, bias });
  }

  /** Training state from `checkpoint` (what evaluate('checkpoint') gave): weights, optimizer, step. */
  restore(checkpoint) {
    return this.#cmd('restore', { checkpoint });
  }

  /** Changes what frames carry: {grid, params, gradients, evaluate, activations}. */
  configure(frame) {
    return this.#cmd('configure', { frame });
  }

  /**
   * Calls a read-only Session method of wasm/dlplay.js in the worker: predict, activations,
   * activationsAll, grid, weights, gradients, layers, info, toJSON, data, evaluate,
   * inputGradients, hyperparameters.
   */
  evaluate(method, ...args) {
    return this.#cmd('evaluate', { method, args });
  }

  dispose() {
    this.#client._forget(this.id);
    this.#frameListeners.clear();
    return this.#cmd('dispose');
  }
}

/**
 * The playground's one-session interface (web/playground/engine.js) on top of EngineClient:
 *   const engine = connect({ onFrame, onError });
 *   const { id, info, data } = await engine.build(spec, { n, outN, extent });
 *   engine.play(stepsPerFrame); engine.pause(); engine.step(n); engine.set(hyper);
 *   engine.setWeight(layer, index, value, bias); engine.ack();   // after drawing each frame
 * Frames: {build: id, metrics, grids: [Float32Array per layer], params: [{weights, bias, shape}]}.
 * Each build replaces the previous session; the page acknowledges frames itself (autoAck off).
 */
/** @param {{onFrame?: (frame: any) => void, onError?: (err: Error) => void, workerUrl?: string | URL, moduleUrl?: string | URL, wasmUrl?: string | URL}} [options] */
export function connect({ onFrame, onError = (err) => console.error(err), ...options } = {}) {
  const client = new EngineClient({ ...options, autoAck: false, onError });
  let current = null;
  let latest = 0; // the newest build request: an older one finishing late is dropped
  const report = (promise) => promise.catch(onError);
  return {
    client,
    async build(spec, grid = {}) {
      const seq = ++latest;
      const s = await client.build(spec, { grid: { n: 24, outN: 80, extent: 6, ...grid }, params: true });
      if (seq !== latest) {
        s.dispose();
        throw new Error('superseded by a newer build');
      }
      if (current) report(current.dispose());
      current = s;
      s.onFrame((f) => onFrame(f));
      s.onError(onError);
      return { id: s.build, info: s.info, data: s.data };
    },
    play: (stepsPerFrame = 0) => current && report(current.play(stepsPerFrame)),
    pause: () => current && report(current.pause()),
    step: (steps = 1) => current && report(current.step(steps)),
    set: (hyper) => current && report(current.set(hyper)),
    setWeight: (layer, index, value, bias = false) =>
      current && report(current.setWeight(layer, index, value, bias)),
    ack: () => client.ack(),
  };
}
