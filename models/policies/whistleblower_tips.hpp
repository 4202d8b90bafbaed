#pragma once

#include <memory>

#include "models/distribution.hpp"
#include "models/policies/policy.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Tips from insiders (a truck driver's tip opened one 2025 case). At each stage a diverted lot
// or consignment passes -- sale, each shipment, each border, installation -- a tip comes with
// probability base * (1 + elasticity * reward_share), capped at 1, and acts after a delay: the
// lot's chips still in the chain are then seized, or the lot is flagged if it has arrived.
class WhistleblowerTips : public Policy {
 public:
  struct Parameters {
    double base_probability = 0;
    double reward_share = 0;
    double reward_elasticity = 0;
    Distribution delay_days;
  };
  explicit WhistleblowerTips(Parameters p) : p_(std::move(p)) {}
  [[nodiscard]] double tip_probability() const;
  Decision on_sale(const PolicyContext& ctx) const override { return tip(ctx); }
  Decision on_shipment(const PolicyContext& ctx) const override { return tip(ctx); }
  Decision on_border(const PolicyContext& ctx) const override { return tip(ctx); }
  Decision on_installation(const PolicyContext& ctx) const override { return tip(ctx); }

 private:
  Decision tip(const PolicyContext& ctx) const;
  Parameters p_;
};

std::unique_ptr<Policy> make_whistleblower_tips(const v1::Policy& config);

}  // namespace chiptrail::models
