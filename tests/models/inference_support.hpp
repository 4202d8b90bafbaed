#pragma once

// What the inference tests share: one worker thread, and the inference
// of tests/data/infer_synthetic.textproto's diversion rate with its summary.
#include <cstddef>
#include <string>
#include <vector>

#include "models/inference/infer.hpp"
#include "models/inference/observations.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/scenario_test_support.hpp"

namespace chiptrail::testing {

inline models::Executor& one_thread() {
  static models::ThreadExecutor executor(1);
  return executor;
}

// A parameter's weighted posterior mean and 95% credible interval, and the whole inference.
struct Posterior {
  double mean = 0, low = 0, high = 0;
  models::Inference result;
};

// Infers with `particles` particles, 7 rounds, seed 11, and summarises parameter 0 (the
// synthetic scenario's diversion rate).
inline Posterior infer_rate(const models::ScenarioFile& f, const models::Observations& obs,
                            std::size_t particles = 500) {
  models::InferenceOptions o;
  o.abc.particles = particles;
  o.abc.max_rounds = 7;
  o.abc.seed = 11;
  Posterior p;
  p.result = models::infer(f, obs, builtin_registry(), o, one_thread());
  std::vector<double> rate;
  for (const auto& t : p.result.abc.population.parameters) rate.push_back(t[0]);
  const auto& w = p.result.abc.population.weights;
  for (std::size_t i = 0; i < w.size(); ++i) p.mean += w[i] * rate[i];
  p.low = sim::weighted_quantile(rate, w, 0.025);
  p.high = sim::weighted_quantile(rate, w, 0.975);
  return p;
}

}  // namespace chiptrail::testing
