#include "models/policies/usage_monitoring.hpp"

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

Decision UsageMonitoring::on_usage(const PolicyContext& ctx) const {
  if (!ctx.lot.diverted) {
    return {
        sim::bernoulli(ctx.rng, p_.false_positive_probability) ? Verdict::kFlag : Verdict::kPass,
        1.0,
        {}};
  }
  // When the lease is found, counted from its start; the model cuts it then if it still runs.
  const double days = sim::exponential(ctx.rng, p_.mean_days_to_detect);
  return {Verdict::kSeize, 1.0, sim::Time::from_days(days)};
}

std::unique_ptr<Policy> make_usage_monitoring(const v1::Policy& config) {
  const v1::UsageMonitoring& c = config.usage_monitoring();
  UsageMonitoring::Parameters p;
  p.mean_days_to_detect = positive(c.mean_days_to_detect(), "mean_days_to_detect");
  p.false_positive_probability =
      probability(c.false_positive_probability(), "false_positive_probability");
  return std::make_unique<UsageMonitoring>(p);
}

}  // namespace chiptrail::models
