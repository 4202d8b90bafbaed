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
#include "models/transient.hpp"
#include "sim/analysis/abc_smc.hpp"

namespace chiptrail::models {

struct InferenceOptions {
  sim::AbcOptions abc;
  ResourceLimits limits;
};

// Would the fitted model reproduce one observed statistic? Its posterior predictive
// distribution (one fresh simulation per particle, weighted) against the observed value.
struct PredictiveCheck {
  double mean = 0, low = 0, high = 0;  // weighted mean and 95% interval
  // Two-sided: twice the smaller weighted tail at the observed value (ties in both), at most 1.
  // Small values say the model does not reproduce the observation.
  double p_value = 1;
};

// The posterior of a scenario's unknown parameters given observed counts and a public record.
struct Inference {
  // The `uncertain` entries' names (or paths), then the reporting probabilities inferred.
  std::vector<std::string> parameters;
  // The observed metrics, then the public record's statistics (PublicRecord).
  std::vector<std::string> statistics;
  std::vector<double> observed;
  std::vector<double> weights;
  sim::AbcResult abc;
  // Posterior predictive: per particle, a fresh replication at its parameters, per year.
  std::vector<std::string> predictive_names;
  std::vector<std::vector<double>> predictive;
  // The same replications' statistics, and per statistic the check against the observed.
  std::vector<std::vector<double>> predictive_statistics;
  std::vector<PredictiveCheck> checks;
  // How each simulation is laid out: the warm-up, then `lead` for the reporting delays, then
  // the observation period (days).
  double warmup_days = 0, lead_days = 0, period_days = 0;
  // Whether that warm-up outlasts the start-up transient: models::pilot_transient at the
  // priors' medians. Observations describe a steady state, so counts simulated before the
  // transient ends are not comparable with them.
  Transient transient;
  [[nodiscard]] double transient_days() const {
    return static_cast<double>(transient.periods) * kPilotPeriodDays;
  }
  // Whether the warm-up falls short of the transient, or there is no steady state to reach.
  [[nodiscard]] bool warmup_too_short() const {
    return transient.assessed && (!transient.settled || transient_days() > warmup_days + 1e-9);
  }
};

// The predicted quantities, per year of the observation period.
const std::vector<std::string>& predicted_metrics();

// ABC-SMC (sim/abc_smc.hpp) with the scenario's `uncertain` parameters (and the reporting
// probabilities given as priors) as unknowns: each simulation sets them, runs the scenario over
// its warm-up, the reporting lead and the observation period (one replication), reads the
// observed metrics over the period and publishes its detections through the reporting models.
// Throws InvalidInput for observed metrics, policies or countries the scenario lacks and
// std::invalid_argument for priors without a density or draws that break the scenario.
Inference infer(const ScenarioFile& scenario, const Observations& observations,
                const PolicyRegistry& registry, const InferenceOptions& options,
                Executor& executor);

}  // namespace chiptrail::models
