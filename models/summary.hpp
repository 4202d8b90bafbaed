#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/run_metrics.hpp"

namespace chiptrail::models {

// One metric summarised over replications.
//  - Rates are pooled: numerator and denominator summed over all replications, so a run with 2
//    lots does not weigh as much as one with 2,000. Rates of independent units (lots) get a
//    Wilson interval, n = pooled trials. Rates of units that move together (chips) get the
//    ratio estimator's interval across replications (delta method, Student-t), n = the
//    replications with a non-zero denominator; its method is "ratio".
//  - Everything else: mean over the replications where it is defined (not NaN), n = those
//    replications. A metric that is never negative (counts, and the chips, H100e and dollars of
//    counted events) gets the gamma interval on its pooled total (sim::gamma_interval: it
//    respects the support and covers rare counts, and tends to Student-t's as counts grow);
//    one that saw nothing in any replication ("none-seen") gets [0, -ln(1 - level) / n] if it
//    counts independent lots, [0, NaN] (no upper bound known) otherwise; a metric with a
//    negative value somewhere, or a constant one, gets Student-t's.
struct MetricSummary {
  std::string metric;
  std::uint64_t n = 0;
  double mean = 0;
  double sd = 0;
  double ci_low = 0;
  double ci_high = 0;
  std::string ci_method;  // "wilson", "ratio", "gamma", "none-seen" or "student-t"
};

// `lots_independent` is false when lots of one run influence each other (adaptive smugglers
// learn from earlier lots): lot rates then get the ratio estimator too.
std::vector<MetricSummary> summarize(const std::vector<RunMetrics>& runs, double level,
                                     bool lots_independent);

// Per period (RunMetrics::periods), the summary of period_metric_names() over the replications
// (Student-t intervals of per-replication counts): the time series with intervals. A replication
// without a period (a drained run ends earlier) counts zero there.
std::vector<std::vector<MetricSummary>> summarize_periods(const std::vector<RunMetrics>& runs,
                                                          double level);

// The difference other - base of every metric, for two variants run on common random numbers
// (replication r of both drew from the same streams, so base[r] and other[r] are paired). The
// mean is exactly the difference of the two summaries' means: for rates, the difference of
// pooled ratios R1 - R0 with the paired delta-method interval (per replication, the influence
// (x1 - R1 y1) / mean(y1) - (x0 - R0 y0) / mean(y0), Student-t); for everything else the mean
// of the per-replication differences where both are defined, Student-t. Method "paired-t".
std::vector<MetricSummary> paired_differences(const std::vector<RunMetrics>& base,
                                              const std::vector<RunMetrics>& other, double level);

}  // namespace chiptrail::models
