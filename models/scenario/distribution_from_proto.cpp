#include "models/scenario/distribution_from_proto.hpp"

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/policy_registry.hpp"
#include "models/scenario/input_text.hpp"

namespace chiptrail::models {
namespace {

// No time (in days) or count in a scenario needs more than a billion: larger values are
// mistakes or attacks, and would overflow the clock or memory downstream.
constexpr double kLargest = 1e9;

void bounded(const std::string& field, double x) {
  if (std::fabs(x) > kLargest) {
    throw PolicyConfigError(field, "must be at most 1e9 in size, got " + describe_number(x));
  }
}
void finite(const std::string& field, double x) {
  if (!std::isfinite(x))
    throw PolicyConfigError(field, "must be a finite number, got " + describe_number(x));
  bounded(field, x);
}
void non_negative(const std::string& field, double x, const char* what) {
  if (!(std::isfinite(x) && x >= 0)) {
    throw PolicyConfigError(
        field, std::string("must be a non-negative ") + what + ", got " + describe_number(x));
  }
  bounded(field, x);
}

}  // namespace

Distribution distribution_from_proto(const v1::Distribution& d, bool required) {
  using K = Distribution;
  switch (d.kind_case()) {
    case v1::Distribution::KIND_NOT_SET:
      if (required) {
        throw PolicyConfigError("",
                                "is required: set one of fixed, uniform, exponential, normal, "
                                "lognormal, triangular, empirical");
      }
      return {};
    case v1::Distribution::kFixed:
      non_negative("fixed", d.fixed(), "value");
      return Distribution{K::Fixed{d.fixed()}};
    case v1::Distribution::kUniform: {
      const auto& u = d.uniform();
      non_negative("uniform.min", u.min(), "value");
      finite("uniform.max", u.max());
      if (u.max() < u.min()) {
        throw PolicyConfigError("uniform.max", "must be at least min (" + describe_number(u.min()) +
                                                   "), got " + describe_number(u.max()));
      }
      return Distribution{K::Uniform{u.min(), u.max()}};
    }
    case v1::Distribution::kExponential:
      if (!(std::isfinite(d.exponential().mean()) && d.exponential().mean() > 0)) {
        throw PolicyConfigError("exponential.mean",
                                "must be positive, got " + describe_number(d.exponential().mean()));
      }
      bounded("exponential.mean", d.exponential().mean());
      return Distribution{K::Exponential{d.exponential().mean()}};
    case v1::Distribution::kNormal:
      finite("normal.mean", d.normal().mean());
      non_negative("normal.sd", d.normal().sd(), "standard deviation");
      return Distribution{K::Normal{d.normal().mean(), d.normal().sd()}};
    case v1::Distribution::kLognormal:
      finite("lognormal.mu", d.lognormal().mu());
      non_negative("lognormal.sigma", d.lognormal().sigma(), "sigma");
      // exp(mu) is the median: keep it within the same bound, and the spread sane.
      if (d.lognormal().mu() > std::log(kLargest)) {
        throw PolicyConfigError("lognormal.mu", "must be at most ln(1e9) = 20.7, got " +
                                                    describe_number(d.lognormal().mu()));
      }
      if (d.lognormal().sigma() > 10) {
        throw PolicyConfigError(
            "lognormal.sigma", "must be at most 10, got " + describe_number(d.lognormal().sigma()));
      }
      return Distribution{K::LogNormal{d.lognormal().mu(), d.lognormal().sigma()}};
    case v1::Distribution::kTriangular: {
      const auto& t = d.triangular();
      non_negative("triangular.min", t.min(), "value");
      finite("triangular.mode", t.mode());
      finite("triangular.max", t.max());
      if (!(t.min() <= t.mode() && t.mode() <= t.max())) {
        throw PolicyConfigError("triangular",
                                "needs min <= mode <= max, got " + describe_number(t.min()) + ", " +
                                    describe_number(t.mode()) + ", " + describe_number(t.max()));
      }
      return Distribution{K::Triangular{t.min(), t.mode(), t.max()}};
    }
    case v1::Distribution::kEmpirical: {
      const auto& e = d.empirical();
      if (e.values().empty())
        throw PolicyConfigError("empirical.values", "needs at least one value");
      for (int i = 0; i < e.values_size(); ++i) {
        non_negative("empirical.values[" + std::to_string(i) + "]", e.values(i), "value");
      }
      std::vector<double> weights(e.weights().begin(), e.weights().end());
      if (weights.empty()) weights.assign(static_cast<std::size_t>(e.values_size()), 1.0);
      if (weights.size() != static_cast<std::size_t>(e.values_size())) {
        throw PolicyConfigError("empirical.weights",
                                "needs one weight per value (" + std::to_string(e.values_size()) +
                                    "), got " + std::to_string(weights.size()));
      }
      double total = 0;
      for (std::size_t i = 0; i < weights.size(); ++i) {
        non_negative("empirical.weights[" + std::to_string(i) + "]", weights[i], "weight");
        total += weights[i];
      }
      if (!(total > 0)) throw PolicyConfigError("empirical.weights", "must not all be zero");
      return Distribution{
          K::Empirical{{e.values().begin(), e.values().end()}, sim::DiscreteChoice(weights)}};
    }
  }
  return {};
}

}  // namespace chiptrail::models
