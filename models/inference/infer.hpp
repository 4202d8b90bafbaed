#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/experiment/executor.hpp"
#include "models/inference/observations.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/resource_limits.hpp"
#include "models/scenario/scenario_file.hpp"
#include "sim/analysis/abc_smc.hpp"

namespace chiptrail::models {

struct InferenceOptions {
  sim::AbcOptions abc;
  ResourceLimits limits;
};

// The posterior of a scenario's unknown parameters given observed counts.
struct Inference {
  std::vector<std::string> parameters;  // the `uncertain` entries' names (or paths)
  std::vector<std::string> statistics;  // the observed metrics
  std::vector<double> observed;
  sim::AbcResult abc;
  // Posterior predictive: per particle, a fresh replication at its parameters, per year.
  std::vector<std::string> predictive_names;
  std::vector<std::vector<double>> predictive;
};

// The predicted quantities, per year of the observation period.
const std::vector<std::string>& predicted_metrics();

// ABC-SMC (sim/abc_smc.hpp) with the scenario's `uncertain` parameters as priors: each
// simulation sets them, runs the scenario for the observations' period (one replication) and
// reads the observed metrics. Throws InvalidInput for observed metrics the scenario lacks and
// std::invalid_argument for priors without a density or draws that break the scenario.
Inference infer(const ScenarioFile& scenario, const Observations& observations,
                const PolicyRegistry& registry, const InferenceOptions& options,
                Executor& executor);

}  // namespace chiptrail::models
