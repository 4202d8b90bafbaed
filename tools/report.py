#!/usr/bin/python3
"""A self-contained HTML report of chiptrail outputs (what `chiptrail report DIR` runs).

    /usr/bin/python3 tools/report.py DIR [--out FILE]

Writes FILE (default DIR/report.html): one HTML file with its figures inlined as SVG (drawn by
matplotlib, tools/plot.py) and no external resources, so it opens offline and can be mailed.
"""

import argparse
import html
import io
import json
import math
import os
import sys

import plot

# The metrics of a run's headline table, in this order, when present: the headline rows of
# `chiptrail run`, then the outcome ladder (`chiptrail metrics` says what each counts).
HEADLINE = ["h100e_delivered_restricted_per_year", "share_h100e_denied", "share_lots_flagged",
            "cost_usd_per_h100e_denied", "h100e_in_service_restricted",
            "h100e_years_remote_used_per_year", "share_h100e_hours_remote_denied",
            "false_positive_rate_leases", "h100e_diverted_per_year", "h100e_interdicted_per_year",
            "lots_diverted", "lots_flagged", "lots_interdicted", "lots_delivered_restricted",
            "lots_in_pipeline", "chips_diverted", "chips_flagged", "chips_interdicted",
            "chips_delivered_restricted", "chips_in_pipeline", "lots_substituted",
            "h100e_substitution_shortfall", "mean_days_to_first_flag", "false_positive_rate_lots",
            "enforcement_cost_usd_per_year"]

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif;
       margin: 0 auto; max-width: 1100px; padding: 1.5em; color: #222; line-height: 1.4; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.meta { color: #555; font-size: 0.9em; }
