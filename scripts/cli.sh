#!/usr/bin/env bash
# `npm run cli -- ARGS`: builds the native CLI when needed (quietly) and runs it from the caller's folder.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/setup.sh" >&2
bash "$root/scripts/build-native.sh" >/dev/null
exec "$root/build/native/dlplay" "$@"
