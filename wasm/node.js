// Node-only part of loadEngine(), imported dynamically so browsers never see node: modules.
//
// Emscripten 3.1.6's ES6 output is not ready for Node as it is (docs/toolchain.md, "Emscripten's output in Node"):
// its Node branch reads `__dirname` when the factory runs, and it would fetch() the .wasm from a
// path or read it from a 'file:' URL string, both of which fail. So we read the .wasm ourselves and
// hand it over as `wasmBinary`, and define `__dirname` only while the factory runs.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export async function instantiateInNode(factory, moduleUrl, wasmUrl, overrides) {
  let { wasmBinary } = overrides;
  if (!wasmBinary && wasmUrl.protocol === 'file:') wasmBinary = await readFile(wasmUrl);
  if (!wasmBinary) wasmBinary = new Uint8Array(await (await fetch(wasmUrl)).arrayBuffer());
  const hadDirname = Object.prototype.hasOwnProperty.call(globalThis, '__dirname');
  if (!hadDirname && moduleUrl.protocol === 'file:')
    globalThis.__dirname = fileURLToPath(new URL('.', moduleUrl));
  try {
    return await factory({ ...overrides, wasmBinary });
  } finally {
    if (!hadDirname) delete globalThis.__dirname;
  }
}
