#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chiptrail::models {

// The metrics of one replication, as (name, value) pairs in a fixed order: the columns of
// runs.csv (models/metric_glossary.hpp says what each counts). Ratios are also listed with
// their numerator and denominator metrics so that a summary can pool them across replications
// instead of averaging ratios.
struct RunMetrics {
  std::vector<std::string> names;
  std::vector<double> values;
  // Per period of the run's RunConfig::period, from time zero: the values of
  // period_metric_names(), counted by when each event happened (timeseries.csv, not runs.csv).
  std::vector<std::vector<double>> periods;

  void set(const std::string& name, double value);
  [[nodiscard]] double get(const std::string& name) const;  // NaN when absent
};

}  // namespace chiptrail::models
