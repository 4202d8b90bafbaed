#pragma once

#include <memory>

#include "models/distribution.hpp"
#include "models/policies/policy.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Screening of payments at sale (one payment reviewed per lot). A diverted lot's payment is
// flagged with detection_probability * (1 - evasion_per_layer)^layers, where layers is the
// number of third countries the money was routed through; the case acts after delay_days,
// seizing what is still in the chain. A legitimate payment is flagged with
// false_positive_probability.
class FinancialFlowAnalysis : public Policy {
 public:
  struct Parameters {
    double detection_probability = 0;
    double evasion_per_layer = 0;
    double false_positive_probability = 0;
    Distribution delay_days;
  };
  explicit FinancialFlowAnalysis(Parameters p) : p_(std::move(p)) {}
  [[nodiscard]] double flag_probability(const Lot& lot) const;
  Decision on_sale(const PolicyContext& ctx) const override;

 private:
  Parameters p_;
};

std::unique_ptr<Policy> make_financial_flow_analysis(const v1::Policy& config);

}  // namespace chiptrail::models
