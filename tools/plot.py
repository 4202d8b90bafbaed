#!/usr/bin/python3
"""Publication figures from chiptrail outputs.

    /usr/bin/python3 tools/plot.py DIR [--out FIGDIR] [--formats png,svg,pdf]

DIR is the --out directory of `chiptrail run` (runs.csv, summary.csv, detections.csv,
manifest.json), of `chiptrail sweep` (runs.csv, summary.csv, manifest.json, and
sensitivity.csv after `chiptrail sensitivity`) or of `chiptrail infer` (posterior.csv,
posterior_summary.csv, rounds.csv, manifest.json). Each figure is written once per format into
FIGDIR (default DIR/figures). Needs Debian's python3-matplotlib and python3-pandas.

The same figures make `chiptrail report`'s report.html (tools/report.py imports this module).
"""

import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

# Text as paths in SVG: the figures need no fonts where they are opened.
plt.rcParams.update({
    "svg.fonttype": "path",
    "figure.dpi": 110,
    "savefig.bbox": "tight",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 9,
})

SUMMARY_COLUMNS = ["metric", "n", "mean", "sd", "ci_low", "ci_high", "ci_level", "ci_method"]
# The metrics a sweep's curves show first, when recorded.
HEADLINE_METRICS = ["share_h100e_denied", "h100e_delivered_restricted_per_year",
                    "share_lots_flagged", "chips_delivered_restricted", "enforcement_cost_usd"]
# The rungs of the time series figure: (period metric, label, colour).
TIMESERIES_RUNGS = [("h100e_diverted", "diverted", "#636363"),
                    ("h100e_flagged", "flagged", "#fdae6b"),
                    ("h100e_interdicted", "interdicted", "#2b8cbe"),
                    ("h100e_delivered_restricted", "delivered to restricted users", "#d7301f")]
CHIP_OUTCOMES = [("chips_delivered_restricted", "delivered", "#d7301f"),
                 ("chips_seized", "seized", "#2b8cbe"),
                 ("chips_disabled", "disabled", "#7bccc4"),
                 ("chips_in_pipeline", "in the pipeline", "#bdbdbd")]


class Results:
    """A run's, a sweep's or an inference's outputs, read from its directory."""

    def __init__(self, directory):
        self.dir = directory
        if os.path.exists(os.path.join(directory, "posterior.csv")):
            self._read_inference(directory)
            return
        if os.path.exists(os.path.join(directory, "compare.csv")):
            self._read_compare(directory)
            return
        self.summary = pd.read_csv(os.path.join(directory, "summary.csv"))
        self.runs = pd.read_csv(os.path.join(directory, "runs.csv"))
        with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.detections = read_optional(os.path.join(directory, "detections.csv"))
        path = os.path.join(directory, "timeseries_summary.csv")
        self.timeseries = pd.read_csv(path) if os.path.exists(path) else None
        self.sensitivity = read_optional(os.path.join(directory, "sensitivity.csv"))
        missing = [c for c in SUMMARY_COLUMNS if c not in self.summary.columns]
        if missing:
            raise ValueError(f"{directory}/summary.csv: missing columns {missing}")
        # Factor columns sit between point_id (and a sweep's role) and metric.
        start = 2 if "role" in self.summary.columns else 1
        self.factors = list(self.summary.columns[start:list(self.summary.columns).index("metric")])
        self.kind = "sweep" if "sweep_path" in self.manifest else "run"

    def _read_compare(self, directory):
        """`chiptrail compare --out`: compare.csv, one row per scenario and metric."""
        self.kind = "compare"
        self.compare = pd.read_csv(os.path.join(directory, "compare.csv"))
        missing = [c for c in ["scenario", "role", "metric", "mean", "ci_low", "ci_high",
                               "difference_mean", "difference_ci_low", "difference_ci_high"]
                   if c not in self.compare.columns]
        if missing:
            raise ValueError(f"{directory}/compare.csv: missing columns {missing}")
        with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.timeseries = read_optional(os.path.join(directory, "timeseries_summary.csv"))
        self.summary = self.runs = self.detections = self.sensitivity = None
        self.factors = []

    def scenarios(self):
        """A comparison's scenarios, the base first."""
        return list(dict.fromkeys(self.compare["scenario"]))

    def _read_inference(self, directory):
        self.kind = "inference"
        self.posterior = pd.read_csv(os.path.join(directory, "posterior.csv"))
        self.posterior_summary = pd.read_csv(os.path.join(directory, "posterior_summary.csv"))
        self.rounds = pd.read_csv(os.path.join(directory, "rounds.csv"))
        check = os.path.join(directory, "posterior_check.csv")  # absent before issue 25's files
        self.posterior_check = pd.read_csv(check) if os.path.exists(check) else None
        with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.summary = self.runs = self.detections = self.sensitivity = None
        self.factors = []
        missing = [q for q in self.posterior_summary["quantity"] if q not in self.posterior.columns]
        if missing or "weight" not in self.posterior.columns:
            raise ValueError(f"{directory}/posterior.csv: missing columns {missing or ['weight']}")

    def scenario(self):
        """The resolved scenario of a run (a sweep's manifest holds the sweep instead)."""
        return self.manifest.get("resolved_scenario") or {}

    def metric(self, name, point=0):
        rows = self.summary[(self.summary["metric"] == name) & (self.summary["point_id"] == point)]
        return None if rows.empty else rows.iloc[0]

    def metrics_with_prefix(self, prefix):
        names = self.summary.loc[self.summary["point_id"] == 0, "metric"]
        return [m for m in names if m.startswith(prefix)]

    def headline_metrics(self, most=4):
        present = set(self.summary["metric"])
        chosen = [m for m in HEADLINE_METRICS if m in present]
        others = [m for m in dict.fromkeys(self.summary["metric"]) if m not in chosen]
        return (chosen + others)[:most]


