// Shared by the public entry (dlplay.js) and the testing entry (testing.js), not exported by the
// package: each Engine's Emscripten module.
export const modules = new WeakMap();
