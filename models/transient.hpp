#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "models/experiment/executor.hpp"
#include "models/resource_limits.hpp"
#include "models/run_metrics.hpp"
#include "models/world.hpp"

namespace chiptrail::models {

// Where the start-up transient of a model ends, from many replications' per-period counts
// (RunMetrics::periods): MSER (sim/analysis/steady_state) on each replication-averaged series,
// the latest of them. A scenario starts with an empty pipeline, and fronts, listings and
// deterrence take years to reach their level, so yearly rates quoted "after the warm-up" are
// steady only if the warm-up outlasts this.
struct Transient {
  bool assessed = false;    // false below 10 periods: too few to tell
  std::size_t periods = 0;  // periods to leave out from day 0
  bool settled = true;      // false: some series never settles within the first half
};

// A pilot for the transient of a scenario run for `days`: kPilotRuns replications four times
// as long (at least ten years, so that MSER can use batches of five months), counted by month;
// the longest transient of the monthly diverted, flagged and interdicted lots. `world` must
// already have the pilot's horizon (pilot_days). Its random numbers are its own, under `seed`.
constexpr std::size_t kPilotRuns = 200;
constexpr double kPilotPeriodDays = 365.0 / 12;
double pilot_days(double days);
Transient pilot_transient(const World& world, std::uint64_t seed, const ResourceLimits& limits,
                          Executor& executor);

// Per replication, per period: one output of independent replications.
using ReplicatedSeries = std::vector<std::vector<double>>;

// The longest transient over outputs of one length. Per output, MSER on its
// replication-averaged series (batches of 5 periods from 100 periods, single periods from 10;
// not assessed below 10), refined by the replications: MSER alone cannot tell a transient from
// noise, and on a flat stretch its minimum falls anywhere in the first half (measured: 55 of
// 120 months on blackwell_sea averaged over 40 replications, whose only transient is a busier
// first year). So the transient ends at the earliest batch boundary from which every batch
// MSER deletes is at the level of the periods it keeps (Hotelling's T^2 over the replications
// on the batches' means and the kept mean, at 1%). With a single replication, or more batches
// than replications, MSER's truncation stands.
Transient longest_transient(const std::vector<ReplicatedSeries>& outputs);

// Per replication, a period metric's counts in periods [0, periods): zero where a replication
// has no such period. Throws std::invalid_argument for a metric that is not a period metric.
std::vector<std::vector<double>> per_period(const std::vector<RunMetrics>& runs,
                                            const std::string& metric, std::size_t periods);

// The mean over rows, per period.
std::vector<double> averaged(const std::vector<std::vector<double>>& rows, std::size_t periods);

}  // namespace chiptrail::models
