#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds everything with warnings as errors (in build/) and
# runs the whole test suite with ctest. With --sanitize, does the same under AddressSanitizer and
# UndefinedBehaviorSanitizer (in build-asan/). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/setup.sh
jobs=$(nproc)

preset=ci
if [[ "${1:-}" == "--sanitize" ]]; then preset=asan; fi

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
ctest --preset "$preset" -j "$jobs"
