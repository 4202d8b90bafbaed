#include "sim/analysis/sensitivity.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>

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
}  // namespace

TEST_CASE("Sobol indices of the Ishigami function match their closed forms") {
  // Closed forms (Ishigami & Homma 1990; Sobol' & Levitan 1999), a = 7, b = 0.1.
  constexpr double pi = std::numbers::pi;
  const double a = 7, b = 0.1;
  const double v1 = 0.5 * std::pow(1 + b * std::pow(pi, 4) / 5, 2);
  const double v2 = a * a / 8;
  const double v13 = b * b * std::pow(pi, 8) * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  const double s[] = {v1 / v, v2 / v, 0.0};
  const double st[] = {(v1 + v13) / v, v2 / v, v13 / v};
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
