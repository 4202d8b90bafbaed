#pragma once

#include <memory>

#include "models/policies/policy.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Attestation heartbeat or licence with remote disable. An operating chip checks in every
// interval; a lot silent for longer than grace_days is in violation, and the vendor disables its
// chips with disable_probability (otherwise it is flagged). A firmware attack defeats the scheme
// for a lot with attack_success_probability. Chips that keep operating online -- wherever they
// are -- keep their licence: a heartbeat proves liveness, not location.
class Heartbeat : public Policy {
 public:
  struct Parameters {
    double interval_days = 1;
    double grace_days = 0;
    double disable_probability = 0;
    double attack_success_probability = 0;
  };
  explicit Heartbeat(const Parameters& p) : p_(p) {}
  sim::Time operation_interval() const override;
  Decision on_operation(const PolicyContext& ctx) const override;

 private:
  Parameters p_;
};

std::unique_ptr<Policy> make_heartbeat(const v1::Policy& config);

}  // namespace chiptrail::models