def read_optional(path):
    return pd.read_csv(path, keep_default_na=False) if os.path.exists(path) else None


def error_bars(rows):
    """Asymmetric error bars (below, above the mean) from summary rows."""
    return [(rows["mean"] - rows["ci_low"]).clip(lower=0), (rows["ci_high"] - rows["mean"]).clip(lower=0)]


def chip_outcomes(results):
    """Where the diverted chips ended, mean per replication with 95% intervals."""
    rows = [(label, results.metric(name), colour) for name, label, colour in CHIP_OUTCOMES]
    rows = [r for r in rows if r[1] is not None]
    if not rows:
        return None
    fig, ax = plt.subplots(figsize=(6, 2.6))
    labels = [r[0] for r in rows]
    frame = pd.DataFrame([r[1] for r in rows])
    ax.barh(labels, frame["mean"], xerr=error_bars(frame), color=[r[2] for r in rows],
            capsize=3)
    ax.invert_yaxis()
    ax.set_xlabel("diverted chips per replication (mean, 95% CI)")
    ax.set_title("Where diverted chips ended")
    return fig


def timeseries(results):
    """H100e per period on each rung of the outcome ladder, with 95% intervals."""
    t = results.timeseries
    if t is None or t.empty:
        return None
    fig, ax = plt.subplots(figsize=(6, 3))
    period_lines(ax, [(t[t["metric"] == metric], label, colour)
                      for metric, label, colour in TIMESERIES_RUNGS],
                 "Diverted compute over time")
    return fig


def period_lines(ax, lines, title):
    """One line per (rows, label, colour), rows of timeseries_summary.csv, at the middle of each
    period with its 95% band; H100e per period."""
    for rows, label, colour in lines:
        if rows.empty:
            continue
        rows = rows.sort_values("period")
        middle = (rows["start_day"] + rows["end_day"]) / 2
        ax.plot(middle, rows["mean"], marker="o", color=colour, label=label)
        ax.fill_between(middle, rows["ci_low"], rows["ci_high"], color=colour, alpha=0.2)
    ax.set_xlabel("day (middle of the period)")
    ax.set_ylabel("H100e per period")
    ax.set_title(title)
    ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))


def compare_bars(results):
    """Each headline metric, per scenario, with its 95% interval; the base first."""
    c = results.compare
    metrics = [m for m in HEADLINE_METRICS[:4] if m in set(c["metric"])]
    if not metrics:
        return None
    scenarios = results.scenarios()
    fig, axes = plt.subplots(len(metrics), 1, figsize=(6, 1.2 + 0.5 * len(scenarios) * len(metrics)),
                             squeeze=False)
    for ax, metric in zip(axes[:, 0], metrics):
        rows = c[c["metric"] == metric].set_index("scenario").loc[scenarios].reset_index()
        colours = ["#636363" if role == "base" else "#2b8cbe" for role in rows["role"]]
        ax.barh(rows["scenario"], rows["mean"], xerr=error_bars(rows), color=colours, capsize=3)
        ax.invert_yaxis()
        ax.set_title(metric, fontsize=9)
    axes[-1, 0].set_xlabel("mean over replications, 95% CI (grey: the base)")
    fig.tight_layout()
    return fig


