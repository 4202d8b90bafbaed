#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds everything with warnings as errors (in build/) and
# runs the whole test suite with ctest, the Python module and the explorer's browser test
# included. With --sanitize, does the same with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer (in build-asan/, which also holds the fuzz targets of
# tools/fuzz.sh). The release suite includes the MPI check (chiptrail-mpi against threads,
# byte for byte), so it installs Open MPI. With --thread, the threaded checks under
# ThreadSanitizer (in build-tsan/).
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/setup.sh
jobs=$(nproc)

preset=ci
if [[ "${1:-}" == "--sanitize" ]]; then preset=asan; fi
chiptrail_install_packages "${CHIPTRAIL_REPORT_PACKAGES[@]}"
if [[ "$preset" == ci ]]; then
  chiptrail_install_packages "${CHIPTRAIL_PYTHON_PACKAGES[@]}" "${CHIPTRAIL_MPI_PACKAGES[@]}"
fi
if [[ "$preset" == asan ]]; then chiptrail_install_packages clang libclang-rt-14-dev; fi
if [[ "${1:-}" != "--thread" ]]; then
  chiptrail_install_packages "${CHIPTRAIL_EXPLORER_TEST_PACKAGES[@]}"
fi
if [[ "${1:-}" == "--thread" ]]; then
  # ThreadSanitizer on what runs threads: the pool, replications in parallel, and the
  # threaded sweep, resume and optimize checks of the command line. Not `merge` (the shards
  # check) nor the journal's edge cases (sweep_journal): protobuf's headers give maps another
  # layout under TSan than Debian's libprotobuf was built with, so code walking a protobuf map
  # (a manifest read as a Struct) crashes there; both are single-threaded.
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$jobs" --target chiptrail sim_tests
  ctest --preset tsan -j "$jobs" \
    -R '^cli\.(sweep_threads|sweep_resume|same_seed_same_bytes|optimize)$|threads'
  exit 0
fi

cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$jobs"
ctest --preset "$preset" -j "$jobs"
