#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/random_stream.hpp"

namespace chiptrail::sim {

// Sampling from the standard distributions (sim/sampling; the scenario's configured
// Distribution is models/distribution, read from its proto by scenario/distribution_from_proto).
// Sampling functions written in the project on top of RandomStream::uniform01, by inverse CDF
// where a closed form exists, so that a seed gives the same numbers with every standard library
// (std:: distributions do not) and a draw maps monotonically to its uniform (good for common
// random numbers). Parameters are assumed valid; validation belongs to whoever reads them.

inline double uniform(RandomStream& rs, double lo, double hi) {
  return lo + (hi - lo) * rs.uniform01();
}

// Exponential with the given mean (= 1/rate).
double exponential(RandomStream& rs, double mean);

double normal(RandomStream& rs, double mean, double sd);

// Lognormal: exp(N(mu, sigma)), with mu and sigma those of the underlying normal.
double lognormal(RandomStream& rs, double mu, double sigma);

// Triangular on [lo, hi] with the given mode.
double triangular(RandomStream& rs, double lo, double mode, double hi);

// Gamma with the given shape (scale 1): Marsaglia and Tsang's squeeze, "A simple method for
// generating gamma variables", ACM TOMS 26 (2000); shapes below 1 by Gamma(a + 1) U^(1/a).
double gamma(RandomStream& rs, double shape);

// Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
double beta(RandomStream& rs, double a, double b);

inline bool bernoulli(RandomStream& rs, double p) {
  return rs.uniform01() < p;
}

// The number of failures before the first success in independent trials that each succeed with
// probability p (geometric on {0, 1, ...}), by inversion: floor(log U / log(1 - p)). p >= 1
// gives 0; p <= 0, or a count beyond 2^63, gives the largest value (never, in practice).
std::uint64_t geometric(RandomStream& rs, double p);

// Poisson with the given mean: inversion below 30, Hörmann's PTRS rejection above (as numpy).
std::int64_t poisson(RandomStream& rs, double mean);

// Picks index i with probability weights[i] / sum(weights), by one uniform and a binary search
// over the cumulative weights. Weights must be non-negative with a positive sum.
class DiscreteChoice {
 public:
  explicit DiscreteChoice(std::span<const double> weights);
  std::size_t operator()(RandomStream& rs) const;
  [[nodiscard]] std::size_t size() const { return cumulative_.size(); }
  [[nodiscard]] double probability(std::size_t i) const;

 private:
  std::vector<double> cumulative_;
};

}  // namespace chiptrail::sim
