#!/usr/bin/env bash
# `npm run bench`: dlplay's wasm engine against TensorFlow.js (wasm SIMD 1 thread, cpu) and
# ConvNetJS on the workloads of issue 3, in one run (bench/peers/run.mjs). Prints one table and
# writes bench/results/latest.md + latest.json. Options go to run.mjs: --quick, --reps N, --libs ...
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -f scripts/build-wasm.sh ]; then
  bash scripts/build-wasm.sh
fi
exec node bench/peers/run.mjs "$@"
