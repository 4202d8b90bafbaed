#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/distribution.hpp"
#include "models/scenario/field_locator.hpp"
#include "models/scenario/field_path.hpp"

namespace chiptrail::models {

struct ObservedCount {
  std::string metric;  // a per-replication metric, as in runs.csv
  double count = 0;
  double weight = 1;  // in the distance
};

// What becomes public of one kind of case (proto Reporting), checked; its policy and country
// names are resolved against a scenario by the inference (models/inference/public_record.hpp).
struct ReportingModel {
  std::string name;
  std::vector<std::string> policies;   // none: any policy
  std::vector<std::string> countries;  // none: anywhere
  bool interdictions_only = false;
  Distribution probability;           // fixed, or a prior within [0, 1]
  bool probability_inferred = false;  // a prior: one more unknown of the inference
  Distribution delay_days;
  double bin_days = 0;  // the window's length unless the file sets it
  double count_weight = 1;
  double chips_weight = 1;  // 0: the chips the cases name are not compared
  std::vector<std::string> sources;
  FieldPath at;  // reporting[i], for errors found against the scenario
};

// One published case: when (days from the window's first day), and its chips as published,
// with the 95% range where the figure is uncertain.
struct PublicCase {
  std::string name;
  std::size_t reporting = 0;  // index into Observations::reporting
  double day = 0;             // the publication date, days from the window's opening
  std::optional<double> chips;
  std::optional<double> chips_low, chips_high;
  std::string citation;
};

// An observations file for `chiptrail infer` (proto/chiptrail/v1/observations.proto), read and
// checked: a positive period (given, or the window's length), finite non-negative counts, and
// for a public record a valid window, reporting models and cases inside the window.
struct Observations {
  std::string path;
  std::string text;  // the bytes read, for the manifest's hash
  std::string name;
  double period_days = 0;
  std::vector<ObservedCount> observed;
  std::vector<std::string> sources;
  // The public record (empty without `window`).
  std::optional<std::int64_t> window_opens;  // day number (days since 1970-01-01)
  std::vector<ReportingModel> reporting;
  std::vector<PublicCase> cases;
  FieldLocator locator;  // to point at observed[i].metric when the scenario has no such metric
};

// Throws MissingInput or InvalidInput (every error with file:line:column and field).
Observations load_observations(const std::string& path);
Observations parse_observations_text(const std::string& path, std::string text);

// Throws InvalidInput at the observed metrics that are not among `metrics` (the scenario's).
void check_observed_metrics(const Observations& observations,
                            const std::vector<std::string>& metrics);

}  // namespace chiptrail::models
