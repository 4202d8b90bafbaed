#!/usr/bin/env bash
# Builds the libFuzzer targets (the asan preset: clang with ASan and UBSan, in build-asan/, the
# same build as `test.sh --sanitize`) and runs each for SECONDS (default 60), seeded from the
# shipped scenarios, the validation cases, the sweeps and tools/fuzz/seeds/. Exits non-zero when
# an input crashes, trips a sanitizer, leaks, takes over 10 s or 2 GiB; that input is kept in
# build-asan/fuzz/artifacts/ (copy it to tests/bad_inputs/ with its expected error once fixed).
# New interesting inputs accumulate in build-asan/fuzz/corpus/.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/setup.sh
chiptrail_install_packages clang libclang-rt-14-dev
seconds=${1:-60}
build=$PWD/build-asan
root=$build/fuzz
cmake --preset asan >/dev/null
cmake --build --preset asan --target fuzz_scenario_text fuzz_scenario_json fuzz_sweep
mkdir -p "$root/artifacts" "$root/corpus/text" "$root/corpus/json" "$root/corpus/sweep"
fuzz() {  # fuzz TARGET CORPUS WORKDIR SEED_DIR...: relative paths in inputs resolve from WORKDIR
  local target=$1 corpus=$2 workdir=$3
  shift 3
  (cd "$workdir" && "$build/tools/$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$root/artifacts/$target-" \
    "$root/corpus/$corpus" "$@" 2>"$root/$target.log")
}
# The three run side by side (each for SECONDS), so CI waits SECONDS, not three times that.
echo "fuzz: fuzz_scenario_text, fuzz_scenario_json, fuzz_sweep, $seconds s each" >&2
fuzz fuzz_scenario_text text "$PWD/scenarios" "$PWD/scenarios" "$PWD/tests/validation" "$PWD/tests/data" &
text=$!
fuzz fuzz_scenario_json json "$PWD/scenarios" "$PWD/tools/fuzz/seeds/json" &
json=$!
fuzz fuzz_sweep sweep "$PWD/scenarios/sweeps" "$PWD/scenarios/sweeps" "$PWD/tools/fuzz/seeds/sweeps" &
sweep=$!
failed=0
for target in text:$text json:$json sweep:$sweep; do
  name=fuzz_scenario_${target%%:*}
  [[ $name == fuzz_scenario_sweep ]] && name=fuzz_sweep
  if ! wait "${target#*:}"; then
    echo "fuzz: $name found a problem; the input is in $root/artifacts/:" >&2
    tail -40 "$root/$name.log" >&2
    failed=1
  fi
  echo "fuzz: $name: $(grep -E 'stat::number_of_executed_units' "$root/$name.log" | awk '{print $2}') inputs," \
    "$(grep -E 'stat::new_units_added' "$root/$name.log" | awk '{print $2}') new in the corpus" >&2
done
if ((failed)); then exit 1; fi
echo "fuzz: no crash" >&2
