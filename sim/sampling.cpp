#include "sim/sampling.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "sim/normal_quantile.hpp"

namespace chiptrail::sim {

double exponential(RandomStream& rs, double mean) {
  return -mean * std::log(rs.uniform01());
}

std::uint64_t geometric(RandomStream& rs, double p) {
  constexpr auto kNever = std::numeric_limits<std::uint64_t>::max();
  if (!(p > 0)) return kNever;
  if (p >= 1) return 0;
  const double failures = std::floor(std::log(rs.uniform01()) / std::log1p(-p));
  return failures < 0x1p63 ? static_cast<std::uint64_t>(failures) : kNever;
}

double normal(RandomStream& rs, double mean, double sd) {
  return mean + sd * normal_quantile(rs.uniform01());
}

double lognormal(RandomStream& rs, double mu, double sigma) {
  return std::exp(normal(rs, mu, sigma));
}

double triangular(RandomStream& rs, double lo, double mode, double hi) {
  const double u = rs.uniform01();
  const double width = hi - lo;
  if (width <= 0.0) return lo;
  const double split = (mode - lo) / width;
  if (u < split) return lo + std::sqrt(u * width * (mode - lo));
  return hi - std::sqrt((1.0 - u) * width * (hi - mode));
}

double gamma(RandomStream& rs, double shape) {
  if (shape < 1.0) return gamma(rs, shape + 1.0) * std::pow(rs.uniform01(), 1.0 / shape);
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    const double x = normal(rs, 0.0, 1.0);
    const double v0 = 1.0 + c * x;
    if (v0 <= 0.0) continue;
    const double v = v0 * v0 * v0;
    const double u = rs.uniform01();
    if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
    if (std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
  }
}

double beta(RandomStream& rs, double a, double b) {
  const double x = gamma(rs, a);
  const double y = gamma(rs, b);
  return x / (x + y);
}

std::int64_t poisson(RandomStream& rs, double mean) {
  if (!(mean > 0.0)) return 0;
  if (mean < 30.0) {
    const double u = rs.uniform01();
    double p = std::exp(-mean);
    double cdf = p;
    std::int64_t k = 0;
    // The cap only matters when rounding leaves cdf a hair under u in the far tail.
    while (u > cdf && k < 1000) {
      ++k;
      p *= mean / static_cast<double>(k);
      cdf += p;
    }
    return k;
  }
  // PTRS: W. Hörmann, "The transformed rejection method for generating Poisson random
  // variables", Insurance: Mathematics and Economics 12 (1993).
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = rs.uniform01() - 0.5;
    const double v = rs.uniform01();
    const double us = 0.5 - std::fabs(u);
    const double k = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<std::int64_t>(k);
    if (k < 0.0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + k * loglam - std::lgamma(k + 1.0)) {
      return static_cast<std::int64_t>(k);
    }
  }
}

DiscreteChoice::DiscreteChoice(std::span<const double> weights) {
  cumulative_.reserve(weights.size());
  double total = 0.0;
  for (double w : weights) {
    if (!(w >= 0.0) || !std::isfinite(w)) {
      throw std::invalid_argument("DiscreteChoice: weights must be finite and non-negative");
    }
    total += w;
    cumulative_.push_back(total);
  }
  if (!(total > 0.0)) throw std::invalid_argument("DiscreteChoice: weights must not all be zero");
}

std::size_t DiscreteChoice::operator()(RandomStream& rs) const {
  const double target = rs.uniform01() * cumulative_.back();
  // First index whose cumulative weight exceeds the target; zero-weight entries are never chosen.
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), target);
  return std::min(static_cast<std::size_t>(it - cumulative_.begin()), cumulative_.size() - 1);
}

double DiscreteChoice::probability(std::size_t i) const {
  const double prev = i == 0 ? 0.0 : cumulative_[i - 1];
  return (cumulative_[i] - prev) / cumulative_.back();
}

}  // namespace chiptrail::sim
