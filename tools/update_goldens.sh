#!/usr/bin/env bash
# Regenerates tests/golden/ from the current build. Run only after a change meant to alter the
# numbers, and say in the commit message why they changed.
set -euo pipefail
cd "$(dirname "$0")/.."
for file in scenarios/*.textproto; do
  scenario=$(basename "$file" .textproto)
  out=$(mktemp -d)
  ./build/chiptrail run "scenarios/$scenario.textproto" --replications 10 --seed 7 --out "$out" >/dev/null
  cp "$out/runs.csv" "tests/golden/$scenario.runs.csv"
  cp "$out/summary.csv" "tests/golden/$scenario.summary.csv"
  cp "$out/timeseries.csv" "tests/golden/$scenario.timeseries.csv"
  rm -rf "$out"
done
echo "goldens updated: git diff tests/golden/"
