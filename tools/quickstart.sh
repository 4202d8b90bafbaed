#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds chiptrail (Release, in build/) and runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/setup.sh
cmake --preset release >/dev/null
cmake --build build --target chiptrail
./build/chiptrail --version
./build/chiptrail run scenarios/blackwell_sea.textproto
