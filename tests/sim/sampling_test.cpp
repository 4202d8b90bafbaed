#include "sim/sampling.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <utility>
#include <vector>

#include "sim/analysis/intervals.hpp"
#include "sim/normal_quantile.hpp"
#include "sim/running_stats.hpp"

using namespace chiptrail::sim;

namespace {

// True moments of a distribution: mean, variance, and fourth central moment (which sets the
// sampling variance of the sample variance: Var(s²) ≈ (μ4 − σ⁴)/n).
struct Moments {
  double mean;
  double variance;
  double mu4;
};

Moments from_raw(double m1, double m2, double m3, double m4) {
  return {m1, m2 - m1 * m1, m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 * m1 * m1 * m1};
}

// Checks sample mean and variance against the truth. z = 4.5 two-sided: with the fixed seeds
// used here a false alarm has probability about 7e-6 per check, and a real error (a wrong
// formula, a biased sampler) shows up at many standard errors.
void check_moments(const std::function<double(RandomStream&)>& draw, const Moments& truth,
                   std::uint64_t seed, int n = 200000) {
  RandomStream rs({seed, 0, stream_key("distribution-test"), 0});
  RunningStats stats;
  for (int i = 0; i < n; ++i) stats.add(draw(rs));
  constexpr double z = 4.5;
  const double dn = n;
  const double mean_se = std::sqrt(truth.variance / dn);
  const double var_se = std::sqrt((truth.mu4 - truth.variance * truth.variance) / dn);
  CHECK(std::abs(stats.mean() - truth.mean) < z * mean_se);
  CHECK(std::abs(stats.variance() - truth.variance) < z * var_se);
}

}  // namespace

TEST_CASE("uniform: mean and variance") {
  const double a = -2, b = 5, w = b - a;
  check_moments([&](RandomStream& rs) { return uniform(rs, a, b); },
                {(a + b) / 2, w * w / 12, std::pow(w, 4) / 80}, 1);
}

TEST_CASE("exponential: mean and variance") {
  const double m = 3.5;
  check_moments([&](RandomStream& rs) { return exponential(rs, m); },
                {m, m * m, 9 * std::pow(m, 4)}, 2);
}

TEST_CASE("normal: mean and variance") {
  const double mu = 10, sd = 2.5;
  check_moments([&](RandomStream& rs) { return normal(rs, mu, sd); },
                {mu, sd * sd, 3 * std::pow(sd, 4)}, 3);
}

TEST_CASE("lognormal: mean and variance") {
  const double mu = 0.5, s = 0.4;
  auto raw = [&](double k) { return std::exp(k * mu + k * k * s * s / 2); };
  check_moments([&](RandomStream& rs) { return lognormal(rs, mu, s); },
                from_raw(raw(1), raw(2), raw(3), raw(4)), 4);
}

TEST_CASE("triangular: mean and variance") {
  const double a = 1, c = 2, b = 6;
  const double var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
  // Excess kurtosis of any triangular distribution is −3/5, so μ4 = 2.4 σ⁴.
  check_moments([&](RandomStream& rs) { return triangular(rs, a, c, b); },
                {(a + b + c) / 3, var, 2.4 * var * var}, 5);
}

TEST_CASE("gamma: mean and variance, above and below shape 1") {
  for (const double k : {0.4, 1.0, 3.7}) {
    CAPTURE(k);
    check_moments([&](RandomStream& rs) { return gamma(rs, k); },
                  from_raw(k, k * (k + 1), k * (k + 1) * (k + 2), k * (k + 1) * (k + 2) * (k + 3)),
                  11);
  }
}

TEST_CASE("beta: mean and variance") {
  for (const auto& shapes : {std::pair{2.0, 5.0}, std::pair{0.5, 0.5}, std::pair{30.0, 3.0}}) {
    const double a = shapes.first;  // named copies: clang 14 lambdas cannot capture bindings
    const double b = shapes.second;
    CAPTURE(a);
    CAPTURE(b);
    // Raw moments E[X^r] = prod_{i<r} (a + i) / (a + b + i).
    double m[5] = {1, 0, 0, 0, 0};
    for (int r = 1; r <= 4; ++r) m[r] = m[r - 1] * (a + r - 1) / (a + b + r - 1);
    check_moments([&](RandomStream& rs) { return beta(rs, a, b); },
                  from_raw(m[1], m[2], m[3], m[4]), 12);
  }
}

