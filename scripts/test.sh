#!/usr/bin/env bash
# Every test suite: native (Release, then ASan+UBSan), a short libFuzzer run of each fuzz target,
# the same suite in wasm under Node, the JavaScript tests, and the browser tests in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NODE_PATH=/usr/share/nodejs

step() { printf '\n== %s\n' "$*"; }

step "formatting (clang-format, prettier)"
clang-format --dry-run -Werror engine/include/dlplay/*.hpp engine/src/*.cpp engine/src/*/*.cpp \
  engine/src/layers/*.hpp engine/cli/*.cpp wasm/*.cpp wasm/*.hpp bench/*.cpp bench/*.hpp tests/native/*.cpp \
  tests/fuzz/*.cpp tests/fuzz/*.hpp
npx prettier --check --log-level warn "web/**/*.{js,mjs,html,css,ts}" "tests/**/*.{js,mjs,ts}" wasm/*.js \
  wasm/*.d.ts scripts/*.mjs "bench/peers/*.{mjs,cjs}" "examples/**/*.{js,html,css}" docs/*.md

step "type checking (tsc): the API's declarations, and the web code from its JSDoc"
npx tsc -p tsconfig.json
npx tsc -p tsconfig.web.json

step "native build and doctest suite (Release)"
bash scripts/build-native.sh
ctest --test-dir build/native --output-on-failure

step "native doctest suite under AddressSanitizer + UndefinedBehaviorSanitizer"
CONFIG=sanitize bash scripts/build-native.sh
ctest --test-dir build/sanitize --output-on-failure

step "fuzzing: each libFuzzer target ${FUZZ_SECONDS:-10} s from its seeds under ASan + UBSan (docs/fuzzing.md)"
bash scripts/fuzz.sh -t "${FUZZ_SECONDS:-10}"

step "wasm build and the doctest suite in Node"
bash scripts/build-wasm.sh
ctest --test-dir build/wasm --output-on-failure

step "JavaScript and browser tests (Vitest)"
npx vitest run
