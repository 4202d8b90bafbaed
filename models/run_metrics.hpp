#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chiptrail::models {

// The metrics of one replication, as (name, value) pairs in a fixed order: the columns of
// runs.csv. Rates are also listed with their numerator and denominator metrics so that a
// summary can pool them across replications (Wilson interval) instead of averaging ratios.
struct RunMetrics {
  std::vector<std::string> names;
  std::vector<double> values;

  void set(const std::string& name, double value);
  [[nodiscard]] double get(const std::string& name) const;  // NaN when absent
};

struct RateDefinition {
  const char* rate;
  const char* numerator;
  const char* denominator;
  // True when the counted units are independent trials within a run (lots, in a non-adaptive
  // scenario): the summary may then pool them with a Wilson interval. Chips are not: they move
  // together in consignments, so their rate gets a ratio estimator across replications.
  bool independent_units;
};

// The rates among the standard metrics.
const std::vector<RateDefinition>& rate_definitions();

}  // namespace chiptrail::models
