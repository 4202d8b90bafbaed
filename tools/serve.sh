#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds chiptrail and the explorer's page (Release, in
# build/) and serves the explorer on a scenario (default: the shipped default scenario):
#   bash tools/serve.sh [SCENARIO] [serve options, e.g. --port 8081]
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/setup.sh
scenario=scenarios/blackwell_sea.textproto
if [[ $# -gt 0 && $1 != -* ]]; then
  scenario=$1
  shift
fi
# The page is the point here: insist on it (npm and its registry), rather than AUTO.
cmake --preset release -DCHIPTRAIL_EXPLORER_PAGE=ON >/dev/null
cmake --build build --target chiptrail explorer
exec ./build/chiptrail serve "$scenario" "$@"
