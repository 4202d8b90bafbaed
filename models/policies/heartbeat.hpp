#pragma once

#include <memory>

#include "models/policies/policy.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Attestation heartbeat or licence. An operating chip checks in every interval; a lot silent
// for longer than grace_days is in violation and reported (flagged). Disabling needs a stated
// mechanism: a licence that expires without check-in stops a delivered lot that stays silent
// (air-gapped) with disable_probability, unless its firmware was rolled back; a remote command
// reaches only chips online, and a silent chip is not online. Chips silent in transit renew on
// arrival: reported only. A forged heartbeat (firmware attack) defeats the scheme for a lot with
// attack_success_probability. Chips that keep operating online -- wherever they are -- keep
// their licence: a heartbeat proves liveness, not location.
class Heartbeat : public Policy {
 public:
  struct Parameters {
    double interval_days = 1;
    double grace_days = 0;
    double disable_probability = 0;
    double attack_success_probability = 0;
    bool licence_expiry = false;  // the disable mechanism: else a remote command
  };
  explicit Heartbeat(const Parameters& p) : p_(p) {}
  sim::Time operation_interval() const override;
  Decision on_operation(const PolicyContext& ctx) const override;
  std::optional<CheckTrials> operation_trials(const PolicyContext& ctx) const override;

 private:
  Parameters p_;
};

std::unique_ptr<Policy> make_heartbeat(const v1::Policy& config);

}  // namespace chiptrail::models
