#!/usr/bin/python3
"""Compare two policy scenarios with common random numbers and plot the paired difference.

    PYTHONPATH=build/python /usr/bin/python3 tools/examples/compare_policies.py \
        [--base scenarios/policy_baseline_2024.textproto] \
        [--variant scenarios/more_officers.textproto] \
        [--metric lots_flagged] [--replications 200] [--out compare.png] \
        [--check-readme README.md]

Both scenarios run with the same seed, so replication r of each meets the same lots, transit
times and draws wherever the scenarios agree (chiptrail's random numbers are addressed, not
sequenced): the difference within a replication is the variant's effect, and its spread is
far smaller than that of two independent runs. The script prints the mean paired difference
with its 95% interval, the variance saved by pairing, and plots both. With --check-readme it
also checks that the README quotes these figures (the test suite runs it so), and fails if not.
"""

import argparse
import math
import os
import re
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import chiptrail  # noqa: E402  (PYTHONPATH=build/python)

HERE = os.path.dirname(os.path.abspath(__file__))
SCENARIOS = os.path.join(HERE, "..", "..", "scenarios")


def t_quantile_975(df):
    """Student's t 0.975 quantile, by the Cornish-Fisher expansion around the normal's 1.96
    (accurate to 1e-3 for df >= 5, plenty for an interval's width)."""
    z = 1.959963984540054
    g1 = (z ** 3 + z) / 4
    g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
    g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
    return z + g1 / df + g2 / df ** 2 + g3 / df ** 3


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=os.path.join(SCENARIOS, "policy_baseline_2024.textproto"))
    parser.add_argument("--variant", default=os.path.join(SCENARIOS, "more_officers.textproto"))
    parser.add_argument("--metric", default="lots_flagged")
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", default="compare_policies.png")
    parser.add_argument("--check-readme", metavar="README",
                        help="fail unless README quotes this comparison's figures")
    args = parser.parse_args(argv)

    base = chiptrail.load(args.base)
    variant = chiptrail.load(args.variant)
    a = base.run(replications=args.replications, seed=args.seed).dataframe()
    b = variant.run(replications=args.replications, seed=args.seed).dataframe()
    if args.metric not in a.columns:
        parser.error(f"no metric {args.metric}; metrics: {', '.join(a.columns[2:])}")

    diff = b[args.metric] - a[args.metric]  # paired: same replication, same random numbers
    n = len(diff)
    half = t_quantile_975(n - 1) * diff.std() / math.sqrt(n)
    unpaired_var = a[args.metric].var() + b[args.metric].var()
    print(f"{variant.name} - {base.name}, {args.metric}, {n} paired replications:")
    print(f"  mean difference {diff.mean():.4g}, 95% CI [{diff.mean() - half:.4g}, "
          f"{diff.mean() + half:.4g}]")
    if diff.var() > 0:
        print(f"  variance of the difference: paired {diff.var():.4g}, independent runs "
              f"{unpaired_var:.4g} ({unpaired_var / diff.var():.1f}x the runs for the same "
              f"precision without common random numbers)")
    else:
        print("  the metric is the same in every replication of both: the variant does not "
              "change it")

    if args.check_readme:
        with open(args.check_readme, encoding="utf-8") as f:
            readme = " ".join(f.read().split())
        quoted = re.search(r"over (\d+) paired replications: ([\d.]+) more lots flagged per "
                           r"replication \(95% CI ([\d.]+)–([\d.]+)\), with a paired variance "
                           r"([\d.]+) times smaller", readme)
        computed = (str(n), f"{diff.mean():.1f}", f"{diff.mean() - half:.1f}",
                    f"{diff.mean() + half:.1f}", f"{unpaired_var / diff.var():.1f}")
        if quoted is None or quoted.groups() != computed:
            print(f"README quotes {quoted.groups() if quoted else 'nothing'}, the example gives "
                  f"{computed} (replications, mean, CI low, CI high, variance ratio)",
                  file=sys.stderr)
            return 1

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    left.scatter(a[args.metric], b[args.metric], s=8, alpha=0.6)
    low = min(a[args.metric].min(), b[args.metric].min())
    high = max(a[args.metric].max(), b[args.metric].max())
    left.plot([low, high], [low, high], color="grey", linewidth=0.8, linestyle="--")
    left.set_xlabel(f"{base.name}: {args.metric}")
    left.set_ylabel(f"{variant.name}: {args.metric}")
    left.set_title("Each point: one replication, both scenarios")
    right.hist(diff, bins=30, color="#3182bd")
    right.axvline(diff.mean(), color="black", linewidth=1)
    right.axvspan(diff.mean() - half, diff.mean() + half, color="black", alpha=0.15,
                  label="mean, 95% CI")
    right.set_xlabel(f"paired difference ({variant.name} - {base.name})")
    right.set_ylabel("replications")
    right.legend(frameon=False)
    fig.tight_layout()
    fig.savefig(args.out, dpi=150)
    print(f"figure: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
