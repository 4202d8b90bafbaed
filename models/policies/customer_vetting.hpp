#pragma once

#include <memory>

#include "models/policies/policy.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Know-your-customer screening (one unit of effort per lot): at sale (`customer_vetting`), or at
// the start of a cloud lease (`cloud_kyc`, the IaaS rule; Flow::remote_access). A false end user
// is caught with a probability that falls with the buyer's sophistication (shell companies with
// clean paperwork pass); the sale or lease is refused, so a lot is seized before it ships. A
// legitimate buyer is refused with `false_positive_probability`. A lot an insider waved through
// (Lot::insider) passes.
class CustomerVetting : public Policy {
 public:
  struct Parameters {
    double catch_low = 0, catch_medium = 0, catch_high = 0;
    double false_positive_probability = 0;
  };
  // `stage`: kSale (vetting a sale) or kLease (vetting a lease).
  explicit CustomerVetting(const Parameters& p, Stage stage = Stage::kSale)
      : p_(p), stage_(stage) {}
  Decision on_sale(const PolicyContext& ctx) const override {
    return stage_ == Stage::kSale ? screen(ctx) : Decision{};
  }
  Decision on_lease(const PolicyContext& ctx) const override {
    return stage_ == Stage::kLease ? screen(ctx) : Decision{};
  }
  std::optional<double> memoryless_seize_probability(Stage stage, const Lot& lot) const override;

 private:
  [[nodiscard]] double catch_probability(const Lot& lot) const;
  [[nodiscard]] Decision screen(const PolicyContext& ctx) const;
  Parameters p_;
  Stage stage_;
};

std::unique_ptr<Policy> make_customer_vetting(const v1::Policy& config);
std::unique_ptr<Policy> make_cloud_kyc(const v1::Policy& config);

}  // namespace chiptrail::models
