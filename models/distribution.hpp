#pragma once

#include <optional>
#include <variant>
#include <vector>

#include "sim/random_stream.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

// A validated random quantity from a scenario (the proto Distribution message as a value).
class Distribution {
 public:
  struct Fixed {
    double value;
  };
  struct Uniform {
    double min, max;
  };
  struct Exponential {
    double mean;
  };
  struct Normal {
    double mean, sd;
  };
  struct LogNormal {
    double mu, sigma;
  };
  struct Triangular {
    double min, mode, max;
  };
  struct Empirical {
    std::vector<double> values;
    sim::DiscreteChoice choice;
  };
  using Kind = std::variant<Fixed, Uniform, Exponential, Normal, LogNormal, Triangular, Empirical>;

  Distribution() : kind_(Fixed{0.0}) {}
  explicit Distribution(Kind k) : kind_(std::move(k)) {}

  // A draw, never negative when `non_negative` (times and counts): normals are truncated at 0
  // by clamping, which the README documents.
  [[nodiscard]] double sample(sim::RandomStream& rs, bool non_negative = true) const;
  [[nodiscard]] double mean() const;
  // The value below which a share p in (0, 1) of draws fall (as drawn with non_negative
  // false): its inverse distribution function; for an empirical one the smallest value whose
  // cumulative probability reaches p.
  [[nodiscard]] double quantile(double p) const;
  // The probability density at x (as drawn with non_negative false); none for fixed and
  // empirical distributions, which have no density.
  [[nodiscard]] std::optional<double> density(double x) const;
  // The smallest interval holding every draw (as drawn with non_negative false): infinite ends
  // where there is no bound (a normal's both, an exponential's and a lognormal's upper one).
  struct Support {
    double lower, upper;
  };
  [[nodiscard]] Support support() const;
  // P(X > x) for x >= 0, X as drawn with non_negative true (a lifetime outlasting x).
  [[nodiscard]] double survival(double x) const;
  [[nodiscard]] const Kind& kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace chiptrail::models
