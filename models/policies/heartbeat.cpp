#include "models/policies/heartbeat.hpp"

#include <algorithm>

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

sim::Time Heartbeat::operation_interval() const {
  return std::max(sim::Time::seconds(1), sim::Time::from_days(p_.interval_days));
}

Decision Heartbeat::on_operation(const PolicyContext& ctx) const {
  const bool disable = sim::bernoulli(ctx.rng, p_.disable_probability);
  if (ctx.lot_uniform() < p_.attack_success_probability) return {};  // firmware defeated
  if (ctx.offline_for <= sim::Time::from_days(p_.grace_days)) return {Verdict::kPass, 1.0, {}};
  const bool stops_itself = p_.licence_expiry && ctx.delivered && !ctx.licence_defeated;
  return {stops_itself && disable ? Verdict::kDisable : Verdict::kFlag, 1.0, {}};
}

std::optional<CheckTrials> Heartbeat::operation_trials(const PolicyContext& ctx) const {
  CheckTrials t;
  t.enrolled = !(ctx.lot_uniform() < p_.attack_success_probability);
  t.violates_offline_beyond = sim::Time::from_days(p_.grace_days);
  const bool stops_itself = p_.licence_expiry && ctx.delivered && !ctx.licence_defeated;
  t.disable_probability = stops_itself ? p_.disable_probability : 0;
  return t;
}

std::unique_ptr<Policy> make_heartbeat(const v1::Policy& config) {
  const v1::Heartbeat& c = config.heartbeat();
  Heartbeat::Parameters p;
  p.interval_days = positive(c.interval_days(), "interval_days");
  p.grace_days = non_negative(c.grace_days(), "grace_days");
  p.disable_probability = probability(c.disable_probability(), "disable_probability");
  p.attack_success_probability =
      probability(c.attack_success_probability(), "attack_success_probability");
  if (c.mechanism() == v1::DISABLE_MECHANISM_UNSPECIFIED && p.disable_probability > 0) {
    throw PolicyConfigError("mechanism",
                            "is required to disable: LICENCE_EXPIRY (the chip stops itself "
                            "offline) or REMOTE_COMMAND (reaches chips online only)");
  }
  p.licence_expiry = c.mechanism() == v1::LICENCE_EXPIRY;
  return std::make_unique<Heartbeat>(p);
}

}  // namespace chiptrail::models
