// The page's one door to the engine: web/engine/client.js (the worker owns the engine), with the
// URLs Vite gives the bundled worker, the Emscripten module and its .wasm. One session at a time:
//   build(spec, grid) → Promise<{id, info, data}>, play(stepsPerFrame), pause(), step(n), set(hyper),
//   setWeight(layer, index, value, bias); frames ({build, metrics, grids, params}) go to onFrame,
//   at most one per animation frame (the client acknowledges them from requestAnimationFrame).
import { EngineClient } from '../engine/client.js';
import workerUrl from '../engine/worker.js?worker&url';
import moduleUrl from 'dlplay-engine-module?url';
import wasmUrl from 'dlplay-engine-wasm?url';

export function connect({ onFrame, onError }) {
  const abs = (u) => new URL(u, location.href);
  const client = new EngineClient({
    workerUrl: abs(workerUrl),
    moduleUrl: abs(moduleUrl),
    wasmUrl: abs(wasmUrl),
    onError,
  });
  let session = null;
  const report = (p) => p?.catch?.((err) => onError(err));
  const api = {
    async build(spec, grid) {
      const old = session;
      session = null;
      if (old) report(old.dispose());
      const s = await client.build(spec, { grid, params: true });
      s.onError(onError);
      s.onFrame((f) => session === s && onFrame(f));
      session = s;
      return { id: s.build, info: s.info, data: s.data };
    },
    play: (stepsPerFrame = 0) => report(session?.play(stepsPerFrame)),
    pause: () => report(session?.pause()),
    step: (steps = 1) => report(session?.step(steps)),
    set: (hyper) => report(session?.set(hyper)),
    setWeight: (layer, index, value, bias = false) => report(session?.setWeight(layer, index, value, bias)),
    ack: () => {}, // the client acknowledges frames itself
    get session() {
      return session;
    },
  };
  return api;
}