TEST_CASE("bernoulli: mean and variance") {
  const double p = 0.24;
  check_moments([&](RandomStream& rs) { return bernoulli(rs, p) ? 1.0 : 0.0; },
                {p, p * (1 - p), p * (1 - p) * (1 - 3 * p + 3 * p * p)}, 6);
}

TEST_CASE("poisson by inversion (small mean) and by PTRS (large mean)") {
  for (const double lambda : {0.3, 4.0, 29.0, 30.0, 250.0}) {
    CAPTURE(lambda);
    check_moments([&](RandomStream& rs) { return static_cast<double>(poisson(rs, lambda)); },
                  {lambda, lambda, lambda * (1 + 3 * lambda)}, 7);
  }
  RandomStream rs({1, 0, 0, 0});
  CHECK(poisson(rs, 0.0) == 0);
  CHECK(poisson(rs, -1.0) == 0);
}

TEST_CASE("geometric: failures before the first success, mean and variance; edge cases") {
  for (const double p : {0.9, 0.3, 0.01}) {
    CAPTURE(p);
    const double q = 1 - p;
    check_moments([&](RandomStream& rs) { return static_cast<double>(geometric(rs, p)); },
                  {q / p, q / (p * p), q * (9 - 9 * p + p * p) / std::pow(p, 4)}, 9);
  }
  RandomStream rs({1, 0, 0, 0});
  CHECK(geometric(rs, 1.0) == 0);
  CHECK(geometric(rs, 0.0) == std::numeric_limits<std::uint64_t>::max());
  CHECK(geometric(rs, 1e-300) > (std::uint64_t{1} << 62));  // never, in practice
}

TEST_CASE("discrete choice follows its weights; zero weights are never chosen") {
  const std::vector<double> weights{1.0, 0.0, 3.0, 6.0};
  DiscreteChoice choice(weights);
  CHECK(choice.probability(2) == doctest::Approx(0.3));
  RandomStream rs({8, 0, 0, 0});
  std::vector<std::uint64_t> counts(weights.size(), 0);
  const std::uint64_t n = 100000;
  for (std::uint64_t i = 0; i < n; ++i) ++counts[choice(rs)];
  CHECK(counts[1] == 0);
  for (std::size_t i = 0; i < weights.size(); ++i) {
    CAPTURE(i);
    // 99.999% Wilson interval on each observed frequency must contain the true probability.
    CHECK(wilson_interval(counts[i], n, 0.99999).contains(choice.probability(i)));
  }
  CHECK_THROWS(DiscreteChoice(std::vector<double>{0.0, 0.0}));
  CHECK_THROWS(DiscreteChoice(std::vector<double>{1.0, -1.0}));
}

TEST_CASE("inverse-CDF samplers are monotone in their uniform (common random numbers)") {
  // Two streams at the same address give the same uniform; a larger mean must give a larger
  // exponential draw from it, draw by draw.
  RandomStream a({11, 0, 0, 0}), b({11, 0, 0, 0});
  for (int i = 0; i < 1000; ++i) CHECK(exponential(a, 1.0) < exponential(b, 2.0));
}

TEST_CASE("normal quantile against published values") {
  CHECK(normal_quantile(0.5) == 0.0);
  CHECK(normal_quantile(0.975) == doctest::Approx(1.959963984540054).epsilon(1e-14));
  CHECK(normal_quantile(0.995) == doctest::Approx(2.5758293035489004).epsilon(1e-14));
  CHECK(normal_quantile(0.025) == doctest::Approx(-1.959963984540054).epsilon(1e-14));
  CHECK(normal_quantile(1e-10) == doctest::Approx(-6.361340902404056).epsilon(1e-12));
  CHECK(std::isinf(normal_quantile(1.0)));
  CHECK(std::isnan(normal_quantile(1.5)));
}