def compare_timeseries(results):
    """H100e delivered to restricted users per period, one line per scenario, with intervals."""
    t = results.timeseries
    if t is None or t.empty:
        return None
    t = t[t["metric"] == "h100e_delivered_restricted"]
    if t.empty:
        return None
    fig, ax = plt.subplots(figsize=(6, 3))
    period_lines(ax, [(t[t["scenario"] == scenario], scenario, plt.cm.tab10(i % 10))
                      for i, scenario in enumerate(results.scenarios())],
                 "Delivered to restricted users, by scenario")
    return fig


def stock(results):
    """The compute in service with restricted users at each period's end, with 95% intervals."""
    t = results.timeseries
    if t is None or t.empty:
        return None
    rows = t[t["metric"] == "h100e_in_service_restricted"].sort_values("period")
    if rows.empty or not (rows["mean"] > 0).any():
        return None
    fig, ax = plt.subplots(figsize=(6, 3))
    # Nothing is in service at day 0: the pipeline starts empty.
    days = [0.0] + list(rows["end_day"])
    ax.plot(days, [0.0] + list(rows["mean"]), marker="o", color="#d7301f")
    ax.fill_between(days, [0.0] + list(rows["ci_low"]), [0.0] + list(rows["ci_high"]),
                    color="#d7301f", alpha=0.2)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("day (end of the period)")
    ax.set_ylabel("H100e in service")
    ax.set_title("Compute in service with restricted users")
    return fig


def pathways(results):
    """What each diversion flow gave restricted users: H100e of chips delivered a year, or
    rented H100e in use on average, with 95% intervals."""
    rows = []
    for prefix, unit, colour in [
            ("h100e_delivered_restricted_per_year_via.", "H100e delivered a year", "#d7301f"),
            ("h100e_years_remote_used_per_year_via.", "rented H100e in use", "#fdae6b")]:
        for name in results.metrics_with_prefix(prefix):
            rows.append((f"{name.split('.', 1)[1]} ({unit})", results.metric(name), colour))
    if len(rows) < 2:
        return None
    fig, ax = plt.subplots(figsize=(6, 0.45 * len(rows) + 1))
    frame = pd.DataFrame([r[1] for r in rows])
    ax.barh([r[0] for r in rows], frame["mean"], xerr=error_bars(frame),
            color=[r[2] for r in rows], capsize=3)
    ax.invert_yaxis()
    ax.set_xlabel("H100e (mean over replications, 95% CI)")
    ax.set_title("Compute reaching restricted users, by pathway")
    return fig


def policies(results):
    """Lots each policy flagged first, and flagged at all (overlap), with 95% intervals."""
    first = results.metrics_with_prefix("lots_first_flagged_by.")
    if not first:
        return None
    names = [m.split(".", 1)[1] for m in first]
    found_first = pd.DataFrame([results.metric(m) for m in first])
    flagged = pd.DataFrame([results.metric("lots_flagged_by." + n) for n in names])
    fig, ax = plt.subplots(figsize=(6, 0.45 * len(names) + 1.2))
    y = range(len(names))
    ax.barh([i - 0.2 for i in y], flagged["mean"], height=0.4, xerr=error_bars(flagged),
            capsize=3, color="#9ecae1", label="flagged (first or not)")
    ax.barh([i + 0.2 for i in y], found_first["mean"], height=0.4, xerr=error_bars(found_first),
            capsize=3, color="#3182bd", label="first to flag")
    ax.set_yticks(list(y), names)
    ax.invert_yaxis()
    ax.set_xlabel("diverted lots per replication (mean, 95% CI)")
    ax.set_title("Flags by policy")
    ax.legend(loc="lower right", frameon=False)
    return fig


