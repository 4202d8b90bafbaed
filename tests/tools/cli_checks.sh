#!/usr/bin/env bash
# End-to-end checks of the chiptrail command line, one per ctest test:
#   cli_checks.sh CASE CHIPTRAIL SOURCE_DIR
set -euo pipefail
# Note: `! cmd` never stops a script under set -e; negative checks are written `if ...; then exit 1`.
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

wait_for_journal() {  # until a running sweep has journaled more than 30 runs (or 4 s pass)
  for _ in $(seq 1 400); do
    [[ -f "$1/.journal" ]] && (( $(wc -l <"$1/.journal") > 30 )) && return
    sleep 0.01
  done
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
    diff -u "$src/tests/golden/$scenario.timeseries.csv" "$work/out/timeseries.csv"
    cmp "$work/out/summary.csv" "$work/summary_stdout.csv"
    ;;
  optimize)
    # The inspection game: the best split of $1,000 is the equilibrium q1 = 0.4, q2 = 0.6; any
    # thread count gives the same bytes.
    game="$src/tests/data/inspection_game.textproto"
    "$chiptrail" optimize "$game" --budget 1000 --frontier 2 -j 1 --out "$work/j1" >"$work/table"
    "$chiptrail" optimize "$game" --budget 1000 --frontier 2 -j 2 --out "$work/j2" >/dev/null
    cmp "$work/j1/frontier.csv" "$work/j2/frontier.csv"
    cmp "$work/j1/allocations.csv" "$work/j2/allocations.csv"
    grep -q '^1000,1000,0.4,400,0.6,600,' "$work/j1/frontier.csv"
    grep -q '"scenario_fnv1a64"' "$work/j1/manifest.json"
    [[ $(wc -l <"$work/j1/frontier.csv") -eq 4 ]]  # header, budgets 0, 500, 1000
    grep -q "lead over runner-up" "$work/table"
    # Chips found can only grow with the budget (common random numbers): the frontier is
    # monotone, and at budget 0 the levers sit at their minimum, rate 0, which finds nothing.
    "$chiptrail" optimize "$game" --budget 1000 --frontier 4 --out "$work/f4" >/dev/null
    awk -F, 'NR == 2 && $8 != 0 {exit 1} NR > 2 && $8 < last {exit 1} NR > 1 {last = $8}' \
      "$work/f4/frontier.csv"
    # Minimising what gets through picks the same split.
    "$chiptrail" optimize "$game" --budget 1000 --frontier 1 --minimize chips_delivered_restricted \
      --out "$work/min" >/dev/null
    grep -q '^1000,1000,0.4,400,0.6,600,' "$work/min/frontier.csv"
    # Errors: no levers, an unknown metric (65); conflicting flags (64); a lever range that
    # breaks the scenario, named at the lever (65).
    expect_exit 65 "$chiptrail" optimize "$src/scenarios/minimal.textproto" --budget 5
    grep -q "no \`levers\`" "$work/stderr"
    expect_exit 65 "$chiptrail" optimize "$game" --budget 1000 --maximize nosuch
    grep -q "no metric named nosuch" "$work/stderr"
    expect_exit 64 "$chiptrail" optimize "$game" --budget 1000 --maximize a --minimize b
    expect_exit 65 "$chiptrail" optimize "$src/tests/data/bad_levers.textproto" --budget 2000 \
      --frontier 1 --divisions 2 --out "$work/bad"
    grep -q "bad_levers.textproto:4:[0-9]*: levers\[0\].max: lets q1_too_far reach 2" "$work/stderr"
    [[ ! -e "$work/bad/frontier.csv" ]]  # nothing written on failure
    expect_exit 65 "$chiptrail" validate "$src/tests/data/bad_lever_path.textproto"
    grep -q "bad_lever_path.textproto:3:[0-9]*: levers\[2\].path" "$work/stderr"
    ;;
  report)
    # A run's report: self-contained (nothing fetched from anywhere), its key parts present,
    # and rendered by headless Chromium with no console message at all; the screenshot is kept
    # in the build directory (test-artifacts/report.png) for people to look at.
    command -v chromium >/dev/null || { echo "chromium is not installed (tools/setup.sh installs it)" >&2; exit 1; }
    artifacts="$(dirname "$chiptrail")/test-artifacts"
    mkdir -p "$artifacts"
    "$chiptrail" run "$src/scenarios/blackwell_sea.textproto" -n 20 --seed 3 --out "$work/run" >/dev/null
    "$chiptrail" report "$work/run" >/dev/null
    html="$work/run/report.html"
    if grep -Eq '(src|href)="(https?:)?//' "$html"; then
      echo "report.html refers to something outside itself" >&2
      exit 1
    fi
    for id in summary reading detection-table all-metrics glossary network-map chip-outcomes timeseries by-policy time-to-detection; do
      grep -q "id=\"$id\"" "$html" || { echo "report.html has no #$id" >&2; exit 1; }
    done
    grep -q "<svg" "$html"
    chrome=(chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0)
    timeout 120 "${chrome[@]}" --dump-dom "file://$html" >"$work/dom.html" 2>"$work/console.log"
    grep -q 'data-ready="1"' "$work/dom.html"  # the page's script ran to its end
    if grep -q ":CONSOLE" "$work/console.log"; then
      echo "console messages while rendering report.html:" >&2
      grep ":CONSOLE" "$work/console.log" >&2
      exit 1
    fi
    timeout 120 "${chrome[@]}" --window-size=1200,3600 --screenshot="$artifacts/report.png" \
      "file://$html" >/dev/null 2>&1
    [[ $(head -c 8 "$artifacts/report.png" | od -An -tx1 | tr -d ' ') == 89504e470d0a1a0a ]]
    (( $(stat -c %s "$artifacts/report.png") > 50000 ))  # a blank page is a few KB
    # A sweep's report, with Sobol indices after `sensitivity`.
    "$chiptrail" sweep "$src/tests/data/saltelli_small.textproto" --out "$work/sweep" >/dev/null 2>&1
    "$chiptrail" sensitivity "$work/sweep" >/dev/null
    "$chiptrail" report "$work/sweep" --out "$work/sweep.html" >/dev/null
    grep -q 'id="sweep-curves"' "$work/sweep.html"
    grep -q '<h1>chiptrail report: saltelli_small</h1>' "$work/sweep.html"  # the sweep's name
    grep -q 'id="sobol"' "$work/sweep.html"
    timeout 120 "${chrome[@]}" --dump-dom "file://$work/sweep.html" >"$work/sweep_dom.html" 2>"$work/sweep_console.log"
    grep -q 'data-ready="1"' "$work/sweep_dom.html"
    if grep -q ":CONSOLE" "$work/sweep_console.log"; then cat "$work/sweep_console.log" >&2; exit 1; fi
    # Errors: not an output directory (66); no Python with matplotlib (69).
    expect_exit 66 "$chiptrail" report "$work/nowhere"
    expect_exit 69 "$chiptrail" report "$work/run" --python /nonexistent/python3
    ;;
  compare)
    # compare's numbers are two runs' on the same seeds (and its differences theirs, pair by
    # pair); --out renders as a report; errors name what is wrong.
    base="$src/scenarios/blackwell_sea.textproto"
    variant="$src/scenarios/malaysia_permits.textproto"
    "$chiptrail" run "$base" -n 12 --seed 4 --format csv >"$work/base.csv"
    "$chiptrail" run "$variant" -n 12 --seed 4 --format csv >"$work/variant.csv"
    "$chiptrail" compare "$base" "$variant" -n 12 --seed 4 --out "$work/cmp" >"$work/table"
    grep -q "^malaysia_permits against blackwell_sea (base): 12 paired replications" "$work/table"
    grep -q "^h100e_delivered_restricted_per_year " "$work/table"
    python3 - "$work/base.csv" "$work/variant.csv" "$work/cmp/compare.csv" <<'PY'
import csv, math, sys
def means(path):
    return {r["metric"]: float(r["mean"]) for r in csv.DictReader(open(path))}
base, variant = means(sys.argv[1]), means(sys.argv[2])
rows = list(csv.DictReader(open(sys.argv[3])))
def close(a, b):
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
checked = 0
for r in rows:
    expected = (base if r["role"] == "base" else variant).get(r["metric"])
    if expected is None:
        continue
    assert close(float(r["mean"] or "nan"), expected), (r["role"], r["metric"])
    checked += 1
    if r["role"] == "variant" and r["metric"].endswith("_per_year") and r["difference_mean"]:
        assert close(float(r["difference_mean"]), variant[r["metric"]] - base[r["metric"]]), r["metric"]
