#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/detection_log.hpp"
#include "models/run_metrics.hpp"
#include "models/summary.hpp"
#include "models/world.hpp"

namespace chiptrail::cli {

// What a run produced, ready to be written in any of the output forms.
struct RunReport {
  std::string scenario_name;
  std::uint64_t seed = 0;
  std::vector<models::RunMetrics> runs;                          // by replication
  std::vector<std::vector<models::DetectionRecord>> detections;  // by replication
  std::vector<models::MetricSummary> summary;
  std::vector<std::vector<models::MetricSummary>> periods;  // the time series, summarised
  double ci_level = 0.95;
  double horizon_days = 0, warmup_days = 0, period_days = 365;
  // What the scenario says its yearly rates estimate, for the warm-up it set.
  models::World::Estimand estimand = models::World::Estimand::kUnspecified;
  double scenario_warmup_days = 0;
};

// runs.csv: run_id, point_id, replication, seed, then one column per metric.
std::string runs_csv(const RunReport& r);
// summary.csv: point_id, metric, n, mean, sd, ci_low, ci_high, ci_level, ci_method.
std::string summary_csv(const RunReport& r);
// timeseries.csv: replication, period, start_day, end_day, then the period metrics
// (period_metric_names), each counted by when it happened.
std::string timeseries_csv(const RunReport& r);
// timeseries_summary.csv: period, start_day, end_day, metric, n, mean, sd, ci_low, ci_high,
// ci_level, ci_method.
std::string timeseries_summary_csv(const RunReport& r);
// detections.csv: every detection of every replication, with its attribution: replication,
// time_days, days_since_sale, lot, part, policy, stage, verdict, node, edge, chips, first.
std::string detections_csv(const models::World& world, const RunReport& r);
// where.json: the detections counted by node and by edge (a chiptrail.v1.WhereFound), for
// programs such as `graph --results`.
std::string where_found_json(const models::World& world, const RunReport& r);
// The summary as a chiptrail.v1.Summary in protobuf's JSON mapping (message_json).
std::string summary_json(const RunReport& r);
// reading.txt: the plain-language reading of the summary (models/output/plain_reading.hpp),
// wrapped at 96 columns, with a final newline.
std::string reading_text(const RunReport& r);
// A number for a table: 4 decimals below 1,000, 1 above, %.4g when very large or small.
std::string fixed(double x);
// The summary as an aligned table for people: the headline rows, a plain-language reading,
// then every metric.
std::string summary_table(const RunReport& r);

}  // namespace chiptrail::cli
