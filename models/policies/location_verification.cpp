#include "models/policies/location_verification.hpp"

#include <algorithm>
#include <bit>
#include <limits>

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"

namespace chiptrail::models {

sim::Time LocationVerification::operation_interval() const {
  return std::max(sim::Time::seconds(1), sim::Time::from_days(p_.challenge_interval_days));
}

double LocationVerification::nearest_landmark_km(double latitude, double longitude) const {
  double best = std::numeric_limits<double>::infinity();
  for (const Landmark& l : p_.landmarks) {
    best = std::min(best, great_circle_km(latitude, longitude, l.latitude, l.longitude));
  }
  return best;
}

bool LocationVerification::violates(const PolicyContext& ctx) const {
  if (ctx.node == nullptr) {
    return p_.require_heartbeat && ctx.offline_for > sim::Time::from_days(p_.max_offline_days);
  }
  // The chip passes if any landmark answers in time; the draws for every landmark are taken
  // in a fixed order so decisions stay comparable across scenarios.
  double fastest = std::numeric_limits<double>::infinity();
  for (const Landmark& l : p_.landmarks) {
    const double km =
        great_circle_km(ctx.node->latitude, ctx.node->longitude, l.latitude, l.longitude);
    fastest = std::min(fastest, p_.rtt.sample_min_ms(km, p_.probes_per_challenge, ctx.rng));
  }
  return fastest > p_.max_rtt_ms;
}

Decision LocationVerification::on_operation(const PolicyContext& ctx) const {
  if (ctx.lot_uniform() >= p_.opt_in_share) return {};  // not enrolled: never challenged
  // The record holds one bit per challenge, newest lowest; without one (a lone check), this
  // challenge is the whole window.
  std::uint64_t lone = 0;
  std::uint64_t& record = ctx.check_record != nullptr ? *ctx.check_record : lone;
  record = record << 1U | (violates(ctx) ? 1U : 0U);
  const std::uint64_t window = p_.window_challenges >= 64
                                   ? ~std::uint64_t{0}
                                   : (std::uint64_t{1} << p_.window_challenges) - 1;
  if (static_cast<std::uint32_t>(std::popcount(record & window)) < p_.violations_to_act) {
    return {Verdict::kPass, 1.0, {}};
  }
  // A disable is a remote command: it reaches a chip online only.
  const bool reachable = ctx.node != nullptr;
  return {p_.disable_on_violation && reachable ? Verdict::kDisable : Verdict::kFlag, 1.0, {}};
}

std::optional<CheckTrials> LocationVerification::operation_trials(const PolicyContext& ctx) const {
  CheckTrials t;
  t.enrolled = ctx.lot_uniform() < p_.opt_in_share;
  t.violations_to_act = p_.violations_to_act;
  t.window_checks = p_.window_challenges;
  if (ctx.node == nullptr) {
    if (p_.require_heartbeat) t.violates_offline_beyond = sim::Time::from_days(p_.max_offline_days);
    return t;  // silent: a disable cannot reach it
  }
  // The landmarks' readings are independent: the challenge violates when every one is late.
  t.violation_probability = 1;
  for (const Landmark& l : p_.landmarks) {
    const double km =
        great_circle_km(ctx.node->latitude, ctx.node->longitude, l.latitude, l.longitude);
    t.violation_probability *=
        p_.rtt.exceed_probability(km, p_.probes_per_challenge, p_.max_rtt_ms);
  }
  t.disable_probability = p_.disable_on_violation ? 1 : 0;
  return t;
}

std::unique_ptr<Policy> make_location_verification(const v1::Policy& config) {
  const v1::LocationVerification& c = config.location_verification();
  LocationVerification::Parameters p;
  if (c.landmarks().empty()) throw PolicyConfigError("landmarks", "needs at least one landmark");
  for (int i = 0; i < c.landmarks_size(); ++i) {
    const auto& l = c.landmarks(i);
    if (!(l.latitude() >= -90 && l.latitude() <= 90 && l.longitude() >= -180 &&
          l.longitude() <= 180)) {
      throw PolicyConfigError("landmarks[" + std::to_string(i) + "]",
                              "latitude must be in [-90, 90] and longitude in [-180, 180]");
    }
    p.landmarks.push_back({l.name(), l.latitude(), l.longitude()});
  }
  p.challenge_interval_days = positive(c.challenge_interval_days(), "challenge_interval_days");
  p.max_rtt_ms = positive(c.max_rtt_ms(), "max_rtt_ms");
  // Fields left out take Parameters' defaults; written ones are taken as written, 0 included.
  if (c.has_fiber_speed_fraction()) p.rtt.fiber_speed_fraction = c.fiber_speed_fraction();
  if (!(p.rtt.fiber_speed_fraction > 0 && p.rtt.fiber_speed_fraction <= 1)) {
    throw PolicyConfigError("fiber_speed_fraction", "must be in (0, 1]: nothing beats light");
  }
  if (c.has_path_stretch()) p.rtt.path_stretch = c.path_stretch();
  if (!(p.rtt.path_stretch >= 1 && std::isfinite(p.rtt.path_stretch))) {
    throw PolicyConfigError("path_stretch",
                            "must be at least 1: a cable is never shorter than the great circle");
  }
  if (c.has_overhead_ms()) p.rtt.overhead_ms = non_negative(c.overhead_ms(), "overhead_ms");
  if (c.has_jitter_ms()) p.rtt.jitter_ms = non_negative(c.jitter_ms(), "jitter_ms");
  if (c.has_probes_per_challenge()) p.probes_per_challenge = c.probes_per_challenge();
  if (p.probes_per_challenge == 0) {
    throw PolicyConfigError("probes_per_challenge", "must be at least 1");
  }
  if (c.has_window_challenges()) p.window_challenges = c.window_challenges();
  if (p.window_challenges == 0 || p.window_challenges > 64) {
    throw PolicyConfigError("window_challenges",
                            "must be between 1 and 64, got " + std::to_string(p.window_challenges));
  }
  if (c.has_violations_to_act()) p.violations_to_act = c.violations_to_act();
  if (p.violations_to_act == 0 || p.violations_to_act > p.window_challenges) {
    throw PolicyConfigError("violations_to_act", "must be between 1 and window_challenges (" +
                                                     std::to_string(p.window_challenges) +
                                                     "), got " +
                                                     std::to_string(p.violations_to_act));
  }
  if (c.has_opt_in_share()) p.opt_in_share = probability(c.opt_in_share(), "opt_in_share");
  p.require_heartbeat = c.require_heartbeat();
  p.max_offline_days = non_negative(c.max_offline_days(), "max_offline_days");
  p.disable_on_violation = c.on_violation() == v1::DISABLE;
  return std::make_unique<LocationVerification>(std::move(p));
}

}  // namespace chiptrail::models
