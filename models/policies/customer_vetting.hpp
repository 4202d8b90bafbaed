#pragma once

#include <memory>

#include "models/policies/policy.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Know-your-customer screening at sale (one unit of effort per lot). A false end user is caught
// with a probability that falls with the buyer's sophistication (shell companies with clean
// paperwork pass); the sale is refused, so the lot is seized before it ships. A legitimate buyer
// is refused with `false_positive_probability`.
class CustomerVetting : public Policy {
 public:
  struct Parameters {
    double catch_low = 0, catch_medium = 0, catch_high = 0;
    double false_positive_probability = 0;
  };
  explicit CustomerVetting(const Parameters& p) : p_(p) {}
  Decision on_sale(const PolicyContext& ctx) const override;
  std::optional<double> memoryless_seize_probability(Stage stage, const Lot& lot) const override;

 private:
  Parameters p_;
};

std::unique_ptr<Policy> make_customer_vetting(const v1::Policy& config);

}  // namespace chiptrail::models