assert checked > 100, checked
PY
    # The effect by period: one year after the warm-up cannot be tested for steadiness (and
    # says so); by quarter, four periods, each a row of period_effects.csv with the test's p.
    grep -q "not tested" "$work/table"
    [[ $(wc -l <"$work/cmp/period_effects.csv") -eq 2 ]]
    "$chiptrail" compare "$base" "$variant" -n 12 --seed 4 --period quarter --out "$work/cmp_q" >"$work/table_q"
    grep -q "by period of 91 days" "$work/table_q"
    python3 - "$work/cmp_q/period_effects.csv" "$work/cmp_q/manifest.json" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [int(r["period"]) for r in rows] == [4, 5, 6, 7], rows
assert all(0 <= float(r["equal_effects_p"]) <= 1 for r in rows), rows
# The manifest records the check, and the warm-up and period it was made with.
manifest = json.load(open(sys.argv[2]))
check = manifest["period_effects"][0]
assert check["variant"] == "malaysia_permits" and check["periods_counted"] == "4", check
assert abs(check["equal_effects_p"] - float(rows[0]["equal_effects_p"])) < 1e-12, check
assert manifest["warmup_days"] == 365 and abs(manifest["period_days"] - 91.25) < 1e-9, manifest
PY
    expect_exit 64 "$chiptrail" compare "$base" "$variant" -n 12 --warmup-days 730
    # The Chip Security Act over eight years by month (200 paired replications): its effect
    # overshoots in year 2 and settles after, so compare warns that the transient outlasts the
    # shipped one-year warm-up, and not after a two-year one, where the monthly effects also
    # pass the equal-effects test (measured: ~550 days; p = 0.53).
    for pair in "policy_baseline_2024 base8" "chip_security_act csa8"; do
      set -- $pair
      printf 'extends: "%s"\nmetadata { name: "%s" }\nhorizon_days: 2920\n' \
        "$src/scenarios/$1.textproto" "$2" >"$work/$2.textproto"
    done
    "$chiptrail" compare "$work/base8.textproto" "$work/csa8.textproto" -n 200 --period month |
      tr '\n' ' ' >"$work/csa8"
    grep -q "Warning: the transient lasts about" "$work/csa8"
    "$chiptrail" compare "$work/base8.textproto" "$work/csa8.textproto" -n 200 --period month \
      --warmup-days 730 | tr '\n' ' ' >"$work/csa8_late"
    if grep -q "transient lasts" "$work/csa8_late"; then
      echo "the transient is still said to outlast a two-year warm-up" >&2
      exit 1
    fi
    grep -q "No difference between periods is detected" "$work/csa8_late"
    "$chiptrail" report "$work/cmp" >/dev/null
    for id in summary compare-table compare-bars compare-timeseries glossary; do
      grep -q "id=\"$id\"" "$work/cmp/report.html" || { echo "no #$id in the comparison's report" >&2; exit 1; }
    done
    # Rendered by headless Chromium to its end, with no console message.
    command -v chromium >/dev/null || { echo "chromium is not installed (tools/setup.sh installs it)" >&2; exit 1; }
    timeout 120 chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
      --dump-dom "file://$work/cmp/report.html" >"$work/dom.html" 2>"$work/console.log"
    grep -q 'data-ready="1"' "$work/dom.html"
    if grep -q ":CONSOLE" "$work/console.log"; then grep ":CONSOLE" "$work/console.log" >&2; exit 1; fi
    expect_exit 66 "$chiptrail" compare "$base" "$work/nowhere.textproto"
    expect_exit 64 "$chiptrail" compare "$base" "$variant" --metrics no_such_metric
    expect_exit 64 "$chiptrail" compare "$base"
    ;;
  plot)
    # tools/plot.py with Debian's Python: every figure in PNG, SVG and PDF, each a real file of
    # its format.
    "$chiptrail" run "$src/scenarios/minimal.textproto" -n 10 --seed 2 --out "$work/run" >/dev/null
    /usr/bin/python3 "$src/tools/plot.py" "$work/run" --out "$work/figs" >/dev/null
    for name in network_map chip_outcomes policies time_to_detection; do
      [[ $(head -c 8 "$work/figs/$name.png" | od -An -tx1 | tr -d ' ') == 89504e470d0a1a0a ]]
      grep -q "<svg" "$work/figs/$name.svg"
      [[ $(head -c 5 "$work/figs/$name.pdf") == "%PDF-" ]]
    done
    [[ -z $(find "$work/figs" -name '*.partial') ]]
    expect_exit 66 /usr/bin/python3 "$src/tools/plot.py" "$work/nowhere"
    expect_exit 2 /usr/bin/python3 "$src/tools/plot.py" "$work/run" --formats gif
    # The map's land: the explorer's world-atlas outlines (when this build has the page) decode
    # to the world's countries, Malaysia's around Kuala Lumpur among them.
    outlines="$(dirname "$chiptrail")/explorer/vendor/countries-50m.json"
    if [[ -f "$outlines" ]]; then
      /usr/bin/python3 - "$src/tools" "$outlines" <<'PY'
import sys
sys.path.insert(0, sys.argv[1])
import plot
from matplotlib.path import Path
rings = plot.country_outlines(sys.argv[2])
assert len(rings) > 200, len(rings)
assert any(Path(r).contains_point((101.69, 3.14)) for r in rings)      # Kuala Lumpur: on land
assert not any(Path(r).contains_point((115.0, 15.0)) for r in rings)   # South China Sea
PY
    fi
    ;;
  graph_results)
    # The DOT coloured by where lots were caught: the inspected hubs are filled and labelled
    # with their finds; rendering goes through Graphviz when asked.
    "$chiptrail" run "$src/scenarios/blackwell_sea.textproto" -n 10 --seed 4 --out "$work/run" >/dev/null
    "$chiptrail" graph "$src/scenarios/blackwell_sea.textproto" --results "$work/run" >"$work/heat.dot"
    grep -q '"klia_cargo" \[label="KLIA air cargo\\nMY\\ncaught: [0-9.]* lots' "$work/heat.dot"
    grep -q 'fillcolor="#' "$work/heat.dot"
    grep -q '"dealer_kl" -> "klia_cargo" \[label="truck, [0-9.]* d\\n[0-9.]* finds per run", color=' "$work/heat.dot"
    "$chiptrail" graph "$src/scenarios/blackwell_sea.textproto" >"$work/plain.dot"
    if grep -q "fillcolor" "$work/plain.dot"; then echo "plain DOT is coloured" >&2; exit 1; fi
    command -v dot >/dev/null || { echo "graphviz is not installed (tools/setup.sh installs it)" >&2; exit 1; }
    "$chiptrail" graph "$src/scenarios/blackwell_sea.textproto" --results "$work/run" --render png --out "$work/heat.png"
    [[ $(head -c 8 "$work/heat.png" | od -An -tx1 | tr -d ' ') == 89504e470d0a1a0a ]]
    # Readable: neither side of the 14-node picture more than twice the other (a long strip was).
    /usr/bin/python3 - "$work/heat.png" <<'PY'
import struct, sys
width, height = struct.unpack(">II", open(sys.argv[1], "rb").read()[16:24])
assert max(width, height) <= 2 * min(width, height), (width, height)
PY
    # Results of another scenario are refused, naming the file and what differs.
    expect_exit 65 "$chiptrail" graph "$src/scenarios/minimal.textproto" --results "$work/run"
    grep -q "where.json: its network has" "$work/stderr"
    # where.json counts what detections.csv lists: every row with a node, by node.
    /usr/bin/python3 - "$work/run" <<'PY'
import csv, json, sys
where = json.load(open(sys.argv[1] + "/where.json"))
rows = list(csv.DictReader(open(sys.argv[1] + "/detections.csv")))
for node in where["nodes"]:
    listed = sum(1 for r in rows if r["node"] == node["node"])
    assert int(node.get("detections", "0")) == listed, (node, listed)
    first = sum(1 for r in rows if r["node"] == node["node"] and r["first"] == "1")
    assert int(node.get("lots_first_caught", "0")) == first, (node, first)
assert sum(int(e.get("detections", "0")) for e in where["edges"]) == sum(1 for r in rows if r["edge"])
PY
    expect_exit 64 "$chiptrail" graph "$src/scenarios/minimal.textproto" --render png
    expect_exit 66 "$chiptrail" graph "$src/scenarios/minimal.textproto" --results "$work/nowhere"
    ;;
  trace)
    # Every event of one replication as JSON lines; the same whatever the thread count; bounded.
    "$chiptrail" run "$src/scenarios/minimal.textproto" -n 4 --seed 9 -j 1 --trace "$work/t1.jsonl" >/dev/null
    "$chiptrail" run "$src/scenarios/minimal.textproto" -n 4 --seed 9 -j 2 --trace "$work/t2.jsonl" >/dev/null
    cmp "$work/t1.jsonl" "$work/t2.jsonl"
    /usr/bin/python3 - "$work/t1.jsonl" <<'PY'
