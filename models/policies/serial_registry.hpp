#pragma once

#include <memory>

#include "models/policies/policy.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Serial-number registry with random possession checks at the sites chips were sold to. Each
// round (at `rounds_per_site_per_year`) samples a fraction f of the registered chips; a lot
// with k chips missing is found when a sampled missing chip cannot be shown, except where its
// label was moved to a decoy (probability q): P = 1 - (1 - f (1 - q))^k, DOMAIN.md case 2.
class SerialRegistry : public Policy {
 public:
  struct Parameters {
    double rounds_per_site_per_year = 0;
    double sampling_fraction = 0;
    double label_removal_probability = 0;
  };
  explicit SerialRegistry(const Parameters& p) : p_(p) {}
  double audits_per_site_per_year() const override { return p_.rounds_per_site_per_year; }
  Decision on_audit(const PolicyContext& ctx) const override;
  // The closed form above, for tests and the analytic solver.
  [[nodiscard]] double detection_probability(std::uint64_t missing_chips) const;

 private:
  Parameters p_;
};

std::unique_ptr<Policy> make_serial_registry(const v1::Policy& config);

}  // namespace chiptrail::models
