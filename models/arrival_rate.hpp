#pragma once

#include <vector>

namespace chiptrail::models {

// A flow's Poisson arrival rate in lots per year, piecewise constant in time: `base` from day 0,
// then each change's rate from its day on (changes in increasing order of day). It models a
// rule's announcement and effective dates: the rush of buying before a ban, and what is left
// after it.
struct ArrivalRate {
  struct Change {
    double from_day = 0;
    double per_year = 0;
  };
  double base = 0;
  std::vector<Change> changes;

  // The rate at `day`, lots per year.
  [[nodiscard]] double at(double day) const;
  // Expected arrivals in [from_day, to_day): the integral of the rate.
  [[nodiscard]] double expected(double from_day, double to_day) const;
  // The day of the next arrival after `day`, at `scale` times the rate, from a draw E of
  // Exp(1) (inversion of the integrated rate: the first t with expected(day, t) * scale = E);
  // infinity when the rate stays 0.
  [[nodiscard]] double next_arrival(double day, double exp1, double scale) const;
  // Scales every rate (a benchmark's volumes).
  void scale(double factor);
};

}  // namespace chiptrail::models
