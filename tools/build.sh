#!/usr/bin/env bash
# Configures and builds Spot with Ninja (and ccache when present).
#   tools/build.sh [BUILD_DIR] [extra cmake args...]
# Example: tools/build.sh build-asan -DSPOT_SANITIZE=address,undefined
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
# Let ccache hit across checkouts in different folders (CI clones afresh each time).
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
shift || true
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPOT_WERROR=ON "$@" >/dev/null
cmake --build "$dir"
