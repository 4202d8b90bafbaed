#include "models/policies/end_use_check.hpp"

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

sim::Time EndUseCheck::audit_notice() const {
  // A zero notice still counts as announced for cover-ups; one second keeps the model's
  // "announced" state meaningful.
  if (!p_.announced) return {};
  return std::max(sim::Time::seconds(1), sim::Time::from_days(p_.notice_days));
}

Decision EndUseCheck::on_audit(const PolicyContext& ctx) const {
  double p = 0;
  if (!ctx.lot.diverted) {
    p = p_.false_positive_probability;
  } else if (ctx.lot.write_off != WriteOff::kNone) {  // off the count unless the visit checks
    p = ctx.present ? 0.0 : p_.write_off_checks.probability(ctx.lot.write_off);
  } else if (!ctx.present && ctx.missing_chips > 0) {
    p = p_.count_accuracy * (p_.announced ? 1.0 - p_.cover_up_probability : 1.0);
  }
  return {sim::bernoulli(ctx.rng, p) ? Verdict::kFlag : Verdict::kPass, 0.0, {}};
}

std::unique_ptr<Policy> make_end_use_check(const v1::Policy& config) {
  const v1::EndUseCheck& c = config.end_use_check();
  EndUseCheck::Parameters p;
  p.visits_per_site_per_year = positive(c.visits_per_site_per_year(), "visits_per_site_per_year");
  p.announced = c.announced();
  p.notice_days = non_negative(c.notice_days(), "notice_days");
  // Unset (0) means a perfect count: a missing lot is always noticed on a surprise visit.
  p.count_accuracy =
      c.has_count_accuracy() ? probability(c.count_accuracy(), "count_accuracy") : p.count_accuracy;
  p.cover_up_probability = probability(c.cover_up_probability(), "cover_up_probability");
  p.false_positive_probability =
      probability(c.false_positive_probability(), "false_positive_probability");
  p.write_off_checks = WriteOffChecks::from_proto(c.write_off_checks());
  return std::make_unique<EndUseCheck>(p);
}

}  // namespace chiptrail::models
