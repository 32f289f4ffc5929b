#!/usr/bin/env bash
# Builds the native engine, CLI and doctest suite. CONFIG=sanitize builds Debug with ASan+UBSan.
set -euo pipefail
cd "$(dirname "$0")/.."
case "${CONFIG:-release}" in
  release) dir=build/native; args=(-DCMAKE_BUILD_TYPE=Release) ;;
  # -O1 keeps the sanitizer run of the training tests within seconds instead of minutes.
  sanitize) dir=build/sanitize; args=(-DCMAKE_BUILD_TYPE=Debug -DDLPLAY_SANITIZE=ON "-DCMAKE_CXX_FLAGS_DEBUG=-g -O1") ;;
  *) echo "build-native: unknown CONFIG '$CONFIG' (release or sanitize)" >&2; exit 2 ;;
esac
[ -f "$dir/build.ninja" ] || cmake -S . -B "$dir" -G Ninja "${args[@]}" >/dev/null
cmake --build "$dir"
