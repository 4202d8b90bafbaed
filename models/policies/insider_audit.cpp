#include "models/policies/insider_audit.hpp"

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

Decision InsiderAudit::on_sale(const PolicyContext& ctx) const {
  const double per_day = p_.audits_per_year * p_.detection_probability / 365.0;
  if (!ctx.lot.diverted || !ctx.lot.insider.any() || !(per_day > 0)) return {};
  return {Verdict::kSeize, 0.0, sim::Time::from_days(sim::exponential(ctx.rng, 1.0 / per_day))};
}

std::unique_ptr<Policy> make_insider_audit(const v1::Policy& config) {
  const v1::InsiderAudit& c = config.insider_audit();
  InsiderAudit::Parameters p;
  p.audits_per_year = non_negative(c.audits_per_year(), "audits_per_year");
  p.detection_probability = probability(c.detection_probability(), "detection_probability");
  return std::make_unique<InsiderAudit>(p);
}

}  // namespace chiptrail::models
