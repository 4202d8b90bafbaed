#pragma once

#include <string>
#include <vector>

#include "models/scenario/field_locator.hpp"

namespace chiptrail::models {

struct ObservedCount {
  std::string metric;  // a per-replication metric, as in runs.csv
  double count = 0;
};

// An observations file for `chiptrail infer` (proto/chiptrail/v1/observations.proto), read and
// checked: a positive period and at least one finite, non-negative count.
struct Observations {
  std::string path;
  std::string text;  // the bytes read, for the manifest's hash
  std::string name;
  double period_days = 0;
  std::vector<ObservedCount> observed;
  std::vector<std::string> sources;
  FieldLocator locator;  // to point at observed[i].metric when the scenario has no such metric
};

// Throws MissingInput or InvalidInput (every error with file:line:column and field).
Observations load_observations(const std::string& path);
Observations parse_observations_text(const std::string& path, std::string text);

// Throws InvalidInput at the observed metrics that are not among `metrics` (the scenario's).
void check_observed_metrics(const Observations& observations,
                            const std::vector<std::string>& metrics);

}  // namespace chiptrail::models
