// MSER truncation against a queue whose steady state is known in closed form, and the test of
// equal means across periods against its distribution under the null.
#include "sim/analysis/steady_state.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <vector>

using namespace chiptrail::sim;

TEST_CASE("MSER-5 cuts an M/M/1 queue's start from empty to within 1% of its steady mean") {
  // Waiting times in queue of successive customers, lambda = 0.9, mu = 1, from an empty
  // queue (Lindley's recursion), averaged over replications: the steady mean is
  // rho / (mu - lambda) = 9, approached over a few hundred customers from 0. Kept whole, the
  // series' mean is ~2.5% low; truncated where MSER-5 says, the bias must be below 1% (0.09).
  // The estimate's own standard error is ~0.03 here (waiting times at rho = 0.9 are strongly
  // autocorrelated: their asymptotic variance is ~36,000 per customer).
  constexpr std::size_t kReplications = 8000, kCustomers = 5000;
  std::mt19937_64 rng(2026);
  std::exponential_distribution<double> service(1.0), interarrival(0.9);
  std::vector<double> averaged(kCustomers, 0.0);
  for (std::size_t r = 0; r < kReplications; ++r) {
    double wait = 0;
    for (std::size_t i = 0; i < kCustomers; ++i) {
      averaged[i] += wait;
      wait = std::max(0.0, wait + service(rng) - interarrival(rng));
    }
  }
  for (double& w : averaged) w /= kReplications;
  const Truncation cut = mser_truncation(averaged, 5);
  CAPTURE(cut.deleted);
  CHECK(cut.settled);
  CHECK(cut.deleted > 100);  // the transient lasts hundreds of customers
  double kept = 0, whole = 0;
  for (std::size_t i = 0; i < kCustomers; ++i) {
    whole += averaged[i];
    if (i >= cut.deleted) kept += averaged[i];
  }
  kept /= static_cast<double>(kCustomers - cut.deleted);
  whole /= kCustomers;
  CAPTURE(kept);
  CAPTURE(whole);
  CHECK(std::abs(kept - 9.0) < 0.09);
  CHECK(whole < 9.0 - 0.15);  // not truncating is measurably wrong
}

TEST_CASE("MSER: a series that keeps changing is not settled; a level one is cut at 0") {
  std::vector<double> ramp(200);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<double>(i);
  CHECK_FALSE(mser_truncation(ramp, 5).settled);
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise(10, 1);
  std::vector<double> level(500);
  for (double& x : level) x = noise(rng);
  const Truncation cut = mser_truncation(level, 5);
  CHECK(cut.settled);
  CHECK(cut.deleted < 100);
}

TEST_CASE("equal_means_test: with two periods it is the paired t test squared") {
  const std::vector<std::vector<double>> x = {{1, 3}, {2, 2.5}, {0, 4}, {1.5, 1}, {2, 3}};
  // Differences 2, 0.5, 4, -0.5, 1: mean 1.4, sd^2 = 11.7 / 4, t = 1.4 / sqrt(2.925 / 5).
  const EqualMeansTest test = equal_means_test(x);
  REQUIRE(test.valid);
  const double t = 1.4 / std::sqrt(2.925 / 5);
  CHECK(test.t_squared == doctest::Approx(t * t));
  CHECK(test.f == doctest::Approx(t * t));  // (n - 1) / (1 (n - 1))
  CHECK(test.df1 == 1);
  CHECK(test.df2 == 4);
  // Two-sided p of t = 1.8304 on 4 degrees of freedom (SciPy 1.10: 0.1411592).
  CHECK(test.p_value == doctest::Approx(0.1411591785625543).epsilon(1e-9));
}

TEST_CASE("equal_means_test: its size under equal means, with correlated periods, and power") {
  // Six periods per replication, AR(1) with correlation 0.6 within a replication, 40
  // replications: the test must reject at 5% in 5% of 2,000 datasets (4 binomial standard
  // errors), and nearly always when the first period's mean is 1.5 standard deviations off.
  constexpr int kDatasets = 2000;
  std::mt19937_64 rng(38);
  std::normal_distribution<double> normal(0, 1);
  const auto dataset = [&](double shift) {
    std::vector<std::vector<double>> x(40, std::vector<double>(6));
    for (auto& row : x) {
      double e = normal(rng);
      for (std::size_t k = 0; k < 6; ++k) {
        if (k > 0) e = 0.6 * e + 0.8 * normal(rng);
        row[k] = 100 + e + (k == 0 ? shift : 0.0);
      }
    }
    return x;
  };
  int rejected = 0, detected = 0;
  for (int d = 0; d < kDatasets; ++d) {
    if (equal_means_test(dataset(0)).p_value < 0.05) ++rejected;
    if (equal_means_test(dataset(1.5)).p_value < 0.05) ++detected;
  }
  const double size = rejected / static_cast<double>(kDatasets);
  CAPTURE(size);
  CHECK(std::abs(size - 0.05) < 4 * std::sqrt(0.05 * 0.95 / kDatasets));
  CHECK(detected > 0.99 * kDatasets);
  CHECK_FALSE(equal_means_test({{1, 2}}).valid);                  // n <= q
  CHECK_FALSE(equal_means_test({{1, 2}, {2, 3}, {3, 4}}).valid);  // constant differences
}
