#pragma once

#include <memory>

#include "models/policies/policy.hpp"
#include "models/policies/write_off_checks.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// End-use checks (site audits) at data centers. The model visits each site in scope at
// `visits_per_site_per_year` and asks about every lot on record there. A lot still installed
// passes -- a phantom data center passes the visit, then dismantles. A lot gone is found missing
// with `count_accuracy`; with announced visits the site had `notice_days` to prepare, covers up
// with `cover_up_probability`, and diverters hold removals until the visit is over. Chips
// written off through the second-hand market are off the count: a visit finds them only by
// checking the write-off (WriteOffChecks).
class EndUseCheck : public Policy {
 public:
  struct Parameters {
    double visits_per_site_per_year = 0;
    bool announced = false;
    double notice_days = 0;
    double count_accuracy = 1;
    double cover_up_probability = 0;
    double false_positive_probability = 0;
    WriteOffChecks write_off_checks = {};
  };
  explicit EndUseCheck(const Parameters& p) : p_(p) {}
  double audits_per_site_per_year() const override { return p_.visits_per_site_per_year; }
  sim::Time audit_notice() const override;
  Decision on_audit(const PolicyContext& ctx) const override;

 private:
  Parameters p_;
};

std::unique_ptr<Policy> make_end_use_check(const v1::Policy& config);

}  // namespace chiptrail::models
