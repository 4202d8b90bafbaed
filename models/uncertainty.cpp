#include "models/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "chiptrail/v1/scenario.pb.h"
#include "models/experiment/execution.hpp"
#include "models/metrics_recorder.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/distribution_from_proto.hpp"
#include "models/scenario/input_error.hpp"
#include "models/supply_chain_model.hpp"
#include "models/sweep/field_setter.hpp"
#include "sim/running_stats.hpp"

namespace chiptrail::models {
namespace {

double quantile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

std::vector<UncertaintySummary> run_uncertainty(const ScenarioFile& scenario,
                                                const PolicyRegistry& registry,
                                                const UncertaintyOptions& o) {
  const v1::Scenario& base = *scenario.message;
  if (base.uncertain().empty()) {
    throw std::invalid_argument(scenario.path + ": no `uncertain` parameters to draw");
  }
  std::vector<Distribution> distributions;
  for (const v1::Uncertain& u : base.uncertain()) {
    try {
      distributions.push_back(distribution_from_proto(u.distribution(), true));
    } catch (const PolicyConfigError& e) {
      throw std::invalid_argument(scenario.path + ": uncertain " + u.path() + ": distribution " +
                                  e.field() + " " + e.what());
    }
  }
  // The outer draws, made up front (they are few), so worlds are built once per draw.
  std::vector<World> worlds;
  worlds.reserve(o.samples);
  for (std::uint32_t s = 0; s < o.samples; ++s) {
    ScenarioFile draw;
    draw.path = scenario.path;
    draw.message = std::make_unique<v1::Scenario>(base);
    for (int i = 0; i < base.uncertain_size(); ++i) {
      sim::RandomStream rs(
          {o.seed, s, sim::stream_key("uncertainty"), static_cast<std::uint64_t>(i)});
      const double value = distributions[static_cast<std::size_t>(i)].sample(rs, false);
      set_numeric_field(*draw.message, base.uncertain(i).path(), value);
    }
    try {
      worlds.push_back(build_world(draw, registry));
    } catch (const InvalidInput& e) {
      throw std::invalid_argument("an uncertain draw made the scenario invalid: " +
                                  e.errors().front().to_string());
    }
  }
  const std::uint64_t r = o.replications;
  // Each draw's own run configuration (its warm-up), under the analysis's seed.
  std::vector<RunConfig> configs;
  configs.reserve(worlds.size());
  for (const World& w : worlds) {
    configs.push_back(default_run(w));
    configs.back().seed = o.seed;
  }
  Execution execution;
  execution.threads = o.threads;
  const auto runs = run_indexed<RunMetrics>(
      static_cast<std::size_t>(o.samples) * r, execution, [&](std::size_t id) {
        return run_replication(worlds[id / r], configs[id / r], id);  // every run its own streams
      });
  std::vector<UncertaintySummary> out;
  for (std::size_t m = 0; m < runs.front().names.size(); ++m) {
    UncertaintySummary u;
    u.metric = runs.front().names[m];
    sim::RunningStats means, within;
    std::vector<double> outer;
    for (std::uint32_t s = 0; s < o.samples; ++s) {
      sim::RunningStats inner;
      for (std::uint64_t j = 0; j < r; ++j) {
        const double v = runs[s * r + j].values[m];
        if (!std::isnan(v)) inner.add(v);
      }
      if (inner.count() < r) continue;  // undefined in some run of this draw
      means.add(inner.mean());
      outer.push_back(inner.mean());
      within.add(r > 1 ? inner.variance() : 0.0);
    }
    u.samples = means.count();
    if (u.samples < 2) continue;
    u.mean = means.mean();
    u.stochastic_variance = within.mean();
    u.parameter_variance =
        std::max(0.0, means.variance() - u.stochastic_variance / static_cast<double>(r));
    u.p05 = quantile(outer, 0.05);
    u.p50 = quantile(outer, 0.5);
    u.p95 = quantile(outer, 0.95);
    out.push_back(u);
  }
  return out;
}

}  // namespace chiptrail::models