tr.misfit td { font-weight: 600; color: #a40000; }
table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0; }
th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #eee; text-align: right; }
th { cursor: pointer; background: #f6f6f6; user-select: none; }
td:first-child, th:first-child { text-align: left; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.85em; }
code { background: #f3f3f3; padding: 0 0.2em; }
"""

# Sortable tables (click a header); marks the page ready for tests.
SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (th, column) {
    th.addEventListener("click", function () {
      var body = table.tBodies[0];
      var rows = Array.from(body.rows);
      var ascending = th.dataset.order !== "asc";
      th.dataset.order = ascending ? "asc" : "desc";
      rows.sort(function (a, b) {
        var x = a.cells[column].dataset.value || a.cells[column].textContent;
        var y = b.cells[column].dataset.value || b.cells[column].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
document.body.dataset.ready = "1";
"""


def number(x):
    try:
        x = float(x)
    except (TypeError, ValueError):
        return html.escape(str(x))
    if math.isnan(x):
        return "–"
    if x != 0 and (abs(x) >= 1e6 or abs(x) < 1e-3):
        return f"{x:.3g}"
    return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"


def svg(fig):
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plot.plt.close(fig)
    text = buffer.getvalue()
    return text[text.find("<svg"):]  # drop the XML prolog and doctype


def figure(element_id, fig, caption):
    return (f'<figure id="{element_id}">{svg(fig)}'
            f"<figcaption>{html.escape(caption)}</figcaption></figure>")


def summary_table(rows, element_id):
    out = [f'<table class="sortable" id="{element_id}"><thead><tr><th>metric</th><th>mean</th>'
           "<th>95% CI</th><th>n</th><th>method</th></tr></thead><tbody>"]
    for _, r in rows.iterrows():
        out.append(f'<tr><td>{html.escape(r["metric"])}</td>'
                   f'<td data-value="{r["mean"]}">{number(r["mean"])}</td>'
                   f'<td data-value="{r["ci_low"]}">[{number(r["ci_low"])}, {number(r["ci_high"])}]</td>'
                   f'<td>{int(r["n"])}</td><td>{html.escape(str(r["ci_method"]))}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


def read_text(path):
    if not os.path.exists(path):
        return ""
    with open(path, encoding="utf-8") as f:
        return f.read()


def read_glossary(directory, shown):
    """The glossary rows (glossary.csv) of the metrics shown, as a collapsed table."""
    path = os.path.join(directory, "glossary.csv")
    if not os.path.exists(path):
        return ""
    glossary = plot.pd.read_csv(path, keep_default_na=False)
    rows = []
    for _, g in glossary.iterrows():
        stem = g["metric"].replace(".<policy>", ".").replace(".<flow>", ".")
        if not any(m == g["metric"] or (stem.endswith(".") and m.startswith(stem)) for m in shown):
            continue
        rows.append("<tr>" + "".join(f"<td>{html.escape(str(g[c]))}</td>"
                                     for c in ["metric", "rung", "unit", "ratio", "description"])
                    + "</tr>")
    return ('<details id="glossary"><summary>glossary</summary><table><thead><tr>'
            "<th>metric</th><th>rung</th><th>unit</th><th>ratio</th><th>what it counts</th>"
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></details>")


def header(results):
    m = results.manifest
    scenario = results.scenario().get("metadata", {})
    sweep_name = m.get("resolved_sweep", {}).get("name")
    name = (sweep_name if results.kind == "sweep" and sweep_name else scenario.get("name")) or \
        os.path.basename(m.get("sweep_path") or m.get("scenario_path", ""))
    lines = [f"<h1>chiptrail report: {html.escape(name)}</h1>"]
    if scenario.get("description"):
        lines.append(f"<p>{html.escape(scenario['description'])}</p>")
    facts = [("kind", results.kind), ("scenario", m.get("scenario_path", "")),
             ("variants", ", ".join(v.get("path", "") for v in m.get("variants", []))),
             ("sweep", m.get("sweep_path", "")), ("design", m.get("design", "")),
             ("points", m.get("points", "")),
             ("simulations" if results.kind == "inference" else "replications",
              m.get("replications", "")),
             ("seed", m.get("seed", "")), ("chiptrail", m.get("version", "")),
             ("git", m.get("git_revision", ""))]
    lines.append('<p class="meta" id="summary">' + " · ".join(
        f"{k}: <code>{html.escape(str(v))}</code>" for k, v in facts if v != "") + "</p>")
    horizon = results.scenario().get("horizon_days")
    if horizon and results.kind != "inference":
        lines.append(f'<p class="meta">horizon {number(horizon)} days; every interval is a 95% '
                     "confidence interval over replications (method per row).</p>")
    return "\n".join(lines)


def run_sections(results):
    point = results.summary[results.summary["point_id"] == 0]
    headline = point[point["metric"].isin(HEADLINE)].copy()
    headline["order"] = headline["metric"].map(HEADLINE.index)
    parts = ["<h2>Outcomes</h2>"]
    reading = read_text(os.path.join(results.dir, "reading.txt"))
    if reading:
        parts.append(f'<p id="reading">{html.escape(" ".join(reading.split()))}</p>')
    parts += [summary_table(headline.sort_values("order"), "detection-table"),
              "<details><summary>every metric</summary>",
              summary_table(point, "all-metrics"), "</details>"]
    glossary = read_glossary(results.dir, set(point["metric"]))
    if glossary:
        parts.append(glossary)
    captions = {
        "network_map": ("network-map", "The network at its coordinates; colour: detections per "
                        "replication at each node; size: lots first caught there."),
        "chip_outcomes": ("chip-outcomes", "Diverted chips by fate, per replication."),
        "timeseries": ("timeseries", "Diverted compute by rung and period, counted by when it "
                       "happened: mean over replications with its 95% interval."),
        "pathways": ("pathways", "What each diversion flow gave restricted users: H100e of "
                     "chips delivered a year (after the warm-up), or rented H100e in use on "
                     "average; mean over replications with its 95% interval."),
        "stock": ("stock", "Expected H100e delivered to restricted users and still working at "
                  "each period's end (the chips' lifetimes), net of remote disables."),
        "policies": ("by-policy", "Lots each policy flagged: at all, and first; the gap is the "
                     "overlap between measures. A flag need not stop anything."),
        "time_to_detection": ("time-to-detection", "Days from sale to each lot's first "
                              "detection, pooled over replications."),
    }
    titles = {"network_map": "Where lots were caught", "chip_outcomes": "Chips",
              "timeseries": "Over time", "policies": "Flags by policy",
              "pathways": "By pathway", "stock": "The stock in service",
              "time_to_detection": "Time to detection"}
    for name, fig in plot.figures(results):
        element_id, caption = captions[name]
        parts.append(f"<h2>{titles[name]}</h2>")
        parts.append(figure(element_id, fig, caption))
    if results.detections is None:
        parts.append("<p>No detections.csv in this directory: the map and the time to detection "
                     "need the outputs of <code>chiptrail run --out</code>.</p>")
    return "\n".join(parts)


def sweep_sections(results):
    parts = ['<h2 id="sweep-curves">Metrics by factor</h2>']
    made = plot.figures(results)
    for name, fig in made:
        if name.startswith("sweep_"):
            parts.append(figure("curve-" + name[len("sweep_"):], fig,
                                "Mean per design point with its 95% interval."))
    sobol = [(n, f) for n, f in made if n.startswith("sobol_")]
    if sobol:
        parts.append('<h2 id="sobol">Sobol indices</h2>')
        for name, fig in sobol:
            parts.append(figure("sobol-" + name[len("sobol_"):], fig,
                                "From chiptrail sensitivity: first-order and total indices."))
    metrics = results.headline_metrics()
    table = results.summary[results.summary["metric"].isin(metrics)]
    if len(table) <= 2000:
        columns = ["point_id"] + results.factors + ["metric", "mean", "ci_low", "ci_high", "n"]
        parts.append("<h2>Design points</h2><details><summary>table</summary>"
                     '<table class="sortable" id="points-table"><thead><tr>' +
                     "".join(f"<th>{html.escape(c)}</th>" for c in columns) +
                     "</tr></thead><tbody>")
        for _, r in table.iterrows():
            parts.append("<tr>" + "".join(
                f'<td data-value="{r[c]}">{number(r[c]) if c != "metric" else html.escape(r[c])}</td>'
                for c in columns) + "</tr>")
        parts.append("</tbody></table></details>")
    return "\n".join(parts)


def inference_sections(results):
    m = results.manifest
    parts = ["<h2>Observed</h2>", f'<p class="meta">over {number(m.get("period_days", ""))} days, '
             f'from <code>{html.escape(str(m.get("observations_path", "")))}</code></p>',
             '<table id="observed-table"><thead><tr><th>statistic</th><th>observed</th>'
             "<th>weight</th></tr></thead><tbody>"]
    for o in m.get("observed", []):  # JSON leaves out zeros
        parts.append(f'<tr><td>{html.escape(o["metric"])}</td><td>{number(o.get("count", 0))}</td>'
                     f'<td>{number(o.get("weight", 1))}</td></tr>')
    parts.append("</tbody></table>")
    parts.append('<h2>Posterior</h2><table class="sortable" id="posterior-table"><thead><tr>'
                 "<th>quantity</th><th>kind</th><th>mean</th><th>sd</th><th>2.5%</th>"
                 "<th>median</th><th>97.5%</th></tr></thead><tbody>")
    for _, r in results.posterior_summary.iterrows():
        parts.append(f'<tr><td>{html.escape(r["quantity"])}</td><td>{html.escape(r["kind"])}</td>' +
                     "".join(f'<td data-value="{r[c]}">{number(r[c])}</td>'
                             for c in ["mean", "sd", "p2_5", "p50", "p97_5"]) + "</tr>")
    parts.append("</tbody></table><p class=\"meta\">Credible intervals of the ABC posterior "
                 "(weighted particles of the last round); predictive quantities are one fresh "
                 "replication per particle, per year.</p>")
    if results.posterior_check is not None:
        parts.append(predictive_check_section(results.posterior_check))
    for name, fig in plot.figures(results):
        parts.append(figure(name.replace("_", "-"), fig,
                            "Posterior weight; lines: median and 95% credible interval."))
    parts.append('<h2>Rounds</h2><table id="rounds-table"><thead><tr>' +
                 "".join(f"<th>{c}</th>" for c in results.rounds.columns) + "</tr></thead><tbody>")
    for _, r in results.rounds.iterrows():
        parts.append("<tr>" + "".join(f"<td>{number(r[c])}</td>" for c in results.rounds.columns) +
                     "</tr>")
    parts.append("</tbody></table>")
    return "\n".join(parts)


def predictive_check_section(check):
    """Would the fitted model reproduce each observation? A small p-value says it would not."""
    parts = ['<h2>Posterior predictive check</h2><table id="check-table"><thead><tr>'
             "<th>statistic</th><th>observed</th><th>predictive mean</th><th>95% interval</th>"
             "<th>p-value</th></tr></thead><tbody>"]
    for _, r in check.iterrows():
        flag = ' class="misfit"' if r["p_value"] < 0.05 else ""
        parts.append(f'<tr{flag}><td>{html.escape(r["statistic"])}</td>'
                     f'<td>{number(r["observed"])}</td><td>{number(r["predictive_mean"])}</td>'
                     f'<td>{number(r["predictive_p2_5"])} – {number(r["predictive_p97_5"])}</td>'
                     f'<td>{number(r["p_value"])}</td></tr>')
    parts.append("</tbody></table><p class=\"meta\">One fresh simulation per particle, its "
                 "detections published afresh; p-value: twice the smaller tail of the weighted "
                 "predictive distribution at the observed value. Rows in bold (p &lt; 0.05): "
                 "the fitted model does not reproduce that observation.</p>")
    return "\n".join(parts)


def compare_sections(results):
    c = results.compare
    scenarios = results.scenarios()
    parts = ["<h2>Against the base</h2>",
             f'<p class="meta">base: <code>{html.escape(scenarios[0])}</code>; every variant ran '
             "on the same random numbers, so each difference is paired (variant − base), with its "
             "95% interval.</p>",
             '<table class="sortable" id="compare-table"><thead><tr><th>metric</th><th>scenario</th>'
             "<th>mean</th><th>95% CI</th><th>difference</th><th>95% CI</th></tr></thead><tbody>"]
    shown = [m for m in HEADLINE if m in set(c["metric"])]
    for metric in shown:
        for _, r in c[c["metric"] == metric].iterrows():
            diff = "" if r["role"] == "base" else number(r["difference_mean"])
            diff_ci = ("" if r["role"] == "base" else
                       f"[{number(r['difference_ci_low'])}, {number(r['difference_ci_high'])}]")
            parts.append(f"<tr><td>{html.escape(metric)}</td><td>{html.escape(str(r['scenario']))}"
                         f"</td><td data-value=\"{r['mean']}\">{number(r['mean'])}</td>"
                         f"<td>[{number(r['ci_low'])}, {number(r['ci_high'])}]</td>"
                         f"<td>{diff}</td><td>{diff_ci}</td></tr>")
    parts.append("</tbody></table>")
    captions = {"compare_bars": ("compare-bars", "Each headline metric per scenario: mean over "
                                 "replications with its 95% interval; grey: the base."),
                "compare_timeseries": ("compare-timeseries", "H100e delivered to restricted users "
                                       "per period, per scenario, with 95% intervals.")}
    for name, fig in plot.figures(results):
        element_id, caption = captions[name]
        parts.append(figure(element_id, fig, caption))
    glossary = read_glossary(results.dir, set(shown))
    if glossary:
        parts.append(glossary)
    return "\n".join(parts)


def report(results):
    sections = {"run": run_sections, "sweep": sweep_sections, "inference": inference_sections,
                "compare": compare_sections}
    body = header(results) + "\n" + sections[results.kind](results)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>chiptrail report</title><style>{STYLE}</style></head>"
            f"<body>\n{body}\n<script>{SCRIPT}</script></body></html>\n")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dir")
    parser.add_argument("--out", help="the HTML file (default DIR/report.html)")
    parser.add_argument("--outlines", help="world-atlas TopoJSON of country outlines for the map")
    args = parser.parse_args(argv)
    try:
        results = plot.Results(args.dir)
        results.outlines = args.outlines
    except (OSError, ValueError, KeyError, json.JSONDecodeError, plot.pd.errors.ParserError) as e:
        print(f"chiptrail report: {args.dir}: cannot read chiptrail outputs: {e}", file=sys.stderr)
        return 66
    out = args.out or os.path.join(args.dir, "report.html")
    partial = out + ".partial"
    with open(partial, "w", encoding="utf-8") as f:
        f.write(report(results))
    os.replace(partial, out)  # the old report or the new one, never a torn file
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
