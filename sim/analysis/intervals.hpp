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

// Wilson score interval for a proportion (successes out of trials): well-behaved near 0 and 1,
// where the Wald interval collapses. For zero trials the interval is [0, 1].
Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double level);

}  // namespace chiptrail::sim
