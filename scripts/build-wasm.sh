#!/usr/bin/env bash
# Builds the engine for WebAssembly (build/wasm): the ES module dlplay_engine.mjs + .wasm that
# wasm/dlplay.js loads, and the doctest suite as dlplay_tests.cjs (ctest --test-dir build/wasm).
# Idempotent: configures only when needed; ninja makes an up-to-date build take well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs # emcc -O2/-O3 links need Debian's acorn (docs/toolchain.md)
BUILD=build/wasm
if [ ! -f "$BUILD/build.ninja" ]; then
  # emcmake's default emulator flag (--experimental-wasm-threads) is refused by Node 20 (§8.2).
  emcmake cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CROSSCOMPILING_EMULATOR="$(command -v node);--no-experimental-fetch"
fi
cmake --build "$BUILD" "$@"
if [ -f "$BUILD/dlplay_engine.wasm" ]; then
  printf 'dlplay_engine.mjs %s bytes (%s gzip), dlplay_engine.wasm %s bytes (%s gzip)\n' \
    "$(wc -c <"$BUILD/dlplay_engine.mjs")" "$(gzip -9 -c "$BUILD/dlplay_engine.mjs" | wc -c)" \
    "$(wc -c <"$BUILD/dlplay_engine.wasm")" "$(gzip -9 -c "$BUILD/dlplay_engine.wasm" | wc -c)"
fi
