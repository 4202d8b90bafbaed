#include "models/inference/infer.hpp"

#include <cmath>
#include <stdexcept>

#include "chiptrail/v1/scenario.pb.h"
#include "models/distribution.hpp"
#include "models/metrics_recorder.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/distribution_from_proto.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/input_text.hpp"
#include "models/supply_chain_model.hpp"
#include "models/sweep/field_setter.hpp"

namespace chiptrail::models {
const std::vector<std::string>& predicted_metrics() {
  static const std::vector<std::string> names = {"chips_diverted", "chips_delivered_restricted",
                                                 "lots_diverted", "lots_flagged"};
  return names;
}

Inference infer(const ScenarioFile& scenario, const Observations& observations,
                const PolicyRegistry& registry, const InferenceOptions& options,
                Executor& executor) {
  const v1::Scenario& base = *scenario.message;
  if (base.uncertain().empty()) {
    throw std::invalid_argument(scenario.path +
                                ": no `uncertain` parameters: infer needs the unknowns as priors");
  }
  Inference out;
  // The priors: `uncertain` entries with a density.
  std::vector<sim::AbcPrior> priors;
  for (const v1::Uncertain& u : base.uncertain()) {
    const std::string name = u.name().empty() ? u.path() : u.name();
    Distribution d;
    try {
      d = distribution_from_proto(u.distribution(), true);
    } catch (const std::exception& e) {
      throw std::invalid_argument(scenario.path + ": uncertain " + name + ": " + e.what());
    }
    if (!d.density(0).has_value()) {
      throw std::invalid_argument(scenario.path + ": uncertain " + name +
                                  ": a prior needs a density (uniform, exponential, normal, "
                                  "lognormal or triangular), not a fixed or empirical value");
    }
    out.parameters.push_back(name);
    priors.push_back({[d](sim::RandomStream& rs) { return d.sample(rs, false); },
                      [d](double x) { return *d.density(x); }});
  }
  // The scenario with a parameter vector, run over its warm-up and then the observation period:
  // observations are counts of the steady state, as the yearly rates of `run` are.
  v1::Scenario period = base;
  period.set_horizon_days(base.warmup_days() + observations.period_days);
  const auto world_at = [&](const std::vector<double>& theta) {
    const auto refuse = [&](const std::string& why) {
      std::string values;
      for (std::size_t i = 0; i < theta.size(); ++i)
        values += (i ? ", " : "") + out.parameters[i] + " = " + describe_number(theta[i]);
      return std::invalid_argument("the priors allow values that make the scenario invalid (" +
                                   values + "): narrow them. " + why);
    };
    v1::Scenario s = period;
    try {
      for (int i = 0; i < base.uncertain_size(); ++i)
        set_numeric_field(s, base.uncertain(i).path(), theta[static_cast<std::size_t>(i)]);
      return build_world(s, scenario.locator, registry);
    } catch (const InvalidInput& e) {
      throw refuse(e.what());
    } catch (const std::invalid_argument& e) {
      throw refuse(e.what());
    }
  };
  const World base_world = build_world(period, scenario.locator, registry);
  RunConfig config;  // every simulation its own replication id under the inference's seed
  config.seed = options.abc.seed;
  config.limits = options.limits;
  config.warmup = base_world.warmup;
  config.count_from = base_world.warmup;  // counts of [warm-up, warm-up + period) only
  check_observed_metrics(observations, MetricsRecorder(base_world).finish({}).names);
  for (const ObservedCount& o : observations.observed) {
    out.statistics.push_back(o.metric);
    out.observed.push_back(o.count);
  }

  const auto read = [](const RunMetrics& m, const std::vector<std::string>& names) {
    std::vector<double> values;
    for (const std::string& n : names) values.push_back(m.get(n));
    return values;
  };
  const sim::AbcSimulator simulate = [&](const std::vector<std::vector<double>>& thetas,
                                         std::uint64_t first_id) {
    return executor.run_batch(thetas.size(), [&](std::size_t k) {
      return read(run_replication(world_at(thetas[k]), config, first_id + k), out.statistics);
    });
  };
  out.abc = sim::abc_smc(priors, out.observed, simulate, options.abc);

  // Posterior predictive: one fresh replication per particle (ids after the inference's).
  const double per_year = 365.0 / observations.period_days;  // the model's year (Poisson rates)
  out.predictive_names = predicted_metrics();
  const auto& particles = out.abc.population.parameters;
  out.predictive = executor.run_batch(particles.size(), [&](std::size_t k) {
    std::vector<double> v =
        read(run_replication(world_at(particles[k]), config, out.abc.simulations + k),
             out.predictive_names);
    for (double& x : v) x *= per_year;
    return v;
  });
  return out;
}

}  // namespace chiptrail::models
