// models::Distribution: the density of every kind that has one integrates to 1, has the
// distribution's mean, and matches where the draws fall.
#include "models/distribution.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "sim/analysis/intervals.hpp"
#include "sim/random_stream.hpp"

using namespace chiptrail;
using models::Distribution;

namespace {

// Trapezoid rule over [lo, hi] with n steps.
template <class F>
double integrate(F f, double lo, double hi, int n = 200000) {
  const double h = (hi - lo) / n;
  double sum = (f(lo) + f(hi)) / 2;
  for (int i = 1; i < n; ++i) sum += f(lo + i * h);
  return sum * h;
}

struct Case {
  const char* name;
  Distribution d;
  double lo, hi;  // covers all but a negligible tail
};

std::vector<Case> cases() {
  return {
      {"uniform", Distribution(Distribution::Uniform{2, 5}), 1, 6},
      {"exponential", Distribution(Distribution::Exponential{3}), 0, 120},
      {"normal", Distribution(Distribution::Normal{10, 2}), -10, 30},
      {"lognormal", Distribution(Distribution::LogNormal{1, 0.5}), 1e-9, 80},
      {"triangular", Distribution(Distribution::Triangular{1, 2, 6}), 0, 7},
  };
}

}  // namespace

TEST_CASE("a density integrates to 1 and has the distribution's mean") {
  for (const Case& c : cases()) {
    CAPTURE(c.name);
    const auto f = [&](double x) { return *c.d.density(x); };
    CHECK(integrate(f, c.lo, c.hi) == doctest::Approx(1).epsilon(1e-3));
    CHECK(integrate([&](double x) { return x * f(x); }, c.lo, c.hi) ==
          doctest::Approx(c.d.mean()).epsilon(1e-3));
  }
  CHECK_FALSE(Distribution(Distribution::Fixed{3}).density(3).has_value());
}

TEST_CASE("draws fall in an interval as often as the density says") {
  // For three intervals per kind, the share of 20,000 draws inside must lie in the 99.9% Wilson
  // interval around the density's integral over it.
  for (const Case& c : cases()) {
    CAPTURE(c.name);
    sim::RandomStream rs({5, 0, sim::stream_key(c.name), 0});
    std::vector<double> draws;
    for (int i = 0; i < 20000; ++i) draws.push_back(c.d.sample(rs, false));
    const double m = c.d.mean();
    // A plain pair, not a structured binding: clang 14 cannot capture bindings in CAPTURE.
    for (const std::pair<double, double>& range :
         {std::pair{c.lo, m}, std::pair{m * 0.8, m * 1.2}, std::pair{m, c.hi}}) {
      const double a = range.first;
      const double b = range.second;
      const double p = integrate([&](double x) { return *c.d.density(x); }, a, b, 20000);
      std::uint64_t inside = 0;
      for (const double x : draws) inside += (x >= a && x <= b) ? 1 : 0;
      CAPTURE(a);
      CAPTURE(b);
      CHECK(sim::wilson_interval(inside, draws.size(), 0.999).contains(p));
    }
  }
}

TEST_CASE("survival is one minus the integral of the density, and exact for the discrete kinds") {
  for (const Case& c : cases()) {
    CAPTURE(c.name);
    for (const double x : {0.5 * c.d.mean(), c.d.mean(), 1.7 * c.d.mean()}) {
      CAPTURE(x);
      const double below = integrate([&](double y) { return *c.d.density(y); }, c.lo, x, 20000);
      CHECK(c.d.survival(x) == doctest::Approx(1 - below).epsilon(1e-4));
    }
  }
  const Distribution fixed(Distribution::Fixed{5});
  CHECK(fixed.survival(4.9) == 1);
  CHECK(fixed.survival(5) == 0);
  CHECK(Distribution(Distribution::Triangular{0, 0, 10}).survival(0) == 1);
  CHECK(Distribution(Distribution::Triangular{0, 0, 10}).survival(5) == doctest::Approx(0.25));
  const Distribution empirical(
      Distribution::Empirical{{1, 2, 3}, sim::DiscreteChoice(std::vector<double>{1, 1, 2})});
  CHECK(empirical.survival(2) == doctest::Approx(0.5));
  CHECK(empirical.survival(0.5) == doctest::Approx(1));
}

TEST_CASE("quantile inverts the distribution function: the density integrates to p below it") {
  for (const Case& c : cases()) {
    for (const double p : {0.01, 0.3, 0.5, 0.9, 0.99}) {
      CAPTURE(c.name);
      CAPTURE(p);
      const double q = c.d.quantile(p);
      const double mass = integrate([&](double x) { return *c.d.density(x); }, c.lo, q);
      CHECK(mass == doctest::Approx(p).epsilon(1e-4));
    }
  }
  // Empirical: the smallest value whose cumulative probability reaches p.
  const std::vector<double> weights{1, 1, 2};
  const Distribution e(Distribution::Empirical{{3, 1, 2}, chiptrail::sim::DiscreteChoice(weights)});
  CHECK(e.quantile(0.2) == 1);
  CHECK(e.quantile(0.3) == 2);  // sorted: 1 (0.25), 2 (0.5), 3 (0.25)
  CHECK(e.quantile(0.8) == 3);
  CHECK(Distribution(Distribution::Fixed{7}).quantile(0.4) == 7);
}

TEST_CASE("the support holds every draw, and the density is zero outside it") {
  // ABC moves each prior's parameter on the scale that maps its support onto the line, so a
  // support narrower than the draws would reject real values, and a wider one waste proposals.
  for (const Case& c : cases()) {
    CAPTURE(c.name);
    const Distribution::Support s = c.d.support();
    sim::RandomStream rs({5, 0, sim::stream_key("support"), 0});
    for (int i = 0; i < 20000; ++i) {
      const double x = c.d.sample(rs, false);
      REQUIRE(x >= s.lower);
      REQUIRE(x <= s.upper);
    }
    if (std::isfinite(s.lower)) CHECK(*c.d.density(s.lower - 1e-9) == 0);
    if (std::isfinite(s.upper)) CHECK(*c.d.density(s.upper + 1e-9) == 0);
  }
  CHECK(std::isinf(Distribution(Distribution::Normal{0, 1}).support().lower));
  CHECK(Distribution(Distribution::Exponential{2}).support().lower == 0);
  CHECK(std::isinf(Distribution(Distribution::LogNormal{0, 1}).support().upper));
}
