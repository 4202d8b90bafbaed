#!/usr/bin/env bash
# End-to-end checks of the chiptrail command line, one per ctest test:
#   cli_checks.sh CASE CHIPTRAIL SOURCE_DIR
set -euo pipefail
case_name=$1
chiptrail=$2
src=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

expect_exit() {  # expect_exit CODE COMMAND...
  local want=$1
  shift
  set +e
  "$@" >"$work/stdout" 2>"$work/stderr"
  local got=$?
  set -e
  if [[ $got -ne $want ]]; then
    echo "expected exit $want, got $got from: $*" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
}

case "$case_name" in
  golden_*)
    # A fixed seed and few replications must reproduce the committed outputs byte for byte.
    # Regenerate with tools/update_goldens.sh after an intended change, and say why in the commit.
    scenario=${case_name#golden_}
    "$chiptrail" run "$src/scenarios/$scenario.textproto" --replications 10 --seed 7 \
      --threads 2 --out "$work/out" --format csv >"$work/summary_stdout.csv"
    diff -u "$src/tests/golden/$scenario.runs.csv" "$work/out/runs.csv"
    diff -u "$src/tests/golden/$scenario.summary.csv" "$work/out/summary.csv"
    cmp "$work/out/summary.csv" "$work/summary_stdout.csv"
    ;;
  same_seed_same_bytes)
    for threads in 1 2 2; do
      "$chiptrail" run "$src/scenarios/blackwell_sea.textproto" -n 24 --seed 11 \
        --threads $threads --out "$work/t$threads" >/dev/null
    done
    cmp "$work/t1/runs.csv" "$work/t2/runs.csv"
    cmp "$work/t1/summary.csv" "$work/t2/summary.csv"
    "$chiptrail" run "$src/scenarios/blackwell_sea.textproto" -n 24 --seed 12 --out "$work/s12" >/dev/null
    if cmp -s "$work/t1/runs.csv" "$work/s12/runs.csv"; then
      echo "a different seed gave the same runs.csv" >&2
      exit 1
    fi
    grep -q '"scenario_fnv1a64"' "$work/t1/manifest.json"
    grep -q '"resolved_scenario"' "$work/t1/manifest.json"
    ;;
  exit_codes)
    expect_exit 0 "$chiptrail" validate "$src/scenarios/minimal.textproto"
    grep -q "valid" "$work/stdout"
    printf 'horizon_days: 10\nnodes { id: "a" kind: VENDR }\n' >"$work/bad.textproto"
    expect_exit 65 "$chiptrail" validate "$work/bad.textproto"
    grep -q "bad.textproto:2:" "$work/stderr"
    expect_exit 65 "$chiptrail" run "$work/bad.textproto"
    expect_exit 66 "$chiptrail" validate "$work/missing.textproto"
    expect_exit 66 "$chiptrail" run "$work"
    expect_exit 64 "$chiptrail" run
    expect_exit 64 "$chiptrail" run "$src/scenarios/minimal.textproto" --format xml
    expect_exit 64 "$chiptrail" frobnicate
    expect_exit 0 "$chiptrail" --version
    expect_exit 0 "$chiptrail" run --help
    : >"$work/readonly"
    expect_exit 74 "$chiptrail" run "$src/scenarios/minimal.textproto" -n 2 --out "$work/readonly/out"
    ;;
  outputs)
    "$chiptrail" run "$src/scenarios/minimal.textproto" -n 5 --format json >"$work/s.json"
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["replications"]==5; assert any(m["metric"]=="detection_rate_lots" for m in d["metrics"])' "$work/s.json"
    "$chiptrail" run "$src/scenarios/minimal.textproto" -n 5 >"$work/table.txt"
    grep -q "detection_rate_lots" "$work/table.txt"
    "$chiptrail" graph "$src/scenarios/blackwell_sea.textproto" >"$work/g.dot"
    grep -q '"dc_johor" -> "dealer_kl"' "$work/g.dot"
    ;;
  *)
    echo "unknown case $case_name" >&2
    exit 2
    ;;
esac
echo "ok: $case_name"
