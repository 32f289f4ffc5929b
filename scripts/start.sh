#!/usr/bin/env bash
# npm start: installs what is missing, builds the engine for WebAssembly, then serves the playground
# with Vite on http://127.0.0.1:${PORT:-8080}/ (Vite prints the URL).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-wasm.sh
echo "dlplay: starting the playground on http://127.0.0.1:${PORT:-8080}/"
exec npx vite --config web/vite.config.mjs --host 127.0.0.1 --port "${PORT:-8080}" --strictPort
