#include "models/experiment/sweep_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "chiptrail/v1/results.pb.h"
#include "chiptrail/v1/scenario.pb.h"
#include "chiptrail/v1/sweep.pb.h"
#include "models/output/atomic_file.hpp"
#include "models/output/glossary_text.hpp"
#include "models/output/manifest.hpp"
#include "models/output/message_json.hpp"
#include "models/output/output_set.hpp"
#include "models/output/summary_message.hpp"
#include "models/output/text_format.hpp"
#include "models/summary.hpp"
#include "models/version.hpp"
#include "sim/analysis/intervals.hpp"

namespace chiptrail::models {
namespace {

constexpr double kLevel = 0.95;

bool has_roles(const models::SweepSpec& spec) {
  return spec.design != "full_factorial";
}

// Indices into r.names of the metrics the sweep records.
std::vector<std::size_t> recorded(const models::SweepSpec& spec, const SweepResults& r) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < r.names.size(); ++i) {
    if (spec.metrics.empty() ||
        std::find(spec.metrics.begin(), spec.metrics.end(), r.names[i]) != spec.metrics.end()) {
      out.push_back(i);
    }
  }
  return out;
}

std::string point_columns_header(const models::SweepSpec& spec) {
  std::string h = has_roles(spec) ? ",role" : "";
  for (const models::SweepFactor& f : spec.factors) h += "," + csv_field(f.name);
  return h;
}

std::string point_columns(const models::SweepSpec& spec, std::size_t point) {
  std::string s = has_roles(spec) ? "," + csv_field(spec.points[point].role) : "";
  for (const double v : spec.points[point].values) s += "," + format_number(v);
  return s;
}

}  // namespace

std::string sweep_fingerprint(const models::SweepSpec& spec) {
  return fnv1a64_hex(spec.text) + "-" + fnv1a64_hex(spec.base.text) + "-" + kVersion;
}

std::string sweep_runs_csv(const models::SweepSpec& spec, const SweepResults& r) {
  const auto keep = recorded(spec, r);
  std::string out = "run_id,point_id,replication,seed" + point_columns_header(spec);
  for (const std::size_t i : keep) out += "," + csv_field(r.names[i]);
  out += "\n";
  for (const auto& [id, values] : r.runs) {
    const std::size_t point = spec.point_of(id);
    out += std::to_string(id) + "," + std::to_string(point) + "," +
           std::to_string(spec.replication_of(id)) + "," + std::to_string(spec.seed) +
           point_columns(spec, point);
    for (const std::size_t i : keep) out += "," + format_number(values[i]);
    out += "\n";
  }
  return out;
}

PointSummaries point_summaries(const SweepSpec& spec, const SweepResults& r) {
  std::vector<std::vector<MetricSummary>> out;
  for (std::size_t p = 0; p < spec.points.size(); ++p) {
    std::vector<RunMetrics> runs;
    for (std::uint64_t rep = 0; rep < spec.replications; ++rep) {
      runs.push_back({r.names, r.runs.at(p * spec.replications + rep), {}});
    }
    out.push_back(summarize(runs, kLevel, spec.lots_independent));
  }
  return out;
}

std::string sweep_summary_csv(const models::SweepSpec& spec, const SweepResults& r,
                              const PointSummaries& summaries) {
  const auto keep = recorded(spec, r);
  std::string out = "point_id" + point_columns_header(spec) +
                    ",metric,n,mean,sd,ci_low,ci_high,ci_level,ci_method\n";
  for (std::size_t p = 0; p < spec.points.size(); ++p) {
    const std::vector<MetricSummary>& summary = summaries[p];
    for (const std::size_t i : keep) {
      const models::MetricSummary& s = summary[i];
      out += std::to_string(p) + point_columns(spec, p) + "," + csv_field(s.metric) + "," +
             std::to_string(s.n) + "," + format_number(s.mean) + "," + format_number(s.sd) + "," +
             format_number(s.ci_low) + "," + format_number(s.ci_high) + "," +
             format_number(kLevel) + "," + s.ci_method + "\n";
    }
  }
  return out;
}

