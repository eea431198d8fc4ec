#!/usr/bin/env bash
# Configures and builds Spot with Ninja (and ccache when present).
#   tools/build.sh [BUILD_DIR] [extra cmake args...]
# Example: tools/build.sh build-asan -DSPOT_SANITIZE=address,undefined
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
# Let ccache hit across checkouts in different folders (CI clones afresh each time), and
# across environments: ccache hashes the locale (it changes the compiler's messages), so every
# build runs in the same one, whatever the caller's (a shell, CI, a container build).
export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1 LANG=C.UTF-8
unset LC_ALL LC_CTYPE LC_MESSAGES
shift || true
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSPOT_WERROR=ON "$@" >/dev/null
cmake --build "$dir"
