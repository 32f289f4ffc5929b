// The CNN page's door to the engine worker (web/engine/client.js), with the URLs Vite gives the
// bundled worker, the Emscripten module and its .wasm.
import { EngineClient } from '../engine/client.js';
import workerUrl from '../engine/worker.js?worker&url';
import moduleUrl from 'dlplay-engine-module?url';
import wasmUrl from 'dlplay-engine-wasm?url';

export function createClient({ onError }) {
  const abs = (u) => new URL(u, location.href);
  return new EngineClient({
    workerUrl: abs(workerUrl),
    moduleUrl: abs(moduleUrl),
    wasmUrl: abs(wasmUrl),
    onError,
  });
}