std::string sweep_paired_csv(const models::SweepSpec& spec, const SweepResults& r) {
  // The library's paired differences, as `compare` reports them: a rate's difference is that
  // of the pooled ratios (with its delta-method interval), not a mean of per-replication ratios.
  const auto keep = recorded(spec, r);
  const auto runs_of = [&](std::size_t point) {
    std::vector<RunMetrics> runs;
    for (std::uint64_t rep = 0; rep < spec.replications; ++rep) {
      runs.push_back({r.names, r.runs.at(point * spec.replications + rep), {}});
    }
    return runs;
  };
  const std::vector<RunMetrics> base = runs_of(0);
  std::string out = "point_id" + point_columns_header(spec) +
                    ",metric,n,mean_difference,sd_difference,ci_low,ci_high,ci_level\n";
  for (std::size_t p = 1; p < spec.points.size(); ++p) {
    const std::vector<MetricSummary> differences = paired_differences(base, runs_of(p), kLevel);
    for (const std::size_t i : keep) {
      const MetricSummary& d = differences[i];  // in r.names' order
      out += std::to_string(p) + point_columns(spec, p) + "," + csv_field(r.names[i]) + "," +
             std::to_string(d.n) + "," + format_number(d.mean) + "," + format_number(d.sd) + "," +
             format_number(d.ci_low) + "," + format_number(d.ci_high) + "," +
             format_number(kLevel) + "\n";
    }
  }
  return out;
}

v1::Manifest sweep_manifest(const SweepSpec& spec, const std::string& shard) {
  v1::Manifest m = tool_manifest();
  m.set_sweep_path(spec.path);
  m.set_sweep_fnv1a64(fnv1a64_hex(spec.text));
  m.set_scenario_path(spec.base.path);
  m.set_scenario_fnv1a64(fnv1a64_hex(spec.base.text));
  m.set_fingerprint(sweep_fingerprint(spec));
  m.set_design(spec.design);
  m.set_points(spec.points.size());
  m.set_replications(spec.replications);
  m.set_runs(spec.runs());
  m.set_seed(spec.seed);
  m.set_common_random_numbers(spec.common_random_numbers);
  if (!shard.empty()) m.set_shard(shard);
  for (const char* arg : {"chiptrail", "sweep"}) m.add_command_line(arg);
  m.add_command_line(spec.path);
  for (const char* arg : {"--out", "DIR"}) m.add_command_line(arg);
  if (spec.message) *m.mutable_resolved_sweep() = *spec.message;
  return m;
}

std::string sweep_summary_json(const SweepSpec& spec, const SweepResults& r,
                               const PointSummaries& summaries) {
  v1::SweepSummary message;
  message.set_design(spec.design);
  for (const auto& f : spec.factors) message.add_factors(f.name);
  message.set_replications(spec.replications);
  const auto keep = recorded(spec, r);
  for (std::size_t p = 0; p < spec.points.size(); ++p) {
    v1::SweepPoint& point = *message.add_points();
    point.set_point_id(p);
    point.set_role(spec.points[p].role);
    for (const double v : spec.points[p].values) point.add_values(v);
    for (const double u : spec.points[p].unit) point.add_unit(u);
    for (const std::size_t i : keep) to_message(summaries[p][i], kLevel, *point.add_metrics());
  }
  return message_json(message);
}

void write_sweep_outputs(const std::string& dir, const models::SweepSpec& spec,
                         const SweepResults& r) {
  const PointSummaries summaries = point_summaries(spec, r);  // once, for both summaries
  std::vector<OutputFile> files = {{"runs.csv", sweep_runs_csv(spec, r)},
                                   {"summary.csv", sweep_summary_csv(spec, r, summaries)},
                                   {"summary.json", sweep_summary_json(spec, r, summaries)},
                                   {"glossary.csv", glossary_text("csv")}};
  if (spec.common_random_numbers) files.push_back({"paired.csv", sweep_paired_csv(spec, r)});
  write_output_set(dir, files, sweep_manifest(spec, ""));
}

}  // namespace chiptrail::models
