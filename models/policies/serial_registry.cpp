#include "models/policies/serial_registry.hpp"

#include <cmath>

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"
#include "sim/distributions.hpp"

namespace chiptrail::models {

double SerialRegistry::detection_probability(std::uint64_t missing_chips) const {
  const double per_chip = p_.sampling_fraction * (1.0 - p_.label_removal_probability);
  return 1.0 - std::pow(1.0 - per_chip, static_cast<double>(missing_chips));
}

Decision SerialRegistry::on_audit(const PolicyContext& ctx) const {
  // One uniform per lot and round, whatever k: the draw maps monotonically to detection, which
  // keeps common random numbers across sampling fractions.
  const double p = ctx.lot.diverted ? detection_probability(ctx.missing_chips) : 0.0;
  return {sim::bernoulli(ctx.rng, p) ? Verdict::kFlag : Verdict::kPass, 0.0, {}};
}

std::unique_ptr<Policy> make_serial_registry(const v1::Policy& config) {
  const v1::SerialRegistry& c = config.serial_registry();
  SerialRegistry::Parameters p;
  p.rounds_per_site_per_year = positive(c.rounds_per_site_per_year(), "rounds_per_site_per_year");
  p.sampling_fraction = probability(c.sampling_fraction(), "sampling_fraction");
  p.label_removal_probability =
      probability(c.label_removal_probability(), "label_removal_probability");
  return std::make_unique<SerialRegistry>(p);
}

}  // namespace chiptrail::models