import collections, json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
kinds = collections.Counter(e["event"] for e in events)
assert kinds["sale"] > 0 and kinds["arrived"] > 0 and kinds["dismantled"] > 0, kinds
times = [e["t_days"] for e in events]
assert times == sorted(times), "events out of time order"
found = [e for e in events if e["event"] == "detected"]
assert all(e["policy"] and e["stage"] and e["verdict"] and e["node"] for e in found), found[:1]
# Chips of each sold lot: delivered + seized or disabled in the chain never exceed what was
# sold (the rest is still in the pipeline at the horizon), and every chip of a legitimate lot
# that was delivered was sold.
sold = {e["lot"]: e["chips"] for e in events if e["event"] == "sale"}
gone = collections.Counter()
for e in events:
    assert e["lot"] in sold, e
    if e["event"] == "delivered" or (e["event"] == "detected" and e["verdict"] in ("seize", "disable")):
        gone[e["lot"]] += e["chips"]
assert gone, "nothing delivered or stopped: the check checked nothing"
for lot, chips in gone.items():
    assert chips <= sold[lot], (lot, chips, sold[lot])
PY
    "$chiptrail" run "$src/scenarios/minimal.textproto" -n 1 --seed 9 --trace "$work/short.jsonl" \
      --trace-limit 5 2>"$work/stderr" >/dev/null
    [[ $(wc -l <"$work/short.jsonl") -eq 6 ]]
    tail -1 "$work/short.jsonl" | grep -q '"truncated"'
    grep -q "stopped at --trace-limit 5" "$work/stderr"
    ;;
  bad_inputs)
    # Every file in tests/bad_inputs/ is listed in its EXPECTED with the first error it must
    # give; each exits 65 with that error at its line, within 30 s and (outside the sanitizer
    # build, whose shadow memory defeats ulimit) 2 GiB of memory.
    dir="$src/tests/bad_inputs"
    listed=$(grep -v '^#' "$dir/EXPECTED" | cut -f1 | sort)
    present=$(find "$dir" -maxdepth 1 -type f ! -name EXPECTED -printf '%f\n' | sort)
    if [[ "$listed" != "$present" ]]; then
      echo "tests/bad_inputs/EXPECTED does not list exactly the files there:" >&2
      diff <(echo "$listed") <(echo "$present") >&2 || true
      exit 1
    fi
    (( $(echo "$listed" | wc -l) >= 40 ))
    bounded() {  # bounded COMMAND...: at most 30 s and 2 GiB
      if [[ -n "${CHIPTRAIL_SANITIZED:-}" ]]; then timeout 120 "$@"; else (ulimit -v 2097152; timeout 30 "$@"); fi
    }
    cd "$dir"  # errors name the files as given
    while IFS=$'\t' read -r file cmd where words; do
      [[ -z $file || $file == \#* ]] && continue
      set +e
      bounded "$chiptrail" "$cmd" "$file" >"$work/out" 2>"$work/err"
      code=$?
      set -e
      first=$(head -1 "$work/err")
      if [[ $code -ne 65 || $first != "$where:"* || $first != *"$words"* ]]; then
        echo "$file: expected exit 65 and \"$where: ... $words\", got exit $code:" >&2
        cat "$work/err" >&2
        exit 1
      fi
    done <"$dir/EXPECTED"
    # Generated, too big to keep in the repository: a million-node graph.
    /usr/bin/python3 -c "
import sys
with open(sys.argv[1], 'w') as f:
    f.write('horizon_days: 10\n')
    for i in range(1000000): f.write('nodes { id: \"n%d\" kind: DEALER }\n' % i)
" "$work/million.textproto"
    set +e
    bounded "$chiptrail" validate "$work/million.textproto" >"$work/out" 2>"$work/err"
    code=$?
    set -e
    [[ $code -eq 65 ]] && grep -q "million.textproto:100002:1: nodes\[100000\]: more than 100,000 nodes" "$work/err"
    # JSON whose shape would make a naive position index explode: a 1.4 MB member name over
    # nested arrays, and a 32 MiB array of numbers (4 MiB under the sanitizers, which are ten
    # times slower). Both are refused within the same bounds.
    elements=$((16 * 1024 * 1024))
    [[ -n "${CHIPTRAIL_SANITIZED:-}" ]] && elements=$((2 * 1024 * 1024))
    /usr/bin/python3 -c "
import sys
key = 'k' * 1400000
with open(sys.argv[1], 'w') as f:
    f.write('{\"horizon_days\": 10, \"' + key + '\": ' + '[' * 60 + ', '.join(['[1, 2, 3]'] * 2000) + ']' * 60 + '}\n')
with open(sys.argv[2], 'w') as f:
    f.write('{\"horizon_days\": 10, \"flows\": [{\"id\": \"f\", \"arrivals\": {\"schedule\": {\"atDays\": [')
    f.write('1,' * int(sys.argv[3]))
    f.write('1]}}}]}\n')
" "$work/long_key.json" "$work/big_array.json" "$elements"
    for file in long_key big_array; do
      set +e
      bounded "$chiptrail" validate "$work/$file.json" >"$work/out" 2>"$work/err"
      code=$?
      set -e
      [[ $code -eq 65 ]] || { echo "$file.json: exit $code" >&2; head -c 600 "$work/err" >&2; exit 1; }
    done
    # `run` refuses what `validate` refuses, writing nothing.
    expect_exit 65 "$chiptrail" run "$dir/billion_lots.textproto" --out "$work/never"
    [[ ! -e "$work/never" ]]
    ;;
  killed_writes)
    # Runs killed with SIGKILL at arbitrary moments while they rewrite an output directory
    # leave each file complete (the previous run's or the new one's, never torn), and the set
    # consistent: either no manifest (readers refuse the directory, exit 65) or a manifest
    # whose listed hashes all match (readers accept it).
    scenario="$src/scenarios/blackwell_sea.textproto"
    "$chiptrail" run "$scenario" -n 40 --seed 1 --out "$work/out" >/dev/null
    complete=0
    for attempt in 1 2 3 4 5 6 7 8; do
      "$chiptrail" run "$scenario" -n 40 --seed $((attempt + 1)) --out "$work/out" >/dev/null &
      pid=$!
      sleep "0.$((RANDOM % 6))$((RANDOM % 10))"
      kill -9 "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      [[ $(wc -l <"$work/out/runs.csv") -eq 41 && $(tail -c 1 "$work/out/runs.csv" | od -An -c | tr -d ' ') == '\n' ]]
      [[ $(tail -c 1 "$work/out/summary.csv" | od -An -c | tr -d ' ') == '\n' ]]
      [[ $(tail -c 1 "$work/out/detections.csv" | od -An -c | tr -d ' ') == '\n' ]]
      if [[ -e "$work/out/manifest.json" ]]; then
        /usr/bin/python3 -c "import json, sys; json.load(open(sys.argv[1]))" "$work/out/manifest.json"
        "$chiptrail" graph "$scenario" --results "$work/out" >/dev/null
        complete=$((complete + 1))
      else
        expect_exit 65 "$chiptrail" graph "$scenario" --results "$work/out"
      fi
    done
    # A set mixed by hand is refused by every reader; a rerun makes it whole again.
    "$chiptrail" run "$scenario" -n 40 --seed 3 --out "$work/out" >/dev/null
    "$chiptrail" run "$src/scenarios/minimal.textproto" -n 5 --out "$work/other" >/dev/null
    cp "$work/other/runs.csv" "$work/out/runs.csv"
    expect_exit 65 "$chiptrail" graph "$scenario" --results "$work/out"
    grep -q "does not belong with this manifest.json" "$work/stderr"
    expect_exit 65 "$chiptrail" report "$work/out"
    "$chiptrail" run "$scenario" -n 40 --seed 3 --out "$work/out" >/dev/null
    "$chiptrail" graph "$scenario" --results "$work/out" >/dev/null
    ;;
  resource_limits)
    # Runs that grow past their limits stop with a message naming the flag, exit 65.
    scenario="$src/scenarios/blackwell_sea.textproto"
    expect_exit 65 "$chiptrail" run "$scenario" -n 4 --max-lots 50  # refused before running
    grep -q "the flows expect 172 lots in one replication, more than --max-lots 50" "$work/stderr"
    expect_exit 65 "$chiptrail" run "$scenario" -n 4 --max-lots 200  # consignments pass it
    grep -q "replication [0-9]* stopped: more than 200 lots and consignments (--max-lots)" "$work/stderr"
    # Valid scenarios whose rates would take hours are refused before any event, naming the
    # policy and the flag: audit visits a billion times a year, a heartbeat every 1e-9 days.
    printf 'extends: "%s"\npolicies { name: "euc" end_use_check { visits_per_site_per_year: 1e9 } }\n' \
      "$scenario" >"$work/visits.textproto"
    expect_exit 65 timeout 20 "$chiptrail" run "$work/visits.textproto" -n 1
    grep -q "policies\[[0-9]*\] (euc, end_use_check) expects .* events in one replication" "$work/stderr"
    grep -q -- "--max-events" "$work/stderr"
    printf 'extends: "%s"\npolicies { name: "hb" heartbeat { interval_days: 1e-9 } }\n' \
      "$scenario" >"$work/beats.textproto"
    expect_exit 65 timeout 20 "$chiptrail" run "$work/beats.textproto" -n 1
    grep -q "(hb, heartbeat) expects" "$work/stderr"
    printf 'extends: "%s"\nflows { id: "busy" kind: LEGITIMATE chip_model: "B200" packaging: LOOSE\n  arrivals { poisson_per_year: 5000 } lot_chips { fixed: 8 } route: ["oem_us", "front_sg", "dc_johor"] }\n' \
      "$scenario" >"$work/busy.textproto"
    expect_exit 65 "$chiptrail" run "$work/busy.textproto" -n 2 --max-events 20000
    grep -q "stopped: more than 20000 events (--max-events)" "$work/stderr"
    expect_exit 65 "$chiptrail" run "$work/busy.textproto" -n 2 --max-memory 1
    grep -q "stopped: the process uses more than 1 MiB (--max-memory)" "$work/stderr"
    # A sweep keeps the runs it finished in its journal.
    expect_exit 65 "$chiptrail" sweep "$src/tests/data/small_sweep.textproto" --out "$work/sweep" \
      --max-lots 3 -j 1
    [[ -f "$work/sweep/.journal" ]]
    # Low limits hold too (the watchdog looks often enough), and while tracing.
    expect_exit 65 "$chiptrail" run "$src/scenarios/minimal.textproto" -n 2 --max-events 50
    grep -q "more than 50 events (--max-events)" "$work/stderr"
    expect_exit 65 "$chiptrail" run "$src/scenarios/minimal.textproto" -n 1 --max-events 50 \
      --trace "$work/limited.jsonl"
    # Sizes that could not fit are refused before anything is allocated.
    expect_exit 64 "$chiptrail" run "$scenario" --replications 100000000
    expect_exit 64 "$chiptrail" uncertainty "$scenario" --samples 10000000
    expect_exit 64 "$chiptrail" uncertainty "$scenario" --samples 100000 --replications 100
    grep -q "more than 1,000,000 runs" "$work/stderr"
    printf 'extends: "%s"\n' "$src/tests/data/inspection_game.textproto" >"$work/levers.textproto"
    for k in 0 1 2 3 4 5; do
      printf 'levers { name: "l%s" path: "edges[%s].cost_usd" cost_per_unit_usd: 1 max: 10 }\n' \
        "$k" "$k" >>"$work/levers.textproto"
    done
    expect_exit 65 "$chiptrail" optimize "$work/levers.textproto" --budget 1000 --divisions 1000
    grep -q "budget splits (limit 100,000)" "$work/stderr"
    # Within limits, nothing changes.
    "$chiptrail" run "$scenario" -n 3 --seed 5 --out "$work/a" >/dev/null
    "$chiptrail" run "$scenario" -n 3 --seed 5 --max-events 100000000 --max-memory 4096 --out "$work/b" >/dev/null
    cmp "$work/a/runs.csv" "$work/b/runs.csv"
    ;;
  hostile_messages)
    # Messages that name what is wrong: an unknown command, a loop of links and 16 hops of
    # `extends` (allowed; 17 are not), a bound of a positive number without 309 digits.
    expect_exit 64 "$chiptrail" bogus
    grep -q 'no command "bogus"' "$work/stderr"
    ln -s loop_b "$work/loop_a"
    ln -s loop_a "$work/loop_b"
    printf 'extends: "loop_a"\n' >"$work/via_loop.textproto"
    expect_exit 65 "$chiptrail" validate "$work/via_loop.textproto"
    grep -q "via_loop.textproto:1:1: extends: .*loop_a: Too many levels of symbolic links" "$work/stderr"
    cp "$src/scenarios/minimal.textproto" "$work/hop0.textproto"
    sed -i 's|^extends:.*||' "$work/hop0.textproto"
    for k in $(seq 1 17); do
      printf 'extends: "hop%s.textproto"\n' $((k - 1)) >"$work/hop$k.textproto"
    done
    "$chiptrail" validate "$work/hop16.textproto" >/dev/null
    expect_exit 65 "$chiptrail" validate "$work/hop17.textproto"
    grep -q "more than 16 deep" "$work/stderr"
    expect_exit 64 "$chiptrail" optimize "$src/tests/data/inspection_game.textproto" --budget -5
    grep -q "must be a positive number" "$work/stderr"
    if grep -q "1797693134862315" "$work/stderr"; then exit 1; fi
    ;;
  metrics)
    # The glossary: the README's table is `metrics --format markdown`, run and sweep outputs
    # carry it as glossary.csv, and the headline rows and the reading lead `run`'s table.
    "$chiptrail" metrics --format markdown >"$work/glossary.md"
    awk '/^The glossary \(`chiptrail metrics --format markdown`/ {on = 1; next}
         on && /^\| metric/ {table = 1}
         table && !/^\|/ {exit}
         table {print}' "$src/README.md" >"$work/readme_glossary.md"
    diff -u "$work/glossary.md" "$work/readme_glossary.md"
    "$chiptrail" metrics --format csv >"$work/glossary.csv"
    head -1 "$work/glossary.csv" | grep -qx 'metric,rung,unit,ratio,interval,description'
    "$chiptrail" metrics >"$work/glossary.txt"
    grep -q '^share_h100e_denied  \[interdicted, share\]$' "$work/glossary.txt"
    "$chiptrail" run "$src/scenarios/minimal.textproto" -n 5 --out "$work/run" >"$work/table"
    cmp "$work/glossary.csv" "$work/run/glossary.csv"
    [[ $(sed -n 3p "$work/table") == "h100e_delivered_restricted_per_year "* ]]
    tr -s ' \n' ' ' <"$work/table" >"$work/table_words"
    grep -q 'reached the restricted end user' "$work/table_words"
    cmp <(tr -s ' \n' ' ' <"$work/run/reading.txt") <(sed -n '/^Over /,/^$/p' "$work/table" | tr -s ' \n' ' ')
    # Old names get the new one in the error.
    printf 'scenario: "%s"\nfull_factorial {}\nmetrics: ["detection_rate_lots"]\n' \
      "$src/scenarios/minimal.textproto" >"$work/old.textproto"
    set +e
    "$chiptrail" plan "$work/old.textproto" 2>"$work/old.err"
    code=$?
    set -e
    [[ $code -eq 65 ]] && grep -q 'renamed: write "share_lots_flagged"' "$work/old.err"
    # --period and --warmup-days: checked, and shaping timeseries.csv.
    "$chiptrail" run "$src/scenarios/blackwell_sea.textproto" -n 3 --period quarter --out "$work/q" >/dev/null
    [[ $(awk -F, 'NR > 1 && $1 == 0' "$work/q/timeseries.csv" | wc -l) -eq 8 ]]
    set +e
    "$chiptrail" run "$src/scenarios/minimal.textproto" --period fortnight 2>/dev/null; c1=$?
    "$chiptrail" run "$src/scenarios/minimal.textproto" --warmup-days 400 2>/dev/null; c2=$?
    set -e
    [[ $c1 -eq 64 && $c2 -eq 64 ]]
    ;;
  diagnostics)
    # Diagnostics go through one logger: --log-level and --quiet set what reaches stderr, data
    # on stdout never changes, colour only on a terminal and never with NO_COLOR.
    scenario="$src/scenarios/minimal.textproto"
    "$chiptrail" run "$scenario" -n 3 --format csv >"$work/plain.csv"
    "$chiptrail" --log-level debug run "$scenario" -n 3 --format csv >"$work/debug.csv" \
      2>"$work/debug.err"
    cmp "$work/plain.csv" "$work/debug.csv"
    grep -q "3 replications in" "$work/debug.err"
    "$chiptrail" run "$scenario" -n 3 --format csv --log-level debug 2>"$work/after.err" >/dev/null
    grep -q "3 replications in" "$work/after.err"  # the flag after the command too
    "$chiptrail" sweep "$src/tests/data/small_sweep.textproto" --out "$work/loud" 2>"$work/loud.err"
    grep -q "chiptrail sweep: 24/24 runs" "$work/loud.err"
    "$chiptrail" --quiet sweep "$src/tests/data/small_sweep.textproto" --out "$work/quiet" \
      2>"$work/quiet.err"
    [[ ! -s "$work/quiet.err" ]]
    cmp "$work/loud/runs.csv" "$work/quiet/runs.csv"
    printf 'name: 3\n' >"$work/bad.textproto"
    expect_exit 65 "$chiptrail" validate "$work/bad.textproto" --quiet
    grep -q "bad.textproto:1" "$work/stderr"  # errors pass --quiet
    expect_exit 65 "$chiptrail" --log-level off validate "$work/bad.textproto"
    [[ ! -s "$work/stderr" ]]
    expect_exit 64 "$chiptrail" --log-level loud validate "$scenario"
    if command -v script >/dev/null; then
      TERM=xterm script -qec "$chiptrail validate $work/bad.textproto" /dev/null >"$work/tty.out" || true
      grep -q $'\e\[' "$work/tty.out"
      TERM=xterm NO_COLOR=1 script -qec "$chiptrail validate $work/bad.textproto" /dev/null \
        >"$work/nocolor.out" || true
      grep -q "bad.textproto:1" "$work/nocolor.out"
      if grep -q $'\e\[' "$work/nocolor.out"; then exit 1; fi
    fi
    ;;
  hostile_flags)
    # Numbers on the command line are plain decimal whole numbers in range, or exit 64: nothing
    # wraps to 2^64 - 1, overflows, or is silently ignored.
    scenario="$src/scenarios/minimal.textproto"
    for seed in -1 "" 18446744073709551616 1e3 " 7" 0x10; do
      expect_exit 64 "$chiptrail" run "$scenario" -n 2 --seed "$seed"
    done
    "$chiptrail" run "$scenario" -n 2 --seed 18446744073709551615 >/dev/null
    expect_exit 64 "$chiptrail" run "$scenario" -n 2 --max-memory 18446744073709551615
    expect_exit 64 "$chiptrail" run "$scenario" -n 2 --max-events -5
    expect_exit 64 "$chiptrail" run "$scenario" -n 0
    sweep="$src/tests/data/small_sweep.textproto"
    for shard in 0/18446744073709551615 -1/2 1/-2 "0/ 2" 2/2 0/0 0/1000001 1/2x; do
      expect_exit 64 "$chiptrail" sweep "$sweep" --out "$work/s" --shard "$shard"
    done
    ;;
  hostile_files)
    # Outputs never follow a planted link nor replace a device, FIFO or directory.
    scenario="$src/scenarios/minimal.textproto"
    echo "precious" >"$work/victim"
    ln -s "$work/victim" "$work/link.jsonl"
    "$chiptrail" run "$scenario" -n 1 --trace "$work/link.jsonl" >/dev/null
    [[ $(cat "$work/victim") == precious && -f "$work/link.jsonl" && ! -L "$work/link.jsonl" ]]
    if [[ $(id -u) -eq 0 ]]; then  # a null device of our own, never the system's
      mknod "$work/null" c 1 3
      "$chiptrail" run "$scenario" -n 1 --trace "$work/null" >/dev/null
      [[ -c "$work/null" ]]
    fi
    mkfifo "$work/fifo"
    cat "$work/fifo" >"$work/from_fifo" &
    reader=$!
    "$chiptrail" run "$scenario" -n 1 --trace "$work/fifo" >/dev/null
    wait "$reader"
    [[ -p "$work/fifo" ]] && grep -q '"event": "sale"' "$work/from_fifo"
    mkdir "$work/adir"
    expect_exit 74 "$chiptrail" run "$scenario" -n 1 --trace "$work/adir"
    # Temporaries that a killed run left are cleaned up; links by that name are not touched.
    mkdir -p "$work/out"
    echo torn >"$work/out/runs.csv.tmp.Ab3xYz"
    ln -s "$work/victim" "$work/out/summary.csv.tmp.Qq9ZzZ"
    "$chiptrail" run "$scenario" -n 2 --out "$work/out" >/dev/null
    [[ ! -e "$work/out/runs.csv.tmp.Ab3xYz" && -L "$work/out/summary.csv.tmp.Qq9ZzZ" ]]
    [[ $(cat "$work/victim") == precious ]]
    # An `extends` aimed at a file that is no scenario: the error quotes at most a short,
    # escaped excerpt of it, never its contents or raw bytes.
    /usr/bin/python3 -c "
