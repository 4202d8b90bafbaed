#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "models/run_metrics.hpp"
#include "models/summary.hpp"
#include "sim/analysis/steady_state.hpp"

namespace chiptrail::models {

// How a variant's effect moves in time, from the per-period counts of paired replications
// (RunMetrics::periods): a headline over the counting window averages whatever happens in it,
// and a policy whose effect is still building up (or oscillating as fronts close and re-form)
// has no one effect to quote.
struct PeriodEffects {
  std::string metric;  // a period metric (period_metric_names())
  double period_days = 0;
  std::size_t first_period = 0;          // the first period wholly after the warm-up
  std::vector<MetricSummary> by_period;  // paired difference in period first_period + i
  // Whether the effect is the same in every counted period: sim::equal_means_test on the
  // per-replication differences. Not valid with fewer than two counted periods.
  sim::EqualMeansTest equal_effects;
  // Where the transient ends (MSER on the replication-averaged series of the base, the
  // variant and their difference, from day 0; batches of 5 periods when there are 100 or more,
  // single periods from 10, not assessed below 10): the latest of the three, in periods.
  bool transient_assessed = false;
  std::size_t transient_periods = 0;
  bool transient_settled = true;  // false: some series never settles in the first half

  [[nodiscard]] double transient_days() const {
    return static_cast<double>(transient_periods) * period_days;
  }
};

// The effect of `other` against `base` on `metric` per full period (periods are of
// `period_days` from day 0; a period that ends after `horizon_days` is left out). Replication
// r of both must share random numbers.
PeriodEffects period_effects(const std::vector<RunMetrics>& base,
                             const std::vector<RunMetrics>& other, const std::string& metric,
                             double period_days, double warmup_days, double horizon_days,
                             double level);

// One paragraph for a reader: the effect by period, whether it is steady, and what to change
// when it is not (a longer warm-up or horizon). Empty when there is nothing to say.
std::string describe_period_effects(const PeriodEffects& e);

}  // namespace chiptrail::models
