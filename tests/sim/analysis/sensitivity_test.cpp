#include "sim/analysis/sensitivity.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <random>

#include "sim/analysis/designs.hpp"

using namespace chiptrail::sim;

namespace {
// Ishigami: f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi); a = 7, b = 0.1.
double ishigami(const std::vector<double>& unit) {
  constexpr double pi = std::numbers::pi;
  const double x1 = -pi + 2 * pi * unit[0], x2 = -pi + 2 * pi * unit[1],
               x3 = -pi + 2 * pi * unit[2];
  return std::sin(x1) + 7 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

// Ishigami's indices in closed form (Ishigami & Homma 1990; Sobol' & Levitan 1999), a = 7,
// b = 0.1, and its variance.
struct IshigamiIndices {
  double variance;
  double first[3];
  double total[3];
};
IshigamiIndices ishigami_indices() {
  constexpr double pi = std::numbers::pi;
  const double a = 7, b = 0.1;
  const double v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2);
  const double v2 = a * a / 8;
  const double v13 = b * b * std::pow(pi, 8) * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  return {v, {v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}
}  // namespace

TEST_CASE("Sobol indices of the Ishigami function match their closed forms") {
  const IshigamiIndices truth = ishigami_indices();
  const double* s = truth.first;
  const double* st = truth.total;
  CHECK(s[0] == doctest::Approx(0.3139).epsilon(1e-3));
  CHECK(st[2] == doctest::Approx(0.2437).epsilon(1e-3));

  const auto design = saltelli(3, 8192, 11);
  std::vector<double> y;
  for (const auto& p : design) y.push_back(ishigami(p.coordinates));
  const auto idx = sobol_indices(y, 3, 1000, 5, 0.999);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    // The true indices lie in the 99.9% bootstrap intervals, which are informative.
    CHECK(idx[i].first_ci.contains(s[i]));
    CHECK(idx[i].total_ci.contains(st[i]));
    CHECK(idx[i].total_ci.high - idx[i].total_ci.low < 0.1);
  }
}

TEST_CASE("Sobol indices do not depend on the output's mean: Ishigami + 1000") {
  // Uncentred, Saltelli's first-order estimator's variance grows with mean^2 / variance: its
  // interval for Ishigami + 1000 was ~50 times as wide as for Ishigami.
  const IshigamiIndices truth = ishigami_indices();
  const auto design = saltelli(3, 2048, 12);
  std::vector<double> y, shifted;
  for (const auto& p : design) {
    y.push_back(ishigami(p.coordinates));
    shifted.push_back(y.back() + 1000);
  }
  const auto plain = sobol_indices(y, 3, 1000, 5, 0.999);
  const auto moved = sobol_indices(shifted, 3, 1000, 5, 0.999);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(moved[i].first == doctest::Approx(plain[i].first).epsilon(1e-6));
    CHECK(moved[i].first_ci.contains(truth.first[i]));
    CHECK(moved[i].total_ci.contains(truth.total[i]));
    const double width = moved[i].first_ci.high - moved[i].first_ci.low;
    CHECK(width <= 1.2 * (plain[i].first_ci.high - plain[i].first_ci.low));
  }
}

TEST_CASE("Sobol indices corrected for replication noise: a dummy factor's total covers 0") {
  // Ishigami of x1..x3 and a fourth factor that does nothing, 4 replications a point with
  // noise half the variance of the point means. Without common random numbers each value
  // has its own N(0, 4 V) noise; with them, replication r of every point shares z_r and w_r
  // in f (1 + 0.3 w_r) + sqrt(4 V) z_r, which leaves the indices of the point means as they
  // are. Uncorrected, the dummy's total index is about the noise share (0.5).
  const IshigamiIndices truth = ishigami_indices();
  constexpr std::size_t k = 4, replications = 4;
  const auto design = saltelli(k, 4096, 13);
  const double sigma = std::sqrt(4 * truth.variance);
  for (const bool common : {false, true}) {
    CAPTURE(common);
    std::mt19937_64 rng(common ? 7 : 8);
    std::normal_distribution<double> normal(0, 1);
    std::vector<double> z(replications), w(replications);
    for (std::size_t r = 0; r < replications; ++r) z[r] = normal(rng), w[r] = normal(rng);
    std::vector<std::vector<double>> values;
    std::vector<double> means;
    for (const auto& p : design) {
      const double f = ishigami(p.coordinates);
      std::vector<double>& point = values.emplace_back();
      for (std::size_t r = 0; r < replications; ++r) {
        point.push_back(common ? f * (1 + 0.3 * w[r]) + sigma * z[r] : f + sigma * normal(rng));
      }
      means.push_back((point[0] + point[1] + point[2] + point[3]) / 4);
    }
    const SobolResult result = sobol_indices(values, k, 1000, 5, 0.999);
    if (!common) CHECK(result.noise_share == doctest::Approx(0.5).epsilon(0.1));
    for (std::size_t i = 0; i < 3; ++i) {
      CAPTURE(i);
      CHECK(result.indices[i].first_ci.contains(truth.first[i]));
      CHECK(result.indices[i].total_ci.contains(truth.total[i]));
    }
    CHECK(result.indices[3].total_ci.contains(0.0));
    CHECK(result.indices[3].first_ci.contains(0.0));
    // The same design read from the means alone: the dummy looks influential.
    if (!common) CHECK(sobol_indices(means, k, 1000, 5, 0.999)[3].total_ci.low > 0.3);
  }
}

TEST_CASE("Morris measures: a linear function's elementary effects are its slopes") {
  // y = 3 x1 - 2 x2 + 0 x3 (in unit coordinates): mu = slope, mu* = |slope|, sigma = 0.
  const std::size_t k = 3, r = 10;
  const auto design = morris(k, r, 4, 2);
  std::vector<double> y;
  std::vector<std::size_t> moved;
  std::vector<double> step;
  for (std::size_t p = 0; p < design.size(); ++p) {
    const auto& x = design[p].coordinates;
    y.push_back(3 * x[0] - 2 * x[1]);
    if (p % (k + 1) == 0) {
      moved.push_back(0);
      step.push_back(0);
      continue;
    }
    const auto& prev = design[p - 1].coordinates;
    std::size_t f = 0;
    while (x[f] == prev[f]) ++f;
    moved.push_back(f);
    step.push_back(x[f] - prev[f]);
  }
  const auto m = morris_measures(y, moved, step, k, r);
  CHECK(m[0].mu == doctest::Approx(3.0));
  CHECK(m[0].mu_star == doctest::Approx(3.0));
  CHECK(m[1].mu == doctest::Approx(-2.0));
  CHECK(m[1].mu_star == doctest::Approx(2.0));
  CHECK(m[2].mu_star == doctest::Approx(0.0));
  CHECK(m[0].sigma == doctest::Approx(0.0).epsilon(1e-9));
  CHECK(m[0].effects == r);
}
