#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/detection_log.hpp"
#include "models/inference/observations.hpp"
#include "models/world.hpp"
#include "sim/random_stream.hpp"
#include "sim/time.hpp"

namespace chiptrail::models {

// The summary statistics of a public record, observed or simulated, in one order: per reporting
// model, the cases published in each bin of the window, then (where it is compared) the log of
// one plus the chips the window's cases name in total.
struct RecordStatistics {
  std::vector<std::string>
      names;  // "cases_published.<model>.<first day>..<last day>", "log_chips_published.<model>"
  std::vector<double> values;
  std::vector<double> weights;
  // Per statistic, the sd of the published figure's error on its scale (the chips' ranges read
  // as lognormal, summed); the simulated statistic gets this noise added (noisy ABC, Wilkinson
  // 2013), so the posterior accounts for an uncertain published figure. 0 for counts.
  std::vector<double> noise_sd;
};

// What becomes public of a replication's detections under a file's reporting models: a
// detection is a candidate of the first model that matches it (its policy, its node's country,
// its verdict), and is published with the model's probability, after its delay. Resolved once
// against a world; applied to each simulation.
class PublicRecord {
 public:
  // Throws InvalidInput at reporting models naming a policy or country the world lacks.
  // `first_parameter`: the index in the inference's parameter vector of the first reporting
  // probability inferred (they follow in file order).
  PublicRecord(const Observations& observations, const World& world, std::size_t first_parameter);

  // The record the file gives (the observed side).
  [[nodiscard]] const RecordStatistics& observed() const { return observed_; }
  // The names of the inferred reporting probabilities ("reporting.<name>.probability"), and
  // their priors (the models' `probability`).
  [[nodiscard]] const std::vector<std::string>& parameter_names() const { return parameters_; }
  [[nodiscard]] const std::vector<Distribution>& priors() const { return priors_; }
  // How long before the window a detection can still be published within it: the slowest
  // model's 99th percentile of delay, in whole days. The window opens that long after the
  // warm-up, so that at least 99% of the cases it sees come from the steady state.
  [[nodiscard]] sim::Time lead() const { return lead_; }

  // The statistics of what `detections` would publish in the window [opens, opens + period),
  // with parameters `theta` (the reporting probabilities inferred) and the draws of `address`
  // (its stream and entity are set here: one publication draw per detection, addressed by its
  // lot and part, so the same detection is published alike across parameter values), and the
  // published figures' noise.
  [[nodiscard]] std::vector<double> simulate(const std::vector<DetectionRecord>& detections,
                                             sim::Time opens, const std::vector<double>& theta,
                                             sim::StreamAddress address) const;

  // The cases themselves: detection time and publication time (days from 0), chips, per model.
  struct Published {
    std::size_t model = 0;
    double detected_day = 0, published_day = 0;
    std::uint64_t chips = 0;
  };
  [[nodiscard]] std::vector<Published> publish(const std::vector<DetectionRecord>& detections,
                                               const std::vector<double>& theta,
                                               sim::StreamAddress address) const;

 private:
  struct Model {
    std::string name;
    std::vector<bool> policy;  // by policy index; empty: any
    std::vector<bool> node;    // by node index: in one of the countries; empty: anywhere
    bool interdictions_only = false;
    double probability = 0;
    std::optional<std::size_t> probability_parameter;
    Distribution delay;
    double bin_days = 0;
    std::size_t bins = 0;
    bool compares_chips = false;
    std::size_t first_statistic = 0;
  };
  [[nodiscard]] std::optional<std::size_t> model_of(const DetectionRecord& d) const;

  std::vector<Model> models_;
  std::vector<std::string> parameters_;
  std::vector<Distribution> priors_;
  double period_days_ = 0;
  sim::Time lead_;
  RecordStatistics observed_;
};

}  // namespace chiptrail::models
