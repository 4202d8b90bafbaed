#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/policies/policy_registry.hpp"
#include "models/scenario/scenario_file.hpp"

namespace chiptrail::models {

// A metric's spread under parameter uncertainty, split by source (second-order Monte Carlo):
// the outer loop draws the `uncertain` parameters, the inner loop replicates the simulation.
// With outer means m_i and inner variances s_i^2 over R replications:
//   stochastic = mean_i s_i^2                  (randomness within a run)
//   parameter  = var_i m_i - stochastic / R    (the parameters' share; floored at 0)
// the one-way random-effects ANOVA estimators, unbiased for the two variance components.
struct UncertaintySummary {
  std::string metric;
  std::uint64_t samples = 0;  // outer draws where the metric is defined
  double mean = 0;
  double parameter_variance = 0;
  double stochastic_variance = 0;
  double p05 = 0, p50 = 0, p95 = 0;  // of the outer means: the metric's uncertainty band
};

struct UncertaintyOptions {
  std::uint32_t samples = 100;
  std::uint32_t replications = 10;
  std::uint64_t seed = 0;
  unsigned threads = 1;
};

// Runs the second-order Monte Carlo on a scenario with `uncertain` parameters. Throws
// std::invalid_argument when the scenario has none, or when a draw makes it invalid (naming the
// parameter and the value).
std::vector<UncertaintySummary> run_uncertainty(const ScenarioFile& scenario,
                                                const PolicyRegistry& registry,
                                                const UncertaintyOptions& options);

}  // namespace chiptrail::models
