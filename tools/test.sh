#!/usr/bin/env bash
# The whole test suite, as CI runs it: a release build with warnings as errors and every test,
# then an ASan/UBSan build running the same tests (any sanitizer report fails the run).
# Needs nothing beside the checkout: the fixtures are in tests/fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== release build and tests"
# With the container image and the Debian package built and run in a chroot (needs root).
deploy=ON
if [[ $(id -u) != 0 ]]; then
    deploy=OFF
    echo "NOTE: not root: the deploy test (tests/deploy/chroot-image.sh) is not built or run" >&2
fi
tools/build.sh build -DSPOT_DEPLOY_TESTS=$deploy
ctest --test-dir build --output-on-failure -j"$jobs"

echo "== address and undefined-behaviour sanitizers"
# The sanitizers check Spot's code, not the servers: two search nodes are enough there.
tools/build.sh build-asan -DSPOT_SANITIZE=address,undefined "-DSPOT_SEARCH_NODES=opensearch;elasticsearch"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$jobs"
