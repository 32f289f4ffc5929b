#!/usr/bin/env bash
# Installs everything dlplay needs on Debian 12, idempotently: fast when all is present.
# Debian packages via apt (sudo when not root), JavaScript packages via `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(cmake ninja-build g++ emscripten libxtensor-dev libxsimd-dev xtl-dev doctest-dev
  nlohmann-json3-dev libcli11-dev chromium fonts-wqy-microhei python3 python3-sklearn
  clang-14 libclang-rt-14-dev) # clang-14 + its sanitizer and libFuzzer runtimes: scripts/fuzz.sh

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm ci when node_modules is missing or older than the lock file.
if [ -f package-lock.json ]; then
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "setup: installing npm packages (npm ci)"
    npm ci --no-audit --no-fund
  fi
fi

# The CNN page's image sets (web/public/data/*.bin), built from the packages above when out of date.
node scripts/build-data.mjs
