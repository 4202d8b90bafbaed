#pragma once

#include <vector>

#include "models/detection_log.hpp"
#include "models/experiment/execution.hpp"
#include "models/period_effects.hpp"
#include "models/run_config.hpp"
#include "models/run_metrics.hpp"
#include "models/summary.hpp"
#include "models/world.hpp"

namespace chiptrail::models {

// Whether the lots of one replication are independent trials, which licenses Wilson intervals
// on lot shares (models/summary.hpp): false when smugglers adapt (learning from earlier lots)
// a policy audits sites (one visit examines every lot there), or a flow's front company can be
// closed (one lot's case stops the later ones); the replication is then the
// unit of every interval. Decided here, once, for every front end.
bool lots_independent(const World& world);

struct ReplicationRequest {
  double level = 0.95;           // confidence level of the summary's intervals
  bool keep_detections = false;  // keep every detection of every replication (detections.csv)
};

// What config.replications replications of a world produced.
struct ReplicationSet {
  std::vector<RunMetrics> runs;                          // by replication
  std::vector<std::vector<DetectionRecord>> detections;  // by replication; empty unless kept
  std::vector<MetricSummary> summary;
  std::vector<std::vector<MetricSummary>> periods;  // summarize_periods: the time series
};

// The experiment every front end runs: replications 0 .. config.replications - 1 of `world`,
// summarised. Throws RunsCancelled when execution.stop is set, ResourceLimitExceeded when a
// replication outgrows config.limits.
ReplicationSet run_replications(const World& world, const RunConfig& config,
                                const Execution& execution, const ReplicationRequest& request = {});

// A variant against a baseline on common random numbers (replication r of both draws from the
// same streams): each summarised, and their paired difference. `variant` follows the baseline's
// metrics (a metric the variant lacks, a policy switched off say, is NaN with n = 0).
struct Comparison {
  std::vector<MetricSummary> baseline;
  std::vector<MetricSummary> variant;
  std::vector<MetricSummary> difference;  // variant - baseline (paired_differences)
};
Comparison compare_replications(const World& baseline, const World& variant,
                                const RunConfig& config, const Execution& execution,
                                double level = 0.95);

// Several variants against a baseline on common random numbers (`chiptrail compare`, the
// Python module's compare): every scenario's replications run once under one RunConfig (the
// baseline's warm-up and period for all, so the figures compare), each summarised with its time
// series, and each variant's paired difference to the baseline (variant - baseline, over the
// baseline's metrics; one the variant lacks has n = 0), with its effect on the compute
// delivered per period (kEffectByPeriodMetric): by period, whether it is steady, and where the
// transient ends (models/period_effects.hpp).
inline constexpr const char* kEffectByPeriodMetric = "h100e_delivered_restricted";
struct VariantComparison {
  ReplicationSet baseline;
  std::vector<ReplicationSet> variants;
  std::vector<std::vector<MetricSummary>> differences;  // by variant
  std::vector<PeriodEffects> period_effects;            // by variant
};
VariantComparison compare_variants(const World& baseline, const std::vector<const World*>& variants,
                                   const RunConfig& config, const Execution& execution,
                                   const ReplicationRequest& request = {});

}  // namespace chiptrail::models
