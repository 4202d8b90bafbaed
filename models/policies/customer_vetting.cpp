#include "models/policies/customer_vetting.hpp"

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

double CustomerVetting::catch_probability(const Lot& lot) const {
  if (lot.insider.vetting) return 0.0;  // the insider signs it off
  switch (lot.buyer_sophistication) {
    case Sophistication::kLow:
      return p_.catch_low;
    case Sophistication::kMedium:
      return p_.catch_medium;
    case Sophistication::kHigh:
      return p_.catch_high;
  }
  return 0.0;
}

Decision CustomerVetting::screen(const PolicyContext& ctx) const {
  const double p = ctx.lot.diverted ? catch_probability(ctx.lot) : p_.false_positive_probability;
  return {sim::bernoulli(ctx.rng, p) ? Verdict::kSeize : Verdict::kPass, 1.0, {}};
}

std::optional<double> CustomerVetting::memoryless_seize_probability(Stage stage,
                                                                    const Lot& lot) const {
  if (stage != Stage::kSale || stage_ != Stage::kSale) return 0.0;
  return catch_probability(lot);
}

namespace {

CustomerVetting::Parameters parameters(const v1::CustomerVetting& c) {
  CustomerVetting::Parameters p;
  p.catch_low = probability(c.catch_probability_low(), "catch_probability_low");
  p.catch_medium = probability(c.catch_probability_medium(), "catch_probability_medium");
  p.catch_high = probability(c.catch_probability_high(), "catch_probability_high");
  p.false_positive_probability =
      probability(c.false_positive_probability(), "false_positive_probability");
  return p;
}

}  // namespace

std::unique_ptr<Policy> make_customer_vetting(const v1::Policy& config) {
  return std::make_unique<CustomerVetting>(parameters(config.customer_vetting()), Stage::kSale);
}

std::unique_ptr<Policy> make_cloud_kyc(const v1::Policy& config) {
  return std::make_unique<CustomerVetting>(parameters(config.cloud_kyc()), Stage::kLease);
}

}  // namespace chiptrail::models
