#include "models/arrival_rate.hpp"

#include <algorithm>
#include <limits>

namespace chiptrail::models {

double ArrivalRate::at(double day) const {
  double rate = base;
  for (const Change& c : changes) {
    if (c.from_day > day) break;
    rate = c.per_year;
  }
  return rate;
}

double ArrivalRate::expected(double from_day, double to_day) const {
  if (to_day <= from_day) return 0;
  double total = 0, start = 0, rate = base;
  const auto add = [&](double end) {  // the piece [start, end) at `rate`
    const double lo = std::max(start, from_day), hi = std::min(end, to_day);
    if (hi > lo) total += rate * (hi - lo) / 365.0;
  };
  for (const Change& c : changes) {
    add(c.from_day);
    start = c.from_day;
    rate = c.per_year;
  }
  add(std::numeric_limits<double>::infinity());
  return total;
}

double ArrivalRate::next_arrival(double day, double exp1, double scale) const {
  double left = exp1;  // expected arrivals still to pass before the next one
  double rate = at(day);
  auto next = std::upper_bound(changes.begin(), changes.end(), day,
                               [](double d, const Change& c) { return d < c.from_day; });
  for (double start = day;; ++next) {
    const double end =
        next == changes.end() ? std::numeric_limits<double>::infinity() : next->from_day;
    const double per_day = rate * scale / 365.0;
    if (per_day > 0 && left <= per_day * (end - start)) return start + left / per_day;
    if (next == changes.end()) return std::numeric_limits<double>::infinity();
    left -= per_day * (end - start);
    start = end;
    rate = next->per_year;
  }
}

void ArrivalRate::scale(double factor) {
  base *= factor;
  for (Change& c : changes) c.per_year *= factor;
}

}  // namespace chiptrail::models