import sys
open(sys.argv[1], 'wb').write(b'horizon_days: \"' + b'SECRET' * 2000 + b'\x1b[31m\xff\"\n' + b'TOKEN\x01\xfe' * 500 + b'\n')
" "$work/secret.txt"
    printf 'extends: "%s"\n' "$work/secret.txt" >"$work/extends_secret.textproto"
    expect_exit 65 "$chiptrail" validate "$work/extends_secret.textproto"
    grep -q "Expected double" "$work/stderr"
    if grep -q "SECRETSECRETSECRETSECRETSECRETSECRET" "$work/stderr"; then exit 1; fi
    awk 'length > 400 {exit 1}' "$work/stderr"
    if LC_ALL=C grep -q -P '[^\x09\x0a\x20-\x7e]' "$work/stderr"; then exit 1; fi
    ;;
  same_seed_same_bytes)
    # One thread, two threads, and two threads again: the three give the same bytes.
    for out in t1:1 t2:2 t2again:2; do
      "$chiptrail" run "$src/scenarios/blackwell_sea.textproto" -n 24 --seed 11 \
        --threads "${out#*:}" --out "$work/${out%%:*}" >/dev/null
    done
    for f in runs.csv summary.csv detections.csv; do
      cmp "$work/t1/$f" "$work/t2/$f"
      cmp "$work/t2/$f" "$work/t2again/$f"
    done
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
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["replications"]==5; assert any(m["metric"]=="share_lots_flagged" for m in d["metrics"])' "$work/s.json"
    "$chiptrail" run "$src/scenarios/minimal.textproto" -n 5 >"$work/table.txt"
    grep -q "share_lots_flagged" "$work/table.txt"
    "$chiptrail" graph "$src/scenarios/blackwell_sea.textproto" >"$work/g.dot"
    grep -q '"dc_johor" -> "dealer_kl"' "$work/g.dot"
    ;;
  sweep_plan)
    "$chiptrail" plan "$src/tests/data/small_sweep.textproto" >"$work/plan.csv" 2>"$work/plan.err"
    [[ $(wc -l <"$work/plan.csv") -eq 25 ]]  # header + 4 points x 6 replications
    [[ $(sed -n 2p "$work/plan.csv") == "0,0,0,0.05,0" ]]
    [[ $(sed -n 8p "$work/plan.csv") == "6,1,0,0.05,1" ]]  # the last factor varies fastest
    grep -q "24 runs" "$work/plan.err"
    expect_exit 65 "$chiptrail" plan "$src/tests/data/bad_sweep.textproto"
    grep -q "bad_sweep.textproto:3:.*no policies with name = \"nobody\"" "$work/stderr"
    grep -q "bad_sweep.textproto:4:.*makes the scenario invalid" "$work/stderr"
    ;;
  shipped_sweeps)
    for sweep in "$src"/scenarios/sweeps/*.textproto; do
      "$chiptrail" plan "$sweep" >"$work/plan.csv" 2>/dev/null
      [[ $(wc -l <"$work/plan.csv") -gt 100 ]]
    done
    "$chiptrail" plan "$src/scenarios/sweeps/customs_malaysia_thailand.textproto" >"$work/plan.csv" 2>/dev/null
    grep -q "^300,3,0,0,0.15$" "$work/plan.csv"  # grid values print as written, not 0.15000000000000002
    ;;
  sweep_threads)
    "$chiptrail" sweep "$src/tests/data/small_sweep.textproto" --out "$work/j1" -j 1 2>/dev/null
    "$chiptrail" sweep "$src/tests/data/small_sweep.textproto" --out "$work/j2" -j 2 2>/dev/null
    for f in runs.csv summary.csv paired.csv manifest.json; do cmp "$work/j1/$f" "$work/j2/$f"; done
    [[ ! -e "$work/j1/.journal" ]]
    # A factor that reaches 0 gives 0's answer: no lot enrolled, none found by verification.
    "$chiptrail" sweep "$src/tests/data/opt_in_zero_sweep.textproto" --out "$work/oz" 2>/dev/null
    grep -q '^0,0,lots_flagged_by.location_covered,3,0,' "$work/oz/summary.csv"
    awk -F, '$1 == 1 && !($5 > 5) {exit 1}' "$work/oz/summary.csv"
    ;;
  sweep_shards)
    "$chiptrail" sweep "$src/tests/data/small_sweep.textproto" --out "$work/full" 2>/dev/null
    "$chiptrail" sweep "$src/tests/data/small_sweep.textproto" --out "$work/s0" --shard 0/2 2>/dev/null
    "$chiptrail" sweep "$src/tests/data/small_sweep.textproto" --out "$work/s1" --shard 1/2 2>/dev/null
    expect_exit 65 "$chiptrail" merge "$work/merged" "$work/s0"  # a shard missing
    expect_exit 65 "$chiptrail" merge "$work/merged" "$work/s0" "$work/s0"
    "$chiptrail" merge "$work/merged" "$work/s1" "$work/s0"
    for f in runs.csv summary.csv paired.csv manifest.json; do cmp "$work/full/$f" "$work/merged/$f"; done
    expect_exit 64 "$chiptrail" sweep "$src/tests/data/small_sweep.textproto" --out "$work/x" --shard 2/2
    ;;
  sweep_resume)
    sweep="$src/tests/data/resume_sweep.textproto"
    "$chiptrail" sweep "$sweep" --out "$work/whole" -j 2 2>/dev/null
    # kill -9 midway: wait until some runs are in the journal, then kill without warning.
    "$chiptrail" sweep "$sweep" --out "$work/killed" -j 1 2>/dev/null &
    pid=$!
    wait_for_journal "$work/killed"
    kill -9 $pid
    wait $pid || true
    lines=$(wc -l <"$work/killed/.journal")
    (( lines > 30 && lines < 401 )) || { echo "journal has $lines lines: not killed midway" >&2; exit 1; }
    printf '999,1,2,3' >>"$work/killed/.journal"  # a torn last line, as a kill mid-write leaves
    expect_exit 64 "$chiptrail" sweep "$sweep" --out "$work/killed"  # refuses without --resume
    "$chiptrail" sweep "$sweep" --out "$work/killed" --resume -j 2 2>/dev/null
    for f in runs.csv summary.csv paired.csv manifest.json; do cmp "$work/whole/$f" "$work/killed/$f"; done
    # Ctrl-C: stops cleanly with 130, keeps what was done, and --resume finishes it.
    "$chiptrail" sweep "$sweep" --out "$work/int" -j 1 2>/dev/null &
    pid=$!
    wait_for_journal "$work/int"
    kill -INT $pid
    set +e
    wait $pid
    code=$?
    set -e
    [[ $code -eq 130 ]] || { echo "Ctrl-C gave exit $code" >&2; exit 1; }
    "$chiptrail" sweep "$sweep" --out "$work/int" --resume 2>/dev/null
    for f in runs.csv summary.csv paired.csv manifest.json; do cmp "$work/whole/$f" "$work/int/$f"; done
    ;;
  sweep_journal)
    # What --resume meets besides a clean interruption (single-threaded, and reading protobuf
    # maps, so not part of the ThreadSanitizer run: see tools/test.sh).
    sweep="$src/tests/data/resume_sweep.textproto"
    "$chiptrail" sweep "$sweep" --out "$work/whole" -j 2 2>/dev/null
    "$chiptrail" sweep "$sweep" --out "$work/int" -j 2 2>/dev/null
    # --resume on a finished directory has nothing to do (and changes nothing).
    touch -d '2000-01-01' "$work/int/runs.csv"
    "$chiptrail" sweep "$sweep" --out "$work/int" --resume 2>"$work/stderr"
    grep -q "already holds this sweep's finished outputs" "$work/stderr"
    [[ $(stat -c %Y "$work/int/runs.csv") -eq $(date -d '2000-01-01' +%s) ]]
    # A journal whose records have a valid checksum but the wrong shape is read like a torn one:
    # those runs run again, and the outputs are still byte-identical.
    "$chiptrail" sweep "$sweep" --out "$work/shape" -j 1 2>/dev/null &
    pid=$!
    wait_for_journal "$work/shape"
    kill -9 $pid
    wait $pid || true
    /usr/bin/python3 - "$work/shape/.journal" <<'PY'
import sys
def fnv(b):
    h = 0xcbf29ce484222325
    for c in b:
        h = ((h ^ c) * 0x100000001b3) % 2**64
    return format(h, "x")
with open(sys.argv[1], "a") as f:
    for body in ["1,4.7e-310", "2", "3," + ",".join(["1"] * 500), "18446744073709551615,1,2"]:
        f.write(body + "," + fnv(body.encode()) + "\n")
PY
    "$chiptrail" sweep "$sweep" --out "$work/shape" --resume -j 2 2>/dev/null
    for f in runs.csv summary.csv paired.csv manifest.json; do cmp "$work/whole/$f" "$work/shape/$f"; done
    # A journal that cannot be written is an I/O error (74), a journal of another sweep is
    # refused (65), and merging into a shard's directory is refused (64).
    mkdir -p "$work/dirjournal/.journal"
    expect_exit 74 "$chiptrail" sweep "$sweep" --out "$work/dirjournal" --resume
    mkdir -p "$work/dev"
    ln -s /dev/zero "$work/dev/.journal"  # endless: never read
    expect_exit 74 timeout 60 "$chiptrail" sweep "$sweep" --out "$work/dev" --resume -j 1
    # A disk that fills up: writes past a 4 KiB file size limit fail (EFBIG).
    set +e
    (trap '' XFSZ; ulimit -f 4; "$chiptrail" sweep "$sweep" --out "$work/full" -j 1 >/dev/null 2>"$work/stderr")
    code=$?
    set -e
    [[ $code -eq 74 ]] || { echo "a full disk gave exit $code" >&2; cat "$work/stderr" >&2; exit 1; }
    [[ ! -e "$work/full/runs.csv" ]]  # no partial output set
    mkdir -p "$work/other"
    printf 'chiptrail-journal v1 0000 shard 0/1\n' >"$work/other/.journal"
    expect_exit 65 "$chiptrail" sweep "$sweep" --out "$work/other" --resume
    "$chiptrail" sweep "$sweep" --out "$work/s0" --shard 0/2 2>/dev/null
    expect_exit 64 "$chiptrail" merge "$work/s0" "$work/s0"
    ;;
  check_analytic)
    "$chiptrail" run "$src/scenarios/minimal.textproto" --check-analytic -n 400 >"$work/ca.txt"
    # The simulated share must lie within 3.29 standard errors (99.9%) of the analytic value.
    awk '$1 == "diverted" {z = $5; ok = (z < 3.29 && z > -3.29)} END {exit !ok}' "$work/ca.txt"
    grep -q "0.1147" "$work/ca.txt"
    grep -q "^lots_diverted " "$work/ca.txt"  # the metric table follows the comparison
    # Nothing analysable: the reasons, the metric table, and exit 65 (as `analyze`).
    expect_exit 65 "$chiptrail" run "$src/scenarios/chip_security_act.textproto" --check-analytic -n 2
    grep -q "not analysable: policy end_use_2024" "$work/stdout"
    grep -q "^lots_diverted " "$work/stdout"
    "$chiptrail" analyze "$src/scenarios/minimal.textproto" >"$work/an.txt"
    grep -q "P(lot detected)" "$work/an.txt"
    expect_exit 65 "$chiptrail" analyze "$src/scenarios/chip_security_act.textproto"
    grep -q "no flow can be analysed" "$work/stderr"
    # The engine's self-check passes against the M/M/1 closed form and fails against a wrong one.
    "$chiptrail" demo >"$work/demo.txt"
    grep -q "^check passed" "$work/demo.txt"
    expect_exit 70 "$chiptrail" demo --expect 6
    grep -q "^check FAILED" "$work/stdout"
    ;;
  uncertainty)
    "$chiptrail" uncertainty "$src/scenarios/blackwell_sea.textproto" --samples 8 --replications 3 --out "$work/u" >"$work/u.txt"
    grep -q "^chips_delivered_restricted,8," "$work/u/uncertainty.csv"
    # The values, not only the rows: quantiles in order, variances and shares in range, and the
    # lots diverted driven by the uncertain arrival rates (lognormal, sigma 1.22) far more than
    # by Poisson noise within a run.
    /usr/bin/python3 - "$work/u/uncertainty.csv" <<'PY'
import csv, math, sys
rows = {r["metric"]: r for r in csv.DictReader(open(sys.argv[1]))}
for m, r in rows.items():
    p05, p50, p95 = (float(r[k]) for k in ("p05", "p50", "p95"))
    if any(math.isnan(x) for x in (p05, p50, p95)):
        continue
    assert p05 <= p50 <= p95, (m, p05, p50, p95)
    assert float(r["parameter_variance"]) >= 0 and float(r["stochastic_variance"]) >= 0, m
    share = float(r["parameter_share"])
    assert math.isnan(share) or 0 <= share <= 1, (m, share)
assert float(rows["lots_diverted"]["parameter_share"]) > 0.5, rows["lots_diverted"]
PY
    expect_exit 65 "$chiptrail" uncertainty "$src/scenarios/minimal.textproto"  # nothing uncertain
    ;;
  sensitivity)
    "$chiptrail" sweep "$src/tests/data/saltelli_small.textproto" --out "$work/sa" 2>/dev/null
    "$chiptrail" sensitivity "$work/sa" >"$work/sa.txt"
    # With common random numbers, a factor the model never reads has indices of exactly 0, and
    # the inspection rate matters for what customs finds.
    grep -q '^chips_interdicted,irrelevant,0,0,0,0,0,0,' "$work/sa/sensitivity.csv"
    awk -F, '$1 == "chips_interdicted" && $2 == "inspection" && $6 > 0.1 {found = 1} END {exit !found}' "$work/sa/sensitivity.csv"
    # Without them, each point's replication noise would lend the unused factor a total index
    # of about the noise's share; corrected for it from runs.csv, its interval holds 0.
    cp "$src/tests/data/saltelli_small.textproto" "$work/no_crn.textproto"
    sed -i 's/common_random_numbers: true/common_random_numbers: false/; s|"../../scenarios/|"'"$src"'/scenarios/|' "$work/no_crn.textproto"
    "$chiptrail" sweep "$work/no_crn.textproto" --out "$work/sa_no_crn" 2>/dev/null
    "$chiptrail" sensitivity "$work/sa_no_crn" >/dev/null
    awk -F, '$1 == "chips_interdicted" && $2 == "irrelevant" && $7 <= 0 && 0 <= $8 && $9 > 0 {found = 1} END {exit !found}' "$work/sa_no_crn/sensitivity.csv"
    "$chiptrail" sweep "$src/tests/data/morris_small.textproto" --out "$work/mo" 2>/dev/null
    "$chiptrail" sensitivity "$work/mo" >/dev/null
    grep -q '^chips_interdicted,irrelevant,0,0,0,0,0,10$' "$work/mo/sensitivity.csv"
    # Effects per whole range (0 to 0.5 of inspection), with mu* inside its interval.
    awk -F, '$1 == "chips_interdicted" && $2 == "inspection" && $5 <= $4 && $4 <= $6 && $4 > 0 {found = 1} END {exit !found}' "$work/mo/sensitivity.csv"
    "$chiptrail" sweep "$src/tests/data/small_sweep.textproto" --out "$work/ff" 2>/dev/null
    expect_exit 65 "$chiptrail" sensitivity "$work/ff"  # a full factorial has no indices
    expect_exit 66 "$chiptrail" sensitivity "$work/nothing"
    ;;
  sweep_mpi)
    # CHIPTRAIL is chiptrail-mpi here (ctest cli.sweep_mpi in a build with CHIPTRAIL_WITH_MPI).
    # 1 rank runs threaded; 2 and 3 ranks (a coordinator and 1 or 2 workers, oversubscribed as
    # root) must give the same bytes.
    mpirun=(mpirun --allow-run-as-root --oversubscribe)
    sweep="$src/tests/data/resume_sweep.textproto"
    "$chiptrail" sweep "$sweep" --out "$work/threads" -j 2 2>/dev/null
    for ranks in 2 3; do
      timeout 300 "${mpirun[@]}" -np $ranks "$chiptrail" sweep "$sweep" --out "$work/mpi$ranks" 2>"$work/mpi.err"
      for f in runs.csv summary.csv paired.csv manifest.json; do cmp "$work/threads/$f" "$work/mpi$ranks/$f"; done
      # The runs were really spread: every worker rank did some (not the coordinator alone).
      counts=$(sed -n 's/^chiptrail sweep: runs done by worker ranks://p' "$work/mpi.err")
      [[ $(wc -w <<<"$counts") -eq $((ranks - 1)) ]] || { echo "no per-rank counts: $counts" >&2; exit 1; }
      for c in $counts; do (( c > 0 )) || { echo "a worker rank did no runs: $counts" >&2; exit 1; }; done
    done
    # Inference: batches over the worker ranks give the threaded posterior, byte for byte.
    infer=("$src/tests/data/infer_synthetic.textproto" --observed "$src/tests/data/infer_synthetic_obs.textproto"
           --particles 100 --rounds 3)
    "$chiptrail" infer "${infer[@]}" -j 2 --out "$work/infer_threads" >/dev/null
    timeout 300 "${mpirun[@]}" -np 3 "$chiptrail" infer "${infer[@]}" --out "$work/infer_mpi" >/dev/null 2>"$work/mpi.err"
    for f in posterior.csv posterior_summary.csv rounds.csv; do cmp "$work/infer_threads/$f" "$work/infer_mpi/$f"; done
    # An error on the coordinator (an unfinished sweep without --resume) must end every rank.
    mkdir -p "$work/busy" && echo "x" >"$work/busy/.journal"
    set +e
    timeout 120 "${mpirun[@]}" -np 3 "$chiptrail" sweep "$sweep" --out "$work/busy" >/dev/null 2>&1
    code=$?
    set -e
    [[ $code -ne 0 && $code -ne 124 ]] || { echo "MPI error path: exit $code (124 = hung)" >&2; exit 1; }
    ;;
  infer)
    # Inference on the synthetic scenario: the same bytes at 1 and 2 threads, a posterior that
    # holds the true rate (40 lots a year), a report, and located errors.
    args=("$src/tests/data/infer_synthetic.textproto" --observed "$src/tests/data/infer_synthetic_obs.textproto"
          --particles 200 --rounds 5)
    "$chiptrail" infer "${args[@]}" -j 1 --out "$work/i1" >"$work/i1.txt"
    "$chiptrail" infer "${args[@]}" -j 2 --out "$work/i2" >/dev/null
    for f in posterior.csv posterior_summary.csv rounds.csv; do cmp "$work/i1/$f" "$work/i2/$f"; done
    awk -F, '$1 == "diversion_rate" && $5 < 40 && $7 > 40 {found = 1} END {exit !found}' "$work/i1/posterior_summary.csv"
    grep -q '^chips_delivered_restricted_per_year,predictive,' "$work/i1/posterior_summary.csv"
    [[ $(wc -l <"$work/i1/posterior.csv") -eq 201 ]]
    grep -q '"observations_path"' "$work/i1/manifest.json"
    "$chiptrail" report "$work/i1" >/dev/null
    grep -q 'id="posterior-table"' "$work/i1/report.html"
    grep -q '<svg' "$work/i1/report.html"
    printf 'period_days: 365\n\nobserved { metric: "lots_caught" count: 3 }\n' >"$work/bad_obs.textproto"
    expect_exit 65 "$chiptrail" infer "$src/tests/data/infer_synthetic.textproto" --observed "$work/bad_obs.textproto" --out "$work/bad"
    grep -q "bad_obs.textproto:3:.*observed\[0\].metric: the scenario has no metric \"lots_caught\"" "$work/stderr"
    expect_exit 66 "$chiptrail" infer "$src/tests/data/infer_synthetic.textproto" --observed "$work/none.textproto"
    # Observations: an empty file is placed at its first line; a metric observed twice is
    # refused; JSON (any case of .json) is read as JSON.
    : >"$work/empty_obs.textproto"
    expect_exit 65 "$chiptrail" infer "$src/tests/data/infer_synthetic.textproto" --observed "$work/empty_obs.textproto"
    grep -q "empty_obs.textproto:1:1: period_days" "$work/stderr"
    printf 'period_days: 365\nobserved { metric: "lots_flagged" count: 3 }\nobserved { metric: "lots_flagged" count: 4 }\n' >"$work/twice.textproto"
    expect_exit 65 "$chiptrail" infer "$src/tests/data/infer_synthetic.textproto" --observed "$work/twice.textproto"
    grep -q "twice.textproto:3:.*observed\[1\].metric: observed twice" "$work/stderr"
    printf '{"periodDays": 365,\n "observed": [{"metric": "lots_flagged", "count": -1}]}\n' >"$work/obs.JSON"
    expect_exit 65 "$chiptrail" infer "$src/tests/data/infer_synthetic.textproto" --observed "$work/obs.JSON"
    grep -q "obs.JSON:2:.*observed\[0\].count: must be a count" "$work/stderr"
    expect_exit 65 "$chiptrail" infer "$src/scenarios/minimal.textproto" --observed "$src/tests/data/infer_synthetic_obs.textproto"
    grep -q "no \`uncertain\` parameters" "$work/stderr"
    if [[ -e "$work/bad" ]]; then exit 1; fi  # a refused inference writes nothing
    # The shipped example loads and runs (small: its full run takes minutes).
    "$chiptrail" infer "$src/scenarios/blackwell_sea.textproto" --particles 20 --rounds 2 \
      --observed "$src/scenarios/observations/seizures_illustrative.textproto" >/dev/null
    # The shipped public record: its reporting probabilities are parameters, its statistics are
    # checked against the posterior predictive, and the report shows the check.
    "$chiptrail" infer "$src/scenarios/policy_baseline_2024.textproto" --particles 10 --rounds 1 \
      --observed "$src/scenarios/observations/public_record.textproto" --out "$work/record" >"$work/record.txt"
    grep -q '^reporting.us_prosecution.probability,parameter,' "$work/record/posterior_summary.csv"
    grep -q '^h100e_delivered_restricted_per_year,predictive,' "$work/record/posterior_summary.csv"
    grep -q '^cases_published.us_prosecution.2025-01-02..2025-12-31,1,3,' "$work/record/posterior_check.csv"
    grep -q '^log_chips_published.us_prosecution,' "$work/record/posterior_check.csv"
    grep -q 'posterior predictive check' "$work/record.txt"
    grep -q '"reporting_lead_days"' "$work/record/manifest.json"
    "$chiptrail" report "$work/record" >/dev/null
    grep -q 'id="check-table"' "$work/record/report.html"
    # A reporting model naming what the scenario lacks is refused at its line.
    sed 's/"tips_2024"/"tips_2099"/' "$src/scenarios/observations/public_record.textproto" >"$work/bad_record.textproto"
    expect_exit 65 "$chiptrail" infer "$src/scenarios/policy_baseline_2024.textproto" --observed "$work/bad_record.textproto" --out "$work/bad2"
    grep -q 'bad_record.textproto:[0-9]*:.*reporting\[0\].policies\[0\]: the scenario has no policy "tips_2099"' "$work/stderr"
    if [[ -e "$work/bad2" ]]; then exit 1; fi
    ;;
  serve)
    # The explorer over real HTTP: page and API answers, limits, refusals, and a clean stop.
    "$chiptrail" serve "$src/scenarios/minimal.textproto" --port 0 --max-running 1 >"$work/url" 2>"$work/serve.err" &
    server=$!
    for _ in $(seq 1 300); do grep -q http "$work/url" && break; sleep 0.1; done
    url=$(grep -o 'http://[^ ]*/' "$work/url")
    status() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }
    post() { status -X POST -H 'Content-Type: application/json' "$@"; }
    [[ $(status "$url") == 200 ]] && grep -q '<title>chiptrail explorer' "$work/body"
    [[ $(status "${url}vendor/vega-lite.min.js") == 200 ]]
    curl -s -D "$work/headers" -o /dev/null "$url"
    grep -qi "^Content-Security-Policy: default-src 'self'" "$work/headers"
    [[ $(status "${url}api/scenario") == 200 ]] && grep -q '"policies": \[' "$work/body"
    [[ $(post "${url}api/runs" -d '{"replications": 2, "bogus": 1}') == 400 ]]
    grep -q '"error": "malformed request body' "$work/body"
    [[ $(post "${url}api/runs" --data-binary @<(head -c 2000000 /dev/zero)) == 413 ]]
    [[ $(status -X DELETE "${url}api/scenario") == 405 ]]
    [[ $(status "${url}no/such/file") == 404 ]]
    [[ $(post "${url}api/runs" -d '{"replications": 40}') == 202 ]]
    for _ in $(seq 1 300); do
      [[ $(status "${url}api/runs/1") == 200 ]] && grep -q '"done"' "$work/body" && break
      sleep 0.1
    done
    [[ $(status "${url}api/runs/1/results.csv") == 200 ]]
    head -1 "$work/body" | grep -q '^metric,variant,n,mean,sd,ci_low,ci_high,ci_level,ci_method$'
    # Same seed, same bytes: the CSV of a second identical run matches.
    [[ $(post "${url}api/runs" -d '{"replications": 40}') == 202 ]]
    for _ in $(seq 1 300); do
      [[ $(status "${url}api/runs/2") == 200 ]] && grep -q '"done"' "$work/body" && break
      sleep 0.1
    done
    cmp <(curl -s "${url}api/runs/1/results.csv") <(curl -s "${url}api/runs/2/results.csv")
    port=${url##*:}
    port=${port%/}
    # Only this machine's browser: another Host (DNS rebinding), another Origin (a cross-site
    # page) or a body that is not JSON (a form) is refused before anything runs.
    [[ $(status -H "Host: evil.example:$port" "${url}api/scenario") == 403 ]]
    [[ $(status -H "Host: evil.example:$port" "$url") == 403 ]]
    [[ $(status -X POST -H "Origin: http://evil.example" -H 'Content-Type: text/plain' \
          "${url}api/runs" -d '{"replications": 2}') == 403 ]]
    [[ $(post -H "Origin: http://evil.example:$port" "${url}api/runs" -d '{"replications": 2}') == 403 ]]
    [[ $(status -X POST -H 'Content-Type: text/plain' "${url}api/runs" -d '{"replications": 2}') == 415 ]]
    [[ $(post -H "Origin: http://127.0.0.1:$port" "${url}api/scenario/edited" -d '{}') == 200 ]]
    # A request whose rates could not fit is refused before it runs (16 million lots).
    [[ $(post "${url}api/runs" -d '{"replications": 2, "edits": {"settings": {"horizon_days": 1000000, "flows[id=legit].arrivals.poisson_per_year": 3000, "flows[id=diverted].arrivals.poisson_per_year": 3000}}}') == 422 ]]
    grep -q "more than --max-lots" "$work/body"
    # Cancelling stops the work at once, even inside one long replication (2,700 years of
    # legitimate sales): the only run slot is free again within a second.
    [[ $(post "${url}api/runs" -d '{"replications": 2, "edits": {"settings": {"horizon_days": 1000000, "flows[id=legit].arrivals.poisson_per_year": 2000}}}') == 202 ]]
    sleep 0.5
    [[ $(status -X DELETE "${url}api/runs/3") == 200 ]]
    started=0
    for _ in $(seq 1 20); do
      if [[ $(post "${url}api/runs" -d '{"replications": 2}') == 202 ]]; then started=1; break; fi
      sleep 0.1
    done
    [[ $started -eq 1 ]]
    # Slow clients: 16 connections that send a header line every 1.5 s neither hold the server
    # nor stay open past the read timeout.
    /usr/bin/python3 - "$port" <<'PY' &
import socket, sys, time
conns = []
for _ in range(16):
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    s.sendall(b"GET /api/scenario HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    conns.append(s)
for _ in range(4):
    time.sleep(1.5)
    for s in conns:
        try:
            s.sendall(b"X-Slow: 1\r\n")
        except OSError:
            pass
PY
    slow=$!
    sleep 0.5
    [[ $(timeout 3 curl -s -o /dev/null -w '%{http_code}' "${url}api/scenario") == 200 ]]
    wait $slow || true
    # A port in use and a missing page are refused with 69, a bad scenario with 65.
    expect_exit 69 timeout 30 "$chiptrail" serve "$src/scenarios/minimal.textproto" --port "$port"
    grep -q "cannot listen" "$work/stderr"
    expect_exit 69 timeout 30 "$chiptrail" serve "$src/scenarios/minimal.textproto" --assets "$work/none"
    grep -q "index.html" "$work/stderr"
    expect_exit 65 timeout 30 "$chiptrail" serve "$src/tests/bad_inputs/binary_garbage.textproto"
    kill -TERM $server
    wait $server  # exits 0 on SIGTERM
    grep -q "stopped" "$work/serve.err"
    # The page's files only: no link out of --assets, no path cut short at %00.
    cp -r "$(dirname "$chiptrail")/explorer" "$work/assets"
    echo "not for the web" >"$work/private.txt"
    ln -s "$work/private.txt" "$work/assets/private.txt"
    ln -s "$work" "$work/assets/up"
    "$chiptrail" serve "$src/scenarios/minimal.textproto" --port 0 --assets "$work/assets" >"$work/url2" 2>/dev/null &
    server=$!
    for _ in $(seq 1 300); do grep -q http "$work/url2" && break; sleep 0.1; done
    url=$(grep -o 'http://[^ ]*/' "$work/url2")
    [[ $(status "${url}index.html") == 200 ]]
    [[ $(status "${url}private.txt") == 404 ]]
    [[ $(status "${url}up/private.txt") == 404 ]]
    [[ $(status "${url}index.html%00.png") == 404 ]]
    [[ $(status --path-as-is "${url}../private.txt") == 404 ]]
    [[ $(status --path-as-is "${url}vendor/../../private.txt") == 404 ]]
    kill -TERM $server
    wait $server
    ;;
  *)
    echo "unknown case $case_name" >&2
    exit 2
    ;;
esac
echo "ok: $case_name"
