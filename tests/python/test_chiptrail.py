"""The Python module against the command line: same numbers, same files, same errors.

Run by ctest (python.module) as
    PYTHONPATH=build/python CHIPTRAIL=build/chiptrail /usr/bin/python3 -m unittest tests/python/test_chiptrail.py
"""

import csv
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import chiptrail

SOURCE = os.environ.get("CHIPTRAIL_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
BINARY = os.environ.get("CHIPTRAIL", os.path.join(SOURCE, "build", "chiptrail"))
MINIMAL = os.path.join(SOURCE, "scenarios", "minimal.textproto")
RATE = "policies[name=customs_hk].inspection_rate"


def cli(*args):
    subprocess.run([BINARY, *args], check=True, stdout=subprocess.DEVNULL)


def same(a, b):
    """Equal numbers, NaN equal to NaN (a metric undefined in both), recursively."""
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


class ModuleTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def test_policies_are_listed(self):
        kinds = chiptrail.policies()
        for kind in ["customs_inspection", "customer_vetting", "end_use_check", "serial_registry",
                     "location_verification", "heartbeat", "whistleblower_tips",
                     "financial_flow_analysis"]:
            self.assertIn(kind, kinds)

    def test_run_gives_the_command_lines_numbers(self):
        cli("run", MINIMAL, "-n", "12", "--seed", "5", "--out", self.dir)
        expected = read_csv(os.path.join(self.dir, "runs.csv"))
        results = chiptrail.load(MINIMAL).run(replications=12, seed=5, threads=2)
        self.assertEqual(len(results), 12)
        for row, got in zip(expected, results.runs):
            for name, value in row.items():
                if name in ("run_id", "point_id"):
                    continue
                self.assertTrue(same(float(value), float(got[name])), name)  # shortest round trip: exact
        summary = {r["metric"]: r for r in read_csv(os.path.join(self.dir, "summary.csv"))}
        for s in results.summary:
            self.assertTrue(same(float(summary[s["metric"]]["mean"]), s["mean"]), s["metric"])
            self.assertEqual(summary[s["metric"]]["ci_method"], s["ci_method"])

    def test_time_series_reading_and_glossary_match_the_command_line(self):
        blackwell = os.path.join(SOURCE, "scenarios", "blackwell_sea.textproto")
        cli("run", blackwell, "-n", "6", "--seed", "3", "--period", "quarter", "--warmup-days",
            "100", "--out", self.dir)
        results = chiptrail.load(blackwell).run(replications=6, seed=3, warmup_days=100,
                                               period="quarter")
        expected = read_csv(os.path.join(self.dir, "timeseries.csv"))
        self.assertEqual(len(expected), len(results.timeseries))
        for row, got in zip(expected, results.timeseries):
            for name, value in row.items():
                self.assertTrue(same(float(value), float(got[name])), name)
        with open(os.path.join(self.dir, "reading.txt"), encoding="utf-8") as f:
            self.assertEqual(" ".join(f.read().split()), " ".join(results.reading.split()))
        frame = results.timeseries_summary_dataframe()
        self.assertEqual(sorted(set(frame["period"])), list(range(8)))
        glossary = {m["metric"]: m for m in chiptrail.metrics()}
        self.assertEqual(glossary["share_h100e_denied"]["denominator"], "h100e_finished")
        for name in results.dataframe().columns[2:]:
            stems = ([name.split(".")[0] + ".<policy>", name.split(".")[0] + ".<flow>"]
                     if "." in name else [name])
            self.assertTrue(any(stem in glossary for stem in stems), name)
        with self.assertRaises(ValueError):
            chiptrail.load(blackwell).run(replications=1, period="fortnight")
        with self.assertRaises(ValueError):
            chiptrail.load(blackwell).run(replications=1, warmup_days=1000)

    def test_threads_do_not_change_results(self):
        s = chiptrail.load(MINIMAL)
        self.assertTrue(same(s.run(replications=8, seed=2, threads=1).runs,
                             s.run(replications=8, seed=2, threads=2).runs))

    def test_dataframes(self):
        results = chiptrail.load(MINIMAL).run(replications=5, seed=1)
        frame = results.dataframe()
        self.assertEqual(len(frame), 5)
        self.assertIn("share_lots_flagged", frame.columns)
        self.assertEqual(list(frame["replication"]), [0, 1, 2, 3, 4])
        summary = results.summary_dataframe()
        self.assertAlmostEqual(summary.loc["lots_diverted", "mean"], frame["lots_diverted"].mean())

    def test_overrides_and_copies(self):
        base = chiptrail.load(MINIMAL)
        off = base.copy()
        off.set(RATE, 0.0)
        self.assertEqual(sum(r["lots_flagged"] for r in off.run(replications=10, seed=3).runs), 0)
        self.assertGreater(sum(r["lots_flagged"] for r in base.run(replications=10, seed=3).runs), 0)
        # Common random numbers: the same lots in both (the rate does not touch arrivals).
        self.assertEqual([r["lots_diverted"] for r in off.run(replications=10, seed=3).runs],
                         [r["lots_diverted"] for r in base.run(replications=10, seed=3).runs])
        with self.assertRaises(ValueError):
            base.set("policies[name=nosuch].inspection_rate", 0.1)
        with self.assertRaises(chiptrail.InputError) as caught:
            base.set(RATE, 2.0)
        self.assertIn("must be a probability", str(caught.exception))
        self.assertIn("minimal.textproto:", str(caught.exception))  # located in the file

    def test_compare_pairs_two_runs_on_the_same_seeds(self):
        base = chiptrail.load(MINIMAL)
        variant = base.copy()
        variant.set(RATE, 0.5)
        frame = chiptrail.compare(base, [variant], replications=12, seed=5)
        self.assertEqual(sorted(set(frame["role"])), ["base", "variant"])
        for role, scenario in [("base", base), ("variant", variant)]:
            summary = scenario.run(replications=12, seed=5).summary_dataframe()
            rows = frame[frame["role"] == role].set_index("metric")
            for metric in ["lots_diverted", "h100e_delivered_restricted", "share_lots_flagged"]:
                self.assertTrue(same(rows.loc[metric, "mean"], summary.loc[metric, "mean"]), metric)
        variant_rows = frame[frame["role"] == "variant"].set_index("metric")
        base_rows = frame[frame["role"] == "base"].set_index("metric")
        metric = "h100e_delivered_restricted"
        self.assertAlmostEqual(variant_rows.loc[metric, "difference_mean"],
                               variant_rows.loc[metric, "mean"] - base_rows.loc[metric, "mean"])
        # The effect by period (one year here, no warm-up) is the yearly rate's difference.
        effects = frame.attrs["period_effects"]
        self.assertEqual(list(effects["period"]), [0])
        self.assertAlmostEqual(
            effects["mean"].iloc[0],
            variant_rows.loc["h100e_delivered_restricted_per_year", "difference_mean"])
        self.assertIn("not tested", frame.attrs["period_readings"][variant.name])
        # The command line's compare.csv holds the same numbers.
        out = os.path.join(self.dir, "compare")
        edited = os.path.join(self.dir, "edited.json")
        with open(edited, "w", encoding="utf-8") as f:
            json.dump(variant.to_dict(), f)
        subprocess.run([BINARY, "compare", MINIMAL, edited, "-n", "12", "--seed", "5",
                        "--out", out], check=True, capture_output=True)
        csv = chiptrail.read_outputs(out)["compare"].set_index(["role", "metric"])
        self.assertTrue(same(csv.loc[("variant", metric), "difference_mean"],
                             variant_rows.loc[metric, "difference_mean"]))
        with self.assertRaises(ValueError):
            chiptrail.compare(base, [])

    def test_a_python_policy_gives_its_cpp_twins_numbers(self):
        sys.path.insert(0, os.path.join(SOURCE, "tools", "examples"))
        from python_customs import PythonCustoms
        base = chiptrail.load(MINIMAL)
        d = base.to_dict()
        policy = d["policies"][0]
        policy["custom"] = {"kind": "python_customs", "parameters": policy.pop("customs_inspection")}
        twin = chiptrail.from_dict(d, policies={"python_customs": PythonCustoms})
        started = time.perf_counter()
        native = base.run(replications=40, seed=3, threads=1)
        native_seconds = time.perf_counter() - started
        started = time.perf_counter()
        python = twin.run(replications=40, seed=3, threads=1)
        python_seconds = time.perf_counter() - started
        self.assertTrue(same(native.runs, python.runs))  # draw for draw, every metric
        self.assertGreater(sum(r["lots_flagged"] for r in python.runs), 0)
        print(f"python policy: {python_seconds / native_seconds:.2f}x the C++ policy's time",
              file=sys.stderr)
        # Errors: a built-in kind, bad parameters (located), a bad return value, a hook that raises.
        with self.assertRaises(ValueError):
            chiptrail.from_dict(d, policies={"customs_inspection": PythonCustoms})
        policy["custom"]["parameters"]["no_such_parameter"] = 1
        with self.assertRaises(chiptrail.InputError) as caught:
            chiptrail.from_dict(d, policies={"python_customs": PythonCustoms})
        self.assertIn("no_such_parameter", str(caught.exception))
        del policy["custom"]["parameters"]["no_such_parameter"]

        class Broken(PythonCustoms):
            def on_border(self, call):
                return "seize"

        class Raising(PythonCustoms):
            def on_border(self, call):
                raise KeyError("a bug in the policy")

        for cls, text in [(Broken, "chiptrail.Decision"), (Raising, "a bug in the policy")]:
            with self.assertRaises(RuntimeError) as caught:
                chiptrail.from_dict(d, policies={"python_customs": cls}).run(replications=2)
            self.assertIn(text, str(caught.exception))
        with self.assertRaises(ValueError):
            chiptrail.Decision("arrest")

    def test_a_stateful_python_policy_keeps_its_state_within_a_replication(self):
        # Seizes every fifth consignment it sees: state that would leak from one replication to
        # the next (and between threads) if one object served them all.
        sys.path.insert(0, os.path.join(SOURCE, "tools", "examples"))
        from python_customs import PythonCustoms

        class EveryFifth(PythonCustoms):
            def __init__(self, **parameters):
                super().__init__(**parameters)
                self.seen = 0

            def on_border(self, call):
                self.seen += 1
                if call.diverted and self.seen % 5 == 0:
                    return chiptrail.Decision("seize", effort=1)
                return None

        d = chiptrail.load(MINIMAL).to_dict()
        policy = d["policies"][0]
        policy["custom"] = {"kind": "every_fifth", "parameters": policy.pop("customs_inspection")}
        s = chiptrail.from_dict(d, policies={"every_fifth": EveryFifth})
        first = s.run(replications=6, seed=3, threads=1).runs
        self.assertGreater(sum(r["chips_interdicted"] for r in first), 0)
        self.assertTrue(same(first, s.run(replications=6, seed=3, threads=1).runs))  # run again
        self.assertTrue(same(first, s.run(replications=6, seed=3, threads=3).runs))
        # And a replication's numbers do not depend on how many others ran, nor where.
        self.assertTrue(same(first[:2], s.run(replications=2, seed=3, threads=2).runs))

    def test_dicts_round_trip(self):
        s = chiptrail.load(MINIMAL)
        d = s.to_dict()
        d["policies"][0]["customs_inspection"]["inspection_rate"] = 0.5
        edited = chiptrail.from_dict(d)
        s.set(RATE, 0.5)
        self.assertTrue(same(edited.run(replications=6, seed=4).runs, s.run(replications=6, seed=4).runs))

    def test_input_errors(self):
        bad = os.path.join(self.dir, "bad.textproto")
        with open(bad, "w", encoding="utf-8") as f:
            f.write("horizon_days: -1\n")
        with self.assertRaises(chiptrail.InputError) as caught:
            chiptrail.load(bad)
        self.assertIn("bad.textproto:1:", str(caught.exception))
        self.assertIsInstance(caught.exception, ValueError)
        with self.assertRaises(FileNotFoundError):
            chiptrail.load(os.path.join(self.dir, "missing.textproto"))

    def test_sweep_writes_the_command_lines_files(self):
        sweep = os.path.join(SOURCE, "tests", "data", "small_sweep.textproto")
        cli("sweep", sweep, "--out", os.path.join(self.dir, "cli"))
        outputs = chiptrail.sweep(sweep, os.path.join(self.dir, "py"), threads=2)
        for name in ("runs.csv", "summary.csv"):
            with open(os.path.join(self.dir, "cli", name), "rb") as a, \
                    open(os.path.join(self.dir, "py", name), "rb") as b:
                self.assertEqual(a.read(), b.read(), name)
        self.assertEqual(len(outputs["runs"]), 24)  # 4 points x 6 replications
        self.assertIn("summary", outputs)
        with self.assertRaises(ValueError):
            chiptrail.sweep(os.path.join(SOURCE, "tests", "data", "bad_sweep.textproto"),
                            os.path.join(self.dir, "bad"))

    def test_the_gil_is_released_while_running(self):
        ticks = []
        stop = threading.Event()

        def tick():
            while not stop.is_set():
                ticks.append(1)
                time.sleep(0.001)

        thread = threading.Thread(target=tick)
        thread.start()
        started = time.monotonic()
        chiptrail.load(os.path.join(SOURCE, "scenarios", "blackwell_sea.textproto")).run(
            replications=300, threads=1)
        elapsed = time.monotonic() - started
        stop.set()
        thread.join()
        # Holding the GIL for the whole run would let the thread tick only a few times.
        self.assertGreater(len(ticks), 0.3 * elapsed / 0.0011)

    def test_ctrl_c_stops_a_run(self):
        program = ("import chiptrail, sys\n"
                   "s = chiptrail.load(sys.argv[1])\n"
                   "print('running', flush=True)\n"
                   "try:\n"
                   "    s.run(replications=10**7, threads=1)\n"
                   "except KeyboardInterrupt:\n"
                   "    print('interrupted', flush=True)\n")
        child = subprocess.Popen([sys.executable, "-c", program, MINIMAL], stdout=subprocess.PIPE,
                                 text=True, env=os.environ)
        self.assertEqual(child.stdout.readline().strip(), "running")
        time.sleep(0.5)
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=30)
        self.assertIn("interrupted", out)
        self.assertEqual(child.returncode, 0)


if __name__ == "__main__":
    unittest.main()
