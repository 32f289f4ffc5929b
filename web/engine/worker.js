// The engine's worker: it owns the WebAssembly engine and every session of the page, trains the
// playing ones flat out (or paced) in short slices, and sends frames no faster than the page draws.
//
// Messages in ({cmd, req?, id?, ...}; `req` numbers a request and gets exactly one reply;
// `id` names a session, chosen by the client):
//   {cmd: 'init', moduleUrl?, wasmUrl?}            load the engine (optional: done on first use);
//                                                  replies {simd, vocabulary} (dl.vocabulary())
//   {cmd: 'build', id, spec, frame?, data?}        (re)build session `id` from a spec; replies {info, data}
//       frame: what each of its frames carries: {grid: {n, outN, extent, layers: 'all'|'output'|[i…]} | null,
//              params: bool, gradients: bool, evaluate: bool (default true: metrics over both splits;
//              false: only {step, epoch, examples, loss, diverged}, for big data sets),
//              classes: bool (the output grid's class probabilities, session.classify over its
//              points: `classes` {probabilities, classes}), confusion: bool (the test split's
//              confusion matrix, or the train split's without a test split: `confusion`
//              {matrix, classes, split}),
//              activations: {input, saliency?} | null (for that one example: every layer's output as
//              session.activationsAll, `classified` as session.classify, and with `saliency` the
//              input gradient towards its predicted class as session.inputGradients)}
//       data: the training data as typed arrays ({x, y, scale?, testRatio?}, see session(spec, data) in
//             wasm/dlplay.js) for a spec without "data"; the reply's data then has x: null
//   {cmd: 'play', id, stepsPerFrame?, stop?}       train until paused (0: flat out; k: k steps per drawn frame);
//                                                  stop: {epoch?, testLoss?}: also stop at that epoch, or
//                                                  once the test loss is at most that (the frame's
//                                                  metrics then say stopped: 'epoch' | 'testLoss')
//   {cmd: 'pause', id}
//   {cmd: 'step', id, steps?}                      pause, then train `steps`; replies with the metrics
//   {cmd: 'reset', id, seed?}                      session.reset: a fresh model from the spec (another
//                                                  seed if given), same data, current hyper-parameters;
//                                                  replies like build
//   {cmd: 'set', id, hyper}                        hyper-parameters (lr, batch, momentum, …)
//   {cmd: 'setWeight', id, layer, index, value, bias?}   one weight or bias value
//   {cmd: 'restore', id, checkpoint}               session.restore(checkpoint): training state from
//                                                  session.checkpoint() (evaluate 'checkpoint')
//   {cmd: 'configure', id, frame}                  change what frames carry
//   {cmd: 'evaluate', id, method, args}            a read-only Session method of wasm/dlplay.js: predict,
//                                                  activations, activationsAll, grid, weights, gradients,
//                                                  layers, info, toJSON, data, evaluate, inputGradients,
//                                                  classify, lossSurface, hyperparameters, toPyTorch,
//                                                  checkpoint, parameterVector, sample, encode (text models)
//   {cmd: 'metrics', id}                           the metrics over both splits now (train(0, {evaluate:
//                                                  true})): no step, playing goes on
//   {cmd: 'textVocabulary', text}                  the engine's vocabulary of a text (dl.textVocabulary):
//                                                  its distinct characters, sorted by code point
//                                                  (docs/worker-protocol.md)
//   {cmd: 'workers', id, count}                   train it with `count` workers in all (data-parallel,
//                                                  same bits for any count: docs/parallel.md); replies {workers}
//   {cmd: 'dispose', id}
//   {cmd: 'ack'}                                   the page drew the last frame message
// Messages out:
//   {type: 'reply', req, ok: true, result} | {type: 'reply', req, ok: false, message}
//   {type: 'frame', frames: [{id, build, metrics, grids?, gridLayers?, params?, gradients?,
//                             activations?, classified?, saliency?}]}   typed arrays transferred
//   {type: 'error', id?, message}                  a failure outside any request (e.g. while playing)
//
// Flow control: after a 'frame' message the worker sends nothing more until the page's 'ack', and the
// client acks from requestAnimationFrame: so at most one frame message per animation frame, holding
// every session that changed since its last one.
import { loadEngine } from '../../wasm/dlplay.js';
import { frameOf } from './frame.js';
import { setWorkers, teamSlice } from './teams.js';
import { stopOf, afterTraining, checkStopEpoch } from './stops.js';

const SLICE_MS = 12; // training time between looks at the message queue

let enginePromise = null;
const sessions = new Map(); // id → state
let pageReady = true;
let scheduled = false;
let buildCount = 0;
let engineUrls = {}; // init's: where the engine is, for the helper workers of a team

const defaultFrame = { grid: null, params: false, gradients: false, evaluate: true, activations: null };

function engine(options = {}) {
  enginePromise ??= loadEngine(options);
  return enginePromise;
}

function post(msg, transfer = []) {
  /** @type {any} */ (self).postMessage(msg, transfer); // the worker's postMessage(message, transfer)
}

