#include "models/inference/infer.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <stdexcept>

#include "chiptrail/v1/scenario.pb.h"
#include "models/detection_log.hpp"
#include "models/distribution.hpp"
#include "models/inference/public_record.hpp"
#include "models/metrics_recorder.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/distribution_from_proto.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/input_text.hpp"
#include "models/supply_chain_model.hpp"
#include "models/sweep/field_setter.hpp"
#include "models/tee_recorder.hpp"

namespace chiptrail::models {
namespace {

PredictiveCheck check_of(const std::vector<double>& values, const std::vector<double>& weights,
                         double observed) {
  PredictiveCheck c;
  double at_least = 0, at_most = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    c.mean += weights[i] * values[i];
    if (values[i] >= observed) at_least += weights[i];
    if (values[i] <= observed) at_most += weights[i];
  }
  c.low = sim::weighted_quantile(values, weights, 0.025);
  c.high = sim::weighted_quantile(values, weights, 0.975);
  c.p_value = std::min(1.0, 2 * std::min(at_least, at_most));
  return c;
}

}  // namespace

const std::vector<std::string>& predicted_metrics() {
  static const std::vector<std::string> names = {"chips_diverted", "chips_delivered_restricted",
                                                 "h100e_delivered_restricted", "lots_diverted",
                                                 "lots_flagged"};
  return names;
}

