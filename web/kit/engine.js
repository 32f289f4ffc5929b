// Every view's door to the engine worker (../engine/client.js), with the URLs Vite gives the
// bundled worker, the Emscripten module and its .wasm. `client.ready` resolves once the engine is
// loaded and its vocabulary installed (./vocabulary.js), before any view parses its state.
import { EngineClient } from '../engine/client.js';
import { loadEngine } from '../../wasm/dlplay.js';
import workerUrl from '../engine/worker.js?worker&url';
import moduleUrl from 'dlplay-engine-module?url';
import wasmUrl from 'dlplay-engine-wasm?url';
import { setVocabulary } from './vocabulary.js';

/** @param {{onError: (err: Error) => void}} options */
export function connectEngine({ onError }) {
  const abs = (u) => new URL(u, location.href);
  const client = new EngineClient({
    workerUrl: abs(workerUrl),
    moduleUrl: abs(moduleUrl),
    wasmUrl: abs(wasmUrl),
    onError,
  });
  const ready = client.ready.then((r) => {
    setVocabulary(r.vocabulary);
    return r;
  });
  return { client, ready };
}

/**
 * The engine on the page's own thread, for lessons whose numbers must follow a slider within the
 * same animation frame (a forward pass of a small model takes microseconds); its vocabulary is
 * installed too. Training stays in the worker (connectEngine).
 */
export async function loadDirectEngine() {
  const dl = await loadEngine({
    moduleUrl: new URL(moduleUrl, location.href),
    wasmUrl: new URL(wasmUrl, location.href),
  });
  setVocabulary(dl.vocabulary());
  return dl;
}
