#include "models/policies/whistleblower_tips.hpp"

#include <algorithm>

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"
#include "models/scenario/distribution_from_proto.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

double WhistleblowerTips::tip_probability() const {
  return std::min(1.0, p_.base_probability * (1.0 + p_.reward_elasticity * p_.reward_share));
}

Decision WhistleblowerTips::tip(const PolicyContext& ctx) const {
  const bool tipped = sim::bernoulli(ctx.rng, tip_probability());
  const sim::Time delay = sim::Time::from_days(p_.delay_days.sample(ctx.rng));
  if (!ctx.lot.diverted || !tipped) return {};
  return {Verdict::kSeize, 1.0, delay};  // one tip: its reward is the policy's unit cost
}

std::unique_ptr<Policy> make_whistleblower_tips(const v1::Policy& config) {
  const v1::WhistleblowerTips& c = config.whistleblower_tips();
  WhistleblowerTips::Parameters p;
  p.base_probability = probability(c.base_probability(), "base_probability");
  p.reward_share = probability(c.reward_share(), "reward_share");
  p.reward_elasticity = non_negative(c.reward_elasticity(), "reward_elasticity");
  try {
    p.delay_days = distribution_from_proto(c.delay_days(), false);
  } catch (const PolicyConfigError& e) {
    throw PolicyConfigError(e.field().empty() ? "delay_days" : "delay_days." + e.field(), e.what());
  }
  return std::make_unique<WhistleblowerTips>(std::move(p));
}

}  // namespace chiptrail::models
