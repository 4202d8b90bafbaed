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
// location verification"). Every challenge interval, an enrolled chip answers each landmark
// (landmarks sit inside the permitted region); if even the fastest answer takes longer than
// max_rtt_ms, the chip is in violation. RTTs follow RttModel and are never below 2 d / c, so a
// chip whose nearest landmark is farther than c * max_rtt / 2 is always caught. A chip that is
// offline cannot be located: only with require_heartbeat does silence beyond max_offline_days
// count as a violation. Enrolment: chips in scope, with probability opt_in_share per lot.
class LocationVerification : public Policy {
 public:
  struct Landmark {
    std::string name;
    double latitude = 0, longitude = 0;
  };
  struct Parameters {
    std::vector<Landmark> landmarks;
    double challenge_interval_days = 1;
    double max_rtt_ms = 0;
    RttModel rtt;
    double opt_in_share = 1;
    bool require_heartbeat = false;
    double max_offline_days = 0;
    bool disable_on_violation = false;
  };
  explicit LocationVerification(Parameters p) : p_(std::move(p)) {}
  sim::Time operation_interval() const override;
  Decision on_operation(const PolicyContext& ctx) const override;
  // Distance from a point to the nearest landmark, km.
  [[nodiscard]] double nearest_landmark_km(double latitude, double longitude) const;

 private:
  Parameters p_;
};

std::unique_ptr<Policy> make_location_verification(const v1::Policy& config);

}  // namespace chiptrail::models
