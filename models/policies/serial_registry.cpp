#include "models/policies/serial_registry.hpp"

#include <algorithm>
#include <cmath>

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

namespace {

double log_choose(double a, double b) {
  return std::lgamma(a + 1) - std::lgamma(b + 1) - std::lgamma(a - b + 1);
}

// E[q^X] for X hypergeometric: k marked among N, n drawn without replacement. Terms follow by
// the ratio P(x + 1) / P(x) = (k - x)(n - x) / ((x + 1)(N - k - n + x + 1)).
double expected_power(std::uint64_t big_n, std::uint64_t k, std::uint64_t n, double q) {
  const std::uint64_t lo = n + k > big_n ? n + k - big_n : 0;
  const std::uint64_t hi = std::min(k, n);
  const auto d = [](std::uint64_t v) { return static_cast<double>(v); };
  double term = std::exp(log_choose(d(k), d(lo)) + log_choose(d(big_n - k), d(n - lo)) -
                         log_choose(d(big_n), d(n)));
  double weight = std::pow(q, d(lo));
  double sum = term * weight;
  for (std::uint64_t x = lo; x < hi && weight > 0; ++x) {
    term *= d(k - x) * d(n - x) / (d(x + 1) * d(big_n - k - n + x + 1));
    weight *= q;
    sum += term * weight;
    if (term * weight < 1e-18 * sum && d(x) > d(n) * d(k) / d(big_n)) break;  // past the mode
  }
  return std::min(1.0, sum);
}

}  // namespace

double SerialRegistry::detection_probability(std::uint64_t missing_chips,
                                             std::uint64_t site_chips) const {
  const std::uint64_t big_n = std::max(site_chips, missing_chips);
  if (missing_chips == 0 || big_n == 0) return 0.0;
  const double q = p_.label_removal_probability;
  // The sample size f N, rounded at random between its neighbours (mean f N): mix the two.
  const double target = p_.sampling_fraction * static_cast<double>(big_n);
  const auto n0 = static_cast<std::uint64_t>(std::floor(target));
  const double up = target - static_cast<double>(n0);
  double unseen = (1 - up) * expected_power(big_n, missing_chips, n0, q);
  if (up > 0) unseen += up * expected_power(big_n, missing_chips, std::min(n0 + 1, big_n), q);
  return 1.0 - unseen;
}

Decision SerialRegistry::on_audit(const PolicyContext& ctx) const {
  // One uniform per lot and round, whatever k: the draw maps monotonically to detection, which
  // keeps common random numbers across sampling fractions.
  // Records an insider falsified show the missing chips where they are not looked for; written-off
  // chips are off the register unless the round checks the write-off.
  double p = 0;
  if (ctx.lot.diverted && ctx.lot.write_off != WriteOff::kNone) {
    p = ctx.present ? 0.0 : p_.write_off_checks.probability(ctx.lot.write_off);
  } else if (ctx.lot.diverted && !ctx.lot.insider.serials) {
    p = detection_probability(ctx.missing_chips, ctx.site_chips);
  }
  return {sim::bernoulli(ctx.rng, p) ? Verdict::kFlag : Verdict::kPass, 0.0, {}};
}

std::unique_ptr<Policy> make_serial_registry(const v1::Policy& config) {
  const v1::SerialRegistry& c = config.serial_registry();
  SerialRegistry::Parameters p;
  p.rounds_per_site_per_year = positive(c.rounds_per_site_per_year(), "rounds_per_site_per_year");
  p.sampling_fraction = probability(c.sampling_fraction(), "sampling_fraction");
  p.label_removal_probability =
      probability(c.label_removal_probability(), "label_removal_probability");
  p.write_off_checks = WriteOffChecks::from_proto(c.write_off_checks());
  return std::make_unique<SerialRegistry>(p);
}

}  // namespace chiptrail::models
