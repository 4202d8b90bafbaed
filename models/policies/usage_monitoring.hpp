#pragma once

#include <memory>

#include "models/policies/policy.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Usage-pattern monitoring of cloud leases (Flow::remote_access): the provider watches for the
// workload and access patterns of restricted users. A restricted user's lease is found after an
// exponential time of mean `mean_days_to_detect` from its start (memoryless: the same chance
// every day it runs) and is cut then if it still runs. A legitimate tenant's lease is wrongly
// reported with `false_positive_probability`; a review clears it and it runs on. Effort: one
// lease monitored.
class UsageMonitoring : public Policy {
 public:
  struct Parameters {
    double mean_days_to_detect = 0;
    double false_positive_probability = 0;
  };
  explicit UsageMonitoring(const Parameters& p) : p_(p) {}
  Decision on_usage(const PolicyContext& ctx) const override;
  // Acts on leases only: never on a lot of chips on its way.
  std::optional<double> memoryless_seize_probability(Stage, const Lot&) const override {
    return 0.0;
  }

 private:
  Parameters p_;
};

std::unique_ptr<Policy> make_usage_monitoring(const v1::Policy& config);

}  // namespace chiptrail::models