function buffersOf(value, out = []) {
  if (ArrayBuffer.isView(value)) out.push(value.buffer);
  else if (Array.isArray(value)) value.forEach((v) => buffersOf(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => buffersOf(v, out));
  return [...new Set(out)];
}

function get(id) {
  const s = sessions.get(id);
  if (!s) throw new Error(`no session ${JSON.stringify(id)} (build it first)`);
  return s;
}

function sendFrames() {
  const frames = [];
  for (const s of sessions.values()) {
    if (!s.dirty) continue;
    s.dirty = false;
    try {
      frames.push(frameOf(s));
    } catch (err) {
      s.playing = false;
      post({ type: 'error', id: s.id, message: String(err?.message ?? err) });
    }
  }
  if (!frames.length) return;
  pageReady = false;
  post({ type: 'frame', frames }, buffersOf(frames));
}

// Trains up to k steps, fewer when the stop epoch comes first; stops the session at a stop
// condition. Returns the engine's progress.
function trainUpTo(s, k) {
  const stop = s.stop;
  let r;
  if (stop?.epoch !== undefined) {
    // Whole batches towards the stop epoch (a partial batch at an epoch's end: more rounds).
    let left = k;
    do {
      const p = s.session.train(0, { evaluate: false });
      const missing = stop.epoch * (s.info?.trainSize ?? 1) - p.examples;
      if (missing <= 0) {
        r = p;
        break;
      }
      const n = Math.min(left, Math.max(1, Math.ceil(missing / s.session.hyperparameters().batch)));
      r = s.session.train(n, { evaluate: false });
      left -= n;
    } while (left > 0 && !r.diverged);
    checkStopEpoch(s, r);
  } else r = s.session.train(k, { evaluate: false });
  afterTraining(s, r);
  return r;
}

function trainSlice(s, budgetMs) {
  if (s.stepsPerFrame > 0) {
    // Paced: a fixed number of steps per frame the page draws.
    if (!pageReady || s.pacedDone) return;
    trainUpTo(s, s.stepsPerFrame);
    s.pacedDone = true;
    return;
  }
  const t0 = performance.now();
  let k = s.chunk;
  do {
    trainUpTo(s, k);
    if (!s.playing) break;
    // Adapt the chunk so that one call takes ~1 ms: few calls, yet a short slice.
    const dt = performance.now() - t0;
    if (dt < 0.5 && k < 1 << 16) k *= 2;
  } while (performance.now() - t0 < budgetMs);
  s.chunk = k;
}

function loop() {
  scheduled = false;
  const playing = [...sessions.values()].filter((s) => s.playing);
  const budget = SLICE_MS / Math.max(1, playing.length);
  for (const s of playing) {
    if (s.team) {
      startTeamSlice(s, budget);
      continue;
    }
    try {
      trainSlice(s, budget);
    } catch (err) {
      s.playing = false;
      post({ type: 'error', id: s.id, message: String(err?.message ?? err) });
    }
  }
  if (pageReady) {
    sendFrames();
    for (const s of sessions.values()) s.pacedDone = false;
  }
  if (
    sessions.size &&
    [...sessions.values()].some(
      (s) => (s.playing && !s.teamBusy && (s.stepsPerFrame === 0 || pageReady)) || (s.dirty && pageReady),
    )
  )
    schedule();
}

// A team's steps await its helpers: they run in the command queue (no command comes between a
// step's plan and its update), and the loop goes on when they are done.
function startTeamSlice(s, budget) {
  if (s.teamBusy || (s.stepsPerFrame > 0 && (!pageReady || s.pacedDone))) return;
  s.teamBusy = true;
  queue = queue
    .then(() => teamSlice(s, budget))
    .catch((err) => {
      s.playing = false;
      post({ type: 'error', id: s.id, message: String(err?.message ?? err) });
    })
    .finally(() => {
      s.teamBusy = false;
      if (s.stepsPerFrame > 0) s.pacedDone = true;
      schedule();
    });
}

// Yields to the message queue between slices. MessageChannel avoids setTimeout's 4 ms clamp.
const channel = new MessageChannel();
channel.port1.onmessage = loop;
function schedule() {
  if (scheduled) return;
  scheduled = true;
  channel.port2.postMessage(null);
}

function builtReply(s, dataGiven) {
  const info = s.session.info();
  s.trainable = info.trainable;
  s.info = info;
  return {
    id: s.id,
    build: s.build,
    info,
    data: info.trainable ? s.session.data({ x: !dataGiven }) : null,
  };
}

async function build(msg) {
  const dl = await engine();
  const old = sessions.get(msg.id);
  const data = msg.data ?? null;
  const session = dl.session(msg.spec, data ?? undefined);
  old?.team?.close();
  old?.session.dispose();
  const s = {
    id: msg.id,
    build: ++buildCount,
    dataGiven: !!data,
    session,
    source: { spec: msg.spec, data: data ?? undefined }, // a team's helpers build their replicas from it
    team: null,
    teamBusy: false,
    frame: { ...defaultFrame, ...(old?.frame ?? {}), ...(msg.frame ?? {}) },
    playing: false,
    stepsPerFrame: 0,
    chunk: 1,
    dirty: true,
    pacedDone: false,
    lastLoss: undefined,
  };
  sessions.set(msg.id, s);
  return builtReply(s, s.dataGiven);
}

const handlers = {
  async init(msg) {
    engineUrls = { moduleUrl: msg.moduleUrl, wasmUrl: msg.wasmUrl };
    const dl = await engine(engineUrls);
    return { simd: dl.simd, vocabulary: dl.vocabulary() };
  },
  // The engine's vocabulary of a text (its distinct characters, sorted), before a text model is built.
  async textVocabulary(msg) {
    const dl = await engine();
    if (typeof dl.textVocabulary !== 'function') throw new Error('this engine has no text models');
    return dl.textVocabulary(String(msg.text ?? ''));
  },
  // The engine's metrics over both splits now (train(0, {evaluate: true}): nothing trained, not
  // paused): losses, accuracies and, for sequences, perplexities, without evaluating every frame.
  metrics(msg) {
    return get(msg.id).session.train(0, { evaluate: true });
  },
  build: (msg) => build(msg),
  // Train session `id` with `count` workers in all (helpers: web/engine/teams.js); replies {workers}.
  workers: (msg) => setWorkers(get(msg.id), msg.count, engineUrls),
  reset(msg) {
    const s = get(msg.id);
    s.session.reset(msg.seed === undefined ? {} : { seed: msg.seed });
    Object.assign(s, { build: ++buildCount, playing: false, chunk: 1, dirty: true, lastLoss: undefined });
    return builtReply(s, s.dataGiven);
  },
  play(msg) {
    const s = get(msg.id);
    if (!s.trainable) throw new Error('this session has no training data (its spec has no "data")');
    s.playing = true;
    s.stepsPerFrame = Math.max(0, Math.floor(msg.stepsPerFrame ?? 0));
    s.stop = stopOf(msg.stop);
    s.stopped = undefined;
    s.chunk = 1;
  },
  pause(msg) {
    const s = get(msg.id);
    s.playing = false;
    s.dirty = true;
  },
  step(msg) {
    const s = get(msg.id);
    s.playing = false;
    const r = s.session.train(Math.max(0, Math.floor(msg.steps ?? 1)), {
      evaluate: s.frame.evaluate !== false,
    });
    s.lastLoss = r.loss;
    s.dirty = true;
    return r;
  },
  set(msg) {
    get(msg.id).session.set(msg.hyper);
  },
  setWeight(msg) {
    const s = get(msg.id);
    const p = s.session.weights(msg.layer);
    const target = msg.bias ? p.bias : p.weights;
    if (!(msg.index >= 0 && msg.index < target.length))
      throw new Error(`setWeight: index ${msg.index} is outside 0..${target.length - 1}`);
    target[msg.index] = msg.value;
    s.session.setWeights(msg.layer, msg.bias ? { bias: p.bias } : { weights: p.weights });
    s.dirty = true;
  },
  restore(msg) {
    const s = get(msg.id);
    s.session.restore(msg.checkpoint);
    s.lastLoss = undefined;
    s.dirty = true;
  },
  configure(msg) {
    const s = get(msg.id);
    s.frame = { ...s.frame, ...msg.frame };
    s.dirty = true;
  },
  evaluate(msg) {
    const s = get(msg.id);
    const method = msg.method;
    const allowed = [
      'predict',
      'activations',
      'activationsAll',
      'grid',
      'weights',
      'gradients',
      'layers',
      'info',
      'toJSON',
      'data',
      'evaluate',
      'inputGradients',
      'classify',
      'lossSurface',
      'hyperparameters',
      'toPyTorch',
      'checkpoint',
      'parameterVector',
      'sample',
      'encode',
    ];
    if (!allowed.includes(method))
      throw new Error(`evaluate: unknown method '${method}' (one of ${allowed.join(', ')})`);
    return s.session[method](...(msg.args ?? []));
  },
  dispose(msg) {
    const s = sessions.get(msg.id);
    if (!s) return;
    s.team?.close();
    s.session.dispose();
    sessions.delete(msg.id);
  },
  ack() {
    pageReady = true;
  },
};

// Commands run one after another, in order (build awaits the engine the first time).
let queue = Promise.resolve();
onmessage = (ev) => {
  const msg = ev.data ?? {};
  queue = queue.then(async () => {
    try {
      const handler = handlers[msg.cmd];
      if (!handler) throw new Error(`unknown command '${msg.cmd}'`);
      const result = await handler(msg);
      if (msg.req !== undefined) post({ type: 'reply', req: msg.req, ok: true, result }, buffersOf(result));
    } catch (err) {
      const message = String(err?.message ?? err);
      if (msg.req !== undefined) post({ type: 'reply', req: msg.req, ok: false, message });
      else post({ type: 'error', id: msg.id, message });
    }
    schedule();
  });
};
