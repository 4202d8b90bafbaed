#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/location_physics.hpp"
#include "models/policies/policy.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Delay-based location verification of operating chips (DOMAIN.md, "Physics of delay-based
// location verification"). Every challenge interval, each landmark (landmarks sit inside the
// permitted region) sends probes_per_challenge probes to an enrolled chip and keeps the least
// round-trip time, as delay-based geolocation does to strip queueing noise (Gueye et al.,
// "Constraint-based geolocation of Internet hosts", IEEE/ACM ToN 2006; Brass & Aarne,
// "Location verification for AI chips", IAPS 2024, propose repeated pings per check). If even
// the fastest landmark's minimum exceeds max_rtt_ms, the challenge is a violation. The verifier
// acts only on persistent violations: violations_to_act of the last window_challenges
// challenges (an M-of-N rule, defaults estimates), so one noisy reading never flags a chip.
// RTTs follow RttModel and are never below 2 d / c: a chip whose nearest landmark is farther
// than c * max_rtt / 2 violates every challenge and is acted on at its violations_to_act-th.
// A chip that is offline cannot be located: only with require_heartbeat does silence beyond
// max_offline_days count as a violation. Enrolment: chips in scope, opt_in_share of lots.
// Acting by disabling is a remote command: it reaches chips online only, so a silent chip in
// violation is flagged instead.
class LocationVerification : public Policy {
 public:
  struct Landmark {
    std::string name;
    double latitude = 0, longitude = 0;
  };
  // Defaults apply to fields the scenario leaves out.
  struct Parameters {
    std::vector<Landmark> landmarks;
    double challenge_interval_days = 1;
    double max_rtt_ms = 0;
    RttModel rtt;
    std::uint32_t probes_per_challenge = 5;  // estimate
    std::uint32_t violations_to_act = 3;     // M, estimate
    std::uint32_t window_challenges = 5;     // N <= 64, estimate
    double opt_in_share = 1;
    bool require_heartbeat = false;
    double max_offline_days = 0;
    bool disable_on_violation = false;
  };
  explicit LocationVerification(Parameters p) : p_(std::move(p)) {}
  sim::Time operation_interval() const override;
  Decision on_operation(const PolicyContext& ctx) const override;
  std::optional<CheckTrials> operation_trials(const PolicyContext& ctx) const override;
  // Distance from a point to the nearest landmark, km.
  [[nodiscard]] double nearest_landmark_km(double latitude, double longitude) const;
  // Whether one challenge is a violation (before the persistence rule).
  [[nodiscard]] bool violates(const PolicyContext& ctx) const;

 private:
  Parameters p_;
};

std::unique_ptr<Policy> make_location_verification(const v1::Policy& config);

}  // namespace chiptrail::models
