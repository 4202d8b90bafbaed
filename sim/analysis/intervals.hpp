#pragma once

#include <cstdint>

#include "sim/running_stats.hpp"

namespace chiptrail::sim {

struct Interval {
  double low;
  double high;
  [[nodiscard]] bool contains(double x) const { return low <= x && x <= high; }
};

// Two-sided Student-t interval for a mean at the given confidence level (e.g. 0.95). With fewer
// than two observations the interval is unbounded (−inf, +inf): nothing is known of the spread.
Interval student_t_interval(const RunningStats& stats, double level);
Interval student_t_interval(double mean, double sd, std::uint64_t n, double level);

// Interval for the mean of a nonnegative quantity made of events (a count of lots, the chips or
// dollars they carry) from its per-replication values: the gamma interval of Fay & Feuer (1997)
// on the pooled total K = n * mean, with the replications' dispersion
//   phi = max(min_dispersion, s^2 / mean * (t / z)^2),
//   low = phi / n * Gamma^-1(a/2; K / phi),  high = phi / n * Gamma^-1(1 - a/2; K / phi + 1).
// K / phi is the effective number of independent events. It never goes below 0, keeps its
// coverage where few replications see anything (Student-t covers 63% for a count averaging 0.1
// over 10 replications, this 98%), and tends to Student-t's interval as K / phi grows: (t / z)^2
// carries Student's small-sample factor. `min_dispersion` is 1 for counts of whole units (no
// count is less dispersed than Poisson's, for which the interval is then Garwood's exact one) and
// 0 for amounts. Needs a positive mean and two replications with some spread; otherwise the
// interval is unbounded.
Interval gamma_interval(const RunningStats& stats, double level, double min_dispersion);

// The upper end of a one-sided interval for a Poisson mean per replication when n replications
// saw nothing: -ln(1 - level) / n (the "rule of three", 3 / n, at 95%).
double poisson_none_seen_upper(std::uint64_t n, double level);

// Wilson score interval for a proportion (successes out of trials): well-behaved near 0 and 1,
// where the Wald interval collapses. For zero trials the interval is [0, 1].
Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double level);

}  // namespace chiptrail::sim
