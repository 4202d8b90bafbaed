// The effect of a variant by period: its paired differences, the test of equal effects across
// periods, and the transient, on replications built with known per-period counts.
#include "models/period_effects.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "models/metric_glossary.hpp"

using namespace chiptrail::models;

namespace {

const std::string kMetric = "h100e_delivered_restricted";

// Replications whose per-period count of kMetric is `value(period, replication)`.
template <typename Value>
std::vector<RunMetrics> runs_of(std::size_t replications, std::size_t periods, Value value) {
  const std::vector<std::string>& names = period_metric_names();
  const auto column =
      static_cast<std::size_t>(std::find(names.begin(), names.end(), kMetric) - names.begin());
  std::vector<RunMetrics> out(replications);
  for (std::size_t r = 0; r < replications; ++r) {
    out[r].periods.assign(periods, std::vector<double>(names.size(), 0.0));
    for (std::size_t k = 0; k < periods; ++k) out[r].periods[k][column] = value(k, r);
  }
  return out;
}

}  // namespace

TEST_CASE("period_effects: a steady effect passes the test, one that moves is flagged") {
  // Six years, the first a warm-up: five counted periods. Base counts ~ N(1000, 50^2) per
  // period with a replication-level level shared by its periods (correlation); the variant
  // removes `effect(k)` plus noise.
  std::mt19937_64 rng(40);
  std::normal_distribution<double> normal(0, 1);
  std::vector<double> level(200), noise(200 * 6);
  for (double& x : level) x = 30 * normal(rng);
  for (double& x : noise) x = 40 * normal(rng);
  const auto base = runs_of(200, 6, [&](std::size_t k, std::size_t r) {
    return 1000 + level[r] + 10.0 * static_cast<double>(k);
  });
  for (const bool steady : {true, false}) {
    CAPTURE(steady);
    const auto variant = runs_of(200, 6, [&](std::size_t k, std::size_t r) {
      const double effect = !steady && k == 1 ? 150 : 100;
      return 1000 + level[r] + 10.0 * static_cast<double>(k) - effect + noise[r * 6 + k];
    });
    const PeriodEffects e = period_effects(base, variant, kMetric, 365, 365, 6 * 365, 0.95);
    CHECK(e.first_period == 1);
    REQUIRE(e.by_period.size() == 5);
    double sum = 0;
    for (std::size_t r = 0; r < 200; ++r) sum += noise[r * 6 + 1];
    CHECK(e.by_period[0].mean == doctest::Approx(-(steady ? 100 : 150) + sum / 200));
    REQUIRE(e.equal_effects.valid);
    CHECK(e.equal_effects.df1 == 4);
    if (steady) CHECK(e.equal_effects.p_value > 0.05);
    if (!steady) CHECK(e.equal_effects.p_value < 1e-6);
    CHECK((describe_period_effects(e).find("Warning: the effect differs") != std::string::npos) ==
          !steady);
    CHECK_FALSE(e.transient_assessed);  // six periods are too few to place a transient
  }
}

TEST_CASE("period_effects: a period cut by the horizon is left out; one counted is not tested") {
  const auto base =
      runs_of(50, 6, [](std::size_t, std::size_t r) { return 100.0 + static_cast<double>(r % 7); });
  const auto variant =
      runs_of(50, 6, [](std::size_t, std::size_t r) { return 90.0 + static_cast<double>(r % 5); });
  CHECK(period_effects(base, variant, kMetric, 365, 0, 2000, 0.95).by_period.size() == 5);
  const PeriodEffects one = period_effects(base, variant, kMetric, 365, 365, 730, 0.95);
  CHECK(one.by_period.size() == 1);
  CHECK_FALSE(one.equal_effects.valid);
  CHECK(describe_period_effects(one).find("not tested") != std::string::npos);
  // A warm-up that is not a whole number of periods starts the count at the next period.
  CHECK(period_effects(base, variant, kMetric, 365, 400, 2190, 0.95).first_period == 2);
}

TEST_CASE("period_effects: MSER places a pipeline's fill and warns past the warm-up") {
  // 60 monthly periods; deliveries rise as 1000 (1 - exp(-k / 4)) from an empty pipeline, the
  // variant delivers 80% of it, with noise of 2 on the replication averages: the transient of
  // the effect is over (below the noise) after about 25 months, where MSER must cut, leaving
  // the steady effect of -200 within 1%.
  std::mt19937_64 rng(41);
  std::normal_distribution<double> normal(0, 1);
  std::vector<double> noise(100 * 60 * 2);
  for (double& x : noise) x = 20 * normal(rng);
  const double month = 365.0 / 12;
  const auto fill = [](std::size_t k) {
    return 1000 * (1 - std::exp(-static_cast<double>(k) / 4));
  };
  const auto base = runs_of(
      100, 60, [&](std::size_t k, std::size_t r) { return fill(k) + noise[(r * 60 + k) * 2]; });
  const auto variant = runs_of(100, 60, [&](std::size_t k, std::size_t r) {
    return 0.8 * fill(k) + noise[(r * 60 + k) * 2 + 1];
  });
  const PeriodEffects e =
      period_effects(base, variant, kMetric, month, 3 * month, 60 * month, 0.95);
  REQUIRE(e.transient_assessed);
  CHECK(e.transient_settled);
  CAPTURE(e.transient_periods);
  CHECK(e.transient_periods >= 15);
  CHECK(e.transient_periods <= 30);
  double kept = 0;
  for (std::size_t k = e.transient_periods; k < 60; ++k) kept += e.by_period[k - 3].mean;
  kept /= static_cast<double>(60 - e.transient_periods);
  CHECK(kept == doctest::Approx(-200).epsilon(0.01));
  CHECK(describe_period_effects(e).find("the transient lasts about") != std::string::npos);
  // After a warm-up past it, no such warning.
  const PeriodEffects later =
      period_effects(base, variant, kMetric, month, 30 * month, 60 * month, 0.95);
  CHECK(describe_period_effects(later).find("the transient lasts") == std::string::npos);
}
