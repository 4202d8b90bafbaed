#pragma once

#include <memory>

#include "models/policies/policy.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Audits of the sales and serial records at vendors, OEMs and distributors in scope, against
// insiders (Flow::insider) who wave a diverted sale through vetting or falsify its serial
// records. The records are audited `audits_per_year` times a year and an audit finds a lot's
// falsified record with `detection_probability`, so the record is found after an exponential
// time of mean 365 / (audits_per_year * detection_probability) days from the sale. Found, it is
// a confirmed case: the lot's chips still in the chain are seized, an arrived lot is flagged.
// Lots no insider handled leave nothing to find. Effort: one audit, `audits_per_year` a year
// whatever the lots do.
class InsiderAudit : public Policy {
 public:
  struct Parameters {
    double audits_per_year = 0;
    double detection_probability = 0;
  };
  explicit InsiderAudit(const Parameters& p) : p_(p) {}
  Decision on_sale(const PolicyContext& ctx) const override;
  // The delay on_sale draws is the time until an audit finds the record: the lot is found then.
  [[nodiscard]] bool delay_is_time_to_find() const override { return true; }
  [[nodiscard]] double effort_units_per_year() const override { return p_.audits_per_year; }
  // Lots no insider handled are never found; the others' fate depends on time.
  std::optional<double> memoryless_seize_probability(Stage, const Lot& lot) const override {
    if (lot.insider.any()) return std::nullopt;
    return 0.0;
  }

 private:
  Parameters p_;
};

std::unique_ptr<Policy> make_insider_audit(const v1::Policy& config);

}  // namespace chiptrail::models