Inference infer(const ScenarioFile& scenario, const Observations& observations,
                const PolicyRegistry& registry, const InferenceOptions& options,
                Executor& executor) {
  const v1::Scenario& base = *scenario.message;
  if (base.uncertain().empty() && observations.reporting.empty()) {
    throw std::invalid_argument(scenario.path +
                                ": no `uncertain` parameters: infer needs the unknowns as priors");
  }
  Inference out;
  // The priors: `uncertain` entries with a density.
  std::vector<sim::AbcPrior> priors;
  std::vector<double> medians;  // of the `uncertain` priors, for the transient's pilot
  const auto add_prior = [&](const Distribution& d) {
    // The support's bounds: ABC moves a rate on the log scale and a probability on the logit.
    const Distribution::Support support = d.support();
    priors.push_back({[d](sim::RandomStream& rs) { return d.sample(rs, false); },
                      [d](double x) { return *d.density(x); }, support.lower, support.upper});
  };
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
    add_prior(d);
    medians.push_back(d.quantile(0.5));
  }
  // The public record's reporting models, resolved against the scenario; their uncertain
  // probabilities are unknowns too.
  std::optional<PublicRecord> record;
  if (observations.window_opens) {
    record.emplace(observations, build_world(base, scenario.locator, registry), priors.size());
    for (std::size_t i = 0; i < record->priors().size(); ++i) {
      out.parameters.push_back(record->parameter_names()[i]);
      add_prior(record->priors()[i]);
    }
  }
  if (priors.empty()) {
    throw std::invalid_argument(scenario.path +
                                ": nothing to infer: no `uncertain` parameters and no reporting "
                                "probability given as a prior");
  }
  // The scenario with a parameter vector, run over its warm-up, the lead its reporting delays
  // need and then the observation period: observations are of the steady state, as the yearly
  // rates of `run` are, and a case published early in the window had time to be found.
  out.warmup_days = base.warmup_days();
  out.lead_days = record ? record->lead().to_days() : 0.0;
  out.period_days = observations.period_days;
  v1::Scenario period = base;
  period.set_horizon_days(out.warmup_days + out.lead_days + out.period_days);
  const auto world_of = [&](const v1::Scenario& layout, const std::vector<double>& theta) {
    const auto refuse = [&](const std::string& why) {
      std::string values;
      for (std::size_t i = 0; i < theta.size(); ++i)
        values += (i ? ", " : "") + out.parameters[i] + " = " + describe_number(theta[i]);
      return std::invalid_argument("the priors allow values that make the scenario invalid (" +
                                   values + "): narrow them. " + why);
    };
    v1::Scenario s = layout;
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
  const auto world_at = [&](const std::vector<double>& theta) { return world_of(period, theta); };
  const World base_world = build_world(period, scenario.locator, registry);
  RunConfig config;  // every simulation its own replication id under the inference's seed
  config.seed = options.abc.seed;
  config.limits = options.limits;
  config.warmup = base_world.warmup;
  const sim::Time opens = base_world.warmup + (record ? record->lead() : sim::Time::zero());
  config.count_from = opens;  // counts of [warm-up + lead, + period) only
  check_observed_metrics(observations, MetricsRecorder(base_world).finish({}).names);
  // After the inputs are checked: a bad observation file should not wait for the pilot.
  {
    v1::Scenario pilot = period;  // at the priors' medians, long enough to see the transient
    pilot.set_horizon_days(pilot_days(period.horizon_days()));
    out.transient =
        pilot_transient(world_of(pilot, medians), options.abc.seed, options.limits, executor);
  }
  for (const ObservedCount& o : observations.observed) {
    out.statistics.push_back(o.metric);
    out.observed.push_back(o.count);
    out.weights.push_back(o.weight);
  }
  const std::size_t metric_count = out.statistics.size();
  if (record) {
    const RecordStatistics& r = record->observed();
    out.statistics.insert(out.statistics.end(), r.names.begin(), r.names.end());
    out.observed.insert(out.observed.end(), r.values.begin(), r.values.end());
    out.weights.insert(out.weights.end(), r.weights.begin(), r.weights.end());
  }

  // One simulation: the replication's metrics (the observed ones, or the predicted ones per
  // year) followed by what its detections would have published.
  const auto run = [&](const std::vector<double>& theta, std::uint64_t id,
                       const std::vector<std::string>& metrics, double scale) {
    const World world = world_at(theta);
    MetricsRecorder recorder(world, config);
    DetectionLog detections;
    TeeRecorder both(recorder, detections);
    Recorder& target = record ? static_cast<Recorder&>(both) : recorder;
    const RunMetrics m = recorder.finish(simulate(world, config, id, target).pipeline);
    std::vector<double> values;
    for (const std::string& n : metrics) values.push_back(m.get(n) * scale);
    if (record) {
      const std::vector<double> r =
          record->simulate(detections.records(), opens, theta, {config.seed, id, 0, 0, 0});
      values.insert(values.end(), r.begin(), r.end());
    }
    return values;
  };
  const std::vector<std::string> observed_metrics(
      out.statistics.begin(), out.statistics.begin() + static_cast<std::ptrdiff_t>(metric_count));
  const sim::AbcSimulator simulate_batch = [&](const std::vector<std::vector<double>>& thetas,
                                               std::uint64_t first_id) {
    return executor.run_batch(thetas.size(), [&](std::size_t k) {
      return run(thetas[k], first_id + k, observed_metrics, 1.0);
    });
  };
  sim::AbcOptions abc = options.abc;
  abc.weights = out.weights;
  out.abc = sim::abc_smc(priors, out.observed, simulate_batch, abc);

  // Posterior predictive: one fresh replication per particle (ids after the inference's), its
  // predicted metrics per year and its statistics, published afresh.
  const double per_year = 365.0 / observations.period_days;  // the model's year (Poisson rates)
  out.predictive_names = predicted_metrics();
  std::vector<std::string> predicted = out.predictive_names;
  predicted.insert(predicted.end(), observed_metrics.begin(), observed_metrics.end());
  const auto& particles = out.abc.population.parameters;
  const std::vector<std::vector<double>> fresh =
      executor.run_batch(particles.size(), [&](std::size_t k) {
        std::vector<double> v = run(particles[k], out.abc.simulations + k, predicted, 1.0);
        for (std::size_t i = 0; i < out.predictive_names.size(); ++i) v[i] *= per_year;
        return v;
      });
  const std::size_t p = out.predictive_names.size();
  for (const std::vector<double>& v : fresh) {
    out.predictive.emplace_back(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(p));
    out.predictive_statistics.emplace_back(v.begin() + static_cast<std::ptrdiff_t>(p), v.end());
  }
  for (std::size_t s = 0; s < out.statistics.size(); ++s) {
    std::vector<double> column;
    for (const std::vector<double>& v : out.predictive_statistics) column.push_back(v[s]);
    out.checks.push_back(check_of(column, out.abc.population.weights, out.observed[s]));
  }
  return out;
}

}  // namespace chiptrail::models
