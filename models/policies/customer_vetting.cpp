#include "models/policies/customer_vetting.hpp"

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

Decision CustomerVetting::on_sale(const PolicyContext& ctx) const {
  double p = p_.false_positive_probability;
  if (ctx.lot.diverted) {
    switch (ctx.lot.buyer_sophistication) {
      case Sophistication::kLow:
        p = p_.catch_low;
        break;
      case Sophistication::kMedium:
        p = p_.catch_medium;
        break;
      case Sophistication::kHigh:
        p = p_.catch_high;
        break;
    }
  }
  return {sim::bernoulli(ctx.rng, p) ? Verdict::kSeize : Verdict::kPass, 1.0, {}};
}

std::optional<double> CustomerVetting::memoryless_seize_probability(Stage stage,
                                                                    const Lot& lot) const {
  if (stage != Stage::kSale) return 0.0;
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

std::unique_ptr<Policy> make_customer_vetting(const v1::Policy& config) {
  const v1::CustomerVetting& c = config.customer_vetting();
  CustomerVetting::Parameters p;
  p.catch_low = probability(c.catch_probability_low(), "catch_probability_low");
  p.catch_medium = probability(c.catch_probability_medium(), "catch_probability_medium");
  p.catch_high = probability(c.catch_probability_high(), "catch_probability_high");
  p.false_positive_probability =
      probability(c.false_positive_probability(), "false_positive_probability");
  return std::make_unique<CustomerVetting>(p);
}

}  // namespace chiptrail::models