def time_to_detection(results):
    """Days from sale to a lot's first detection, over every replication."""
    d = results.detections
    if d is None or d.empty:
        return None
    days = pd.to_numeric(d.loc[d["first"] == 1, "days_since_sale"])
    if days.empty:
        return None
    fig, ax = plt.subplots(figsize=(6, 2.8))
    ax.hist(days, bins=min(40, max(5, len(days) // 10)), color="#756bb1")
    ax.axvline(days.mean(), color="black", linestyle="--", linewidth=1,
               label=f"mean {days.mean():.0f} days")
    ax.set_xlabel("days from sale to first detection")
    ax.set_ylabel("lots")
    ax.set_title(f"Time to detection ({len(days)} lots found)")
    ax.legend(frameon=False)
    return fig


MARKERS = {"VENDOR": "s", "DISTRIBUTOR": "p", "DATA_CENTER": "D", "DEALER": "h",
           "BORDER_CROSSING": "8", "TRANSIT_HUB": "d", "END_FACILITY": "*"}


def country_outlines(path):
    """The outer rings of every country in a world-atlas TopoJSON file (the explorer's
    countries-50m.json), as lists of (longitude, latitude)."""
    with open(path, encoding="utf-8") as f:
        topo = json.load(f)
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:  # delta-encoded, quantized
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indices):
        points = []
        for i in indices:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    rings = []
    for g in topo["objects"]["countries"]["geometries"]:
        polygons = [g["arcs"]] if g["type"] == "Polygon" else \
            g["arcs"] if g["type"] == "MultiPolygon" else []
        rings.extend(ring(polygon[0]) for polygon in polygons)
    return rings


def place_labels(ax, labels):
    """Writes each (text, (x, y)) beside its point at the first of sixteen offsets (near ones
    first) where it overlaps no label placed before, in display space; the least crowded one
    otherwise."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    placed = []
    offsets = [(5, 5), (5, -11), (-5, 5), (-5, -11), (0, 9), (0, -15), (9, -3), (-9, -3),
               (14, 14), (14, -20), (-14, 14), (-14, -20), (22, -3), (-22, -3), (0, 22), (0, -28)]
    for text, xy in labels:
        best, best_overlap = None, None
        for dx, dy in offsets:
            annotation = ax.annotate(text, xy, textcoords="offset points", xytext=(dx, dy),
                                     fontsize=7, ha="left" if dx >= 0 else "right", zorder=4)
            box = annotation.get_window_extent(renderer).expanded(1.05, 1.1)
            overlap = sum(1 for other in placed if box.overlaps(other))
            if best is None or overlap < best_overlap:
                if best is not None:
                    best[0].remove()
                best, best_overlap = (annotation, box), overlap
            else:
                annotation.remove()
            if overlap == 0:
                break
        placed.append(best[1])


def network_map(results):
    """The network at its coordinates, nodes coloured by detections per replication. Nodes far
    from the rest (a vendor on another continent) stay off the map: their edges come in from
    its border, labelled, so the region where lots are caught keeps its scale."""
    scenario = results.scenario()
    nodes = scenario.get("nodes", [])
    if not nodes:
        return None
    position = {n["id"]: (n.get("longitude", 0.0), n.get("latitude", 0.0)) for n in nodes}
    lon_mid = sorted(p[0] for p in position.values())[len(position) // 2]
    lat_mid = sorted(p[1] for p in position.values())[len(position) // 2]
    on_map = {i for i, (x, y) in position.items() if abs(x - lon_mid) <= 40 and abs(y - lat_mid) <= 30}
    replications = max(1, len(results.runs))
    finds = dict.fromkeys(position, 0.0)
    first = dict.fromkeys(position, 0.0)
    d = results.detections
    if d is not None and not d.empty:
        located = d[d["node"] != ""]
        for node, count in located["node"].value_counts().items():
            finds[node] = count / replications
        for node, count in located.loc[located["first"] == 1, "node"].value_counts().items():
            first[node] = count / replications
    # Detections on arrival over an edge (shipments, borders), per replication.
    on_edge = {}
    if d is not None and not d.empty and "edge" in d.columns:
        for edge, count in d.loc[d["edge"].fillna("") != "", "edge"].value_counts().items():
            on_edge[edge] = count / replications
    edge_top = max(on_edge.values(), default=0.0) or 1.0
    fig, ax = plt.subplots(figsize=(7.5, 6))
    xs = [position[i][0] for i in on_map]
    ys = [position[i][1] for i in on_map]
    pad = 1.0
    box = (min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad)
    labels = []  # (text, point), placed together at the end so that none collide
    outlines = getattr(results, "outlines", None)
    if outlines and os.path.exists(outlines):  # the land, from the explorer's world-atlas
        from matplotlib.collections import PolyCollection
        ax.add_collection(PolyCollection(country_outlines(outlines), facecolors="#f2f2f2",
                                         edgecolors="#c8c8c8", linewidths=0.5, zorder=0))
    for e in scenario.get("edges", []):
        a, b = e.get("from"), e.get("to")
        if a not in position or b not in position or (a not in on_map and b not in on_map):
            continue
        (x0, y0), (x1, y1) = position[a], position[b]
        found = on_edge.get(f"{a}->{b}", 0.0)
        # Detections in transit drawn on their edge: the more, the wider and redder.
        style = {"arrowstyle": "->", "color": plt.cm.Reds(0.35 + 0.65 * found / edge_top)
                 if found > 0 else "#969696", "lw": 0.8 + 3.2 * found / edge_top}
        if a not in on_map or b not in on_map:  # clip to the map's border, dashed, labelled
            outside, inside = ((x0, y0), (x1, y1)) if a not in on_map else ((x1, y1), (x0, y0))
            # Where the segment from the inside node first leaves the box.
            crossings = [(edge - inside[axis]) / (outside[axis] - inside[axis])
                         for axis, edge, beyond in [(0, box[0], outside[0] < box[0]),
                                                    (0, box[1], outside[0] > box[1]),
                                                    (1, box[2], outside[1] < box[2]),
                                                    (1, box[3], outside[1] > box[3])] if beyond]
            t = max(0.0, min(crossings + [1.0]))
            edge_point = (inside[0] + t * (outside[0] - inside[0]),
                          inside[1] + t * (outside[1] - inside[1]))
            labels.append((f"{a if a not in on_map else b} (off map)", edge_point))
            (x0, y0), (x1, y1) = (edge_point, inside) if a not in on_map else (inside, edge_point)
            style["linestyle"] = "--"
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0), arrowprops=style)
    top = max(finds.values()) or 1.0
    most_first = max(first.values()) or 1.0
    points = None
    for n in nodes:
        if n["id"] not in on_map:
            continue
        x, y = position[n["id"]]
        points = ax.scatter([x], [y], c=[finds[n["id"]]], s=[50 + 350 * first[n["id"]] / most_first],
                            marker=MARKERS.get(n.get("kind", ""), "o"), cmap="Reds", vmin=0,
                            vmax=top, edgecolors="black", linewidths=0.5, zorder=3)
    fig.colorbar(points, ax=ax, label="detections per replication")
    ax.set_xlim(box[0], box[1])
    ax.set_ylim(box[2], box[3])
    ax.set_aspect("equal", adjustable="datalim")
    place_labels(ax, labels + [(i, position[i]) for i in sorted(on_map, key=lambda i: position[i])])
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.set_title("Where lots were caught (size: lots first caught there)")
    return fig


def sweep_curves(results, metric):
    """A sweep's metric against each factor, with 95% bands: one line per level of the other
    factors on a grid with few combinations, points with error bars otherwise."""
    rows = results.summary[results.summary["metric"] == metric]
    if rows.empty or not results.factors:
        return None
    factors = results.factors
    fig, axes = plt.subplots(1, len(factors), figsize=(3.6 * len(factors), 3), squeeze=False)
    for ax, factor in zip(axes[0], factors):
        others = [f for f in factors if f != factor]
        by = others[0] if len(others) == 1 else others  # a one-element list warns in pandas
        groups = rows.groupby(by) if others else [((), rows)]
        if others and len(groups) > 6:
            ax.errorbar(rows[factor], rows["mean"], yerr=error_bars(rows), fmt="o",
                        markersize=3, capsize=2, alpha=0.7)
        else:
            for key, group in groups:
                group = group.sort_values(factor)
                key = key if isinstance(key, tuple) else (key,)
                label = ", ".join(f"{f}={v:g}" for f, v in zip(others, key)) or None
                line, = ax.plot(group[factor], group["mean"], marker="o", markersize=3,
                                label=label)
                ax.fill_between(group[factor], group["ci_low"], group["ci_high"],
                                color=line.get_color(), alpha=0.2)
            if others:  # below the plot, clear of the lines
                ax.legend(frameon=False, fontsize=7, loc="upper center",
                          bbox_to_anchor=(0.5, -0.28), ncol=2)
        ax.set_xlabel(factor)
        ax.set_ylabel(metric)
    name = results.manifest.get("resolved_sweep", {}).get("name")
    fig.suptitle((f"{name}: " if name else "") + f"{metric}, mean and 95% interval by factor")
    fig.tight_layout()
    return fig


def sobol(results, metric):
    """First-order and total Sobol indices with their bootstrap intervals."""
    s = results.sensitivity
    if s is None or "first_order" not in s.columns:
        return None
    rows = s[s["metric"] == metric]
    if rows.empty:
        return None
    rows = rows.apply(pd.to_numeric, errors="ignore")
    fig, ax = plt.subplots(figsize=(6, 0.5 * len(rows) + 1.2))
    y = list(range(len(rows)))
    for offset, (column, low, high, colour, label) in enumerate([
            ("first_order", "first_low", "first_high", "#fdae6b", "first order S_i"),
            ("total", "total_low", "total_high", "#e6550d", "total S_Ti")]):
        mean = pd.to_numeric(rows[column])
        err = [(mean - pd.to_numeric(rows[low])).clip(lower=0),
               (pd.to_numeric(rows[high]) - mean).clip(lower=0)]
        ax.barh([i - 0.2 + 0.4 * offset for i in y], mean, height=0.4, xerr=err, capsize=3,
                color=colour, label=label)
    ax.set_yticks(y, list(rows["factor"]))
    ax.invert_yaxis()
    ax.set_xlabel("share of the variance of " + metric)
    ax.set_title(f"Sobol indices: {metric} (95% bootstrap intervals)")
    ax.legend(frameon=False)
    return fig


def posterior_histogram(results, quantity, kind):
    """A weighted histogram of one posterior quantity with its 95% credible interval."""
    row = results.posterior_summary[results.posterior_summary["quantity"] == quantity].iloc[0]
    values, weights = results.posterior[quantity], results.posterior["weight"]
    fig, ax = plt.subplots(figsize=(5, 2.6))
    ax.hist(values, bins=30, weights=weights, color="#2b8cbe" if kind == "parameter" else "#d7301f",
            alpha=0.8)
    for x, style in [(row["p2_5"], ":"), (row["p50"], "-"), (row["p97_5"], ":")]:
        ax.axvline(x, color="#222", linestyle=style, linewidth=1)
    ax.set_xlabel(quantity)
    ax.set_ylabel("posterior weight")
    ax.set_title(f"{quantity}: median {row['p50']:.4g}, 95% [{row['p2_5']:.4g}, {row['p97_5']:.4g}]")
    return fig


def figures(results):
    """Every figure the results allow, as (name, figure) pairs, in report order."""
    out = []
    if results.kind == "inference":
        for _, row in results.posterior_summary.iterrows():
            out.append(("posterior_" + row["quantity"],
                        posterior_histogram(results, row["quantity"], row["kind"])))
    elif results.kind == "compare":
        for name, make in [("compare_bars", compare_bars),
                           ("compare_timeseries", compare_timeseries)]:
            fig = make(results)
            if fig is not None:
                out.append((name, fig))
    elif results.kind == "run":
        for name, make in [("network_map", network_map), ("chip_outcomes", chip_outcomes),
                           ("pathways", pathways), ("timeseries", timeseries),
                           ("stock", stock), ("policies", policies),
                           ("time_to_detection", time_to_detection)]:
            fig = make(results)
            if fig is not None:
                out.append((name, fig))
    else:
        for metric in results.headline_metrics():
            fig = sweep_curves(results, metric)
            if fig is not None:
                out.append(("sweep_" + metric, fig))
            fig = sobol(results, metric)
            if fig is not None:
                out.append(("sobol_" + metric, fig))
    return out


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir", help="a `chiptrail run --out` or `chiptrail sweep --out` directory")
    parser.add_argument("--out", help="directory for the figures (default DIR/figures)")
    parser.add_argument("--formats", default="png,svg,pdf", help="comma-separated: png, svg, pdf")
    args = parser.parse_args(argv)
    formats = [f for f in args.formats.split(",") if f]
    bad = [f for f in formats if f not in ("png", "svg", "pdf")]
    if bad:
        parser.error(f"unknown format(s) {bad}: use png, svg or pdf")
    try:
        results = Results(args.dir)
    except (OSError, ValueError, KeyError, json.JSONDecodeError, pd.errors.ParserError) as e:
        print(f"plot.py: {args.dir}: cannot read chiptrail outputs: {e}", file=sys.stderr)
        return 66
    out = args.out or os.path.join(args.dir, "figures")
    os.makedirs(out, exist_ok=True)
    made = figures(results)
    for name, fig in made:
        for fmt in formats:
            path = os.path.join(out, f"{name}.{fmt}")
            partial = path + ".partial"
            fig.savefig(partial, format=fmt, dpi=200 if fmt == "png" else None)
            os.replace(partial, path)  # a complete file or none
        plt.close(fig)
    print(f"{len(made)} figures x {len(formats)} formats in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
