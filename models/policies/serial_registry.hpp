#pragma once

#include <memory>

#include "models/policies/policy.hpp"
#include "models/policies/write_off_checks.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Serial-number registry with random possession checks at the sites chips were sold to. Each
// round (at `rounds_per_site_per_year`) draws n = f N of the site's N registered chips without
// replacement (n rounded at random to a neighbouring integer with mean f N); a lot with k chips
// missing is found when a sampled missing chip cannot be shown, except where its label was moved
// to a decoy (probability q each). The number X of its missing chips in the sample is
// hypergeometric (N, k, n), so P(found) = 1 - E[q^X] (DOMAIN.md case 2: about 1 - (1 - f)^k
// for large sites). Each lot's chance is exact; lots at one site are decided independently,
// though one real sample would couple them. A lot whose records an insider falsified
// (Lot::insider) is never found: its chips are on record elsewhere. Chips written off through
// the second-hand market are off the register: a round finds them only by checking the
// write-off (WriteOffChecks).
class SerialRegistry : public Policy {
 public:
  struct Parameters {
    double rounds_per_site_per_year = 0;
    double sampling_fraction = 0;
    double label_removal_probability = 0;
    WriteOffChecks write_off_checks = {};
  };
  explicit SerialRegistry(const Parameters& p) : p_(p) {}
  double audits_per_site_per_year() const override { return p_.rounds_per_site_per_year; }
  Decision on_audit(const PolicyContext& ctx) const override;
  // The probability above for k = missing_chips at a site of site_chips registered chips.
  [[nodiscard]] double detection_probability(std::uint64_t missing_chips,
                                             std::uint64_t site_chips) const;

 private:
  Parameters p_;
};

std::unique_ptr<Policy> make_serial_registry(const v1::Policy& config);

}  // namespace chiptrail::models
