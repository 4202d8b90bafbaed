#include "models/adversary/substitution.hpp"

#include <cmath>
#include <limits>

namespace chiptrail::models {

SupplyChoice choose_supply(const ChipModel& smuggled, const ChipModel& domestic,
                           std::uint64_t chips, double markup, double believed_survival) {
  SupplyChoice c;
  const double grey_price = smuggled.price_usd * (1.0 + markup);
  c.smuggled_usd_per_h100e = believed_survival > 0
                                 ? grey_price / (smuggled.h100_equivalents * believed_survival)
                                 : std::numeric_limits<double>::infinity();
  c.domestic_usd_per_h100e = domestic.price_usd / domestic.h100_equivalents;
  c.substitute = c.smuggled_usd_per_h100e > c.domestic_usd_per_h100e;
  if (domestic.price_usd > 0) {
    c.h100e_bought =
        static_cast<double>(chips) * grey_price / domestic.price_usd * domestic.h100_equivalents;
  }
  return c;
}

double smuggled_share(const SupplyChoice& costs, double elasticity) {
  if (!std::isfinite(costs.smuggled_usd_per_h100e)) return 0;
  if (!(costs.domestic_usd_per_h100e > 0)) return 0;  // a free substitute takes everything
  // In logs, so that large elasticities neither overflow nor underflow.
  const double x = elasticity * (std::log(costs.smuggled_usd_per_h100e) -
                                 std::log(costs.domestic_usd_per_h100e));
  return 1.0 / (1.0 + std::exp(x));
}

}  // namespace chiptrail::models
