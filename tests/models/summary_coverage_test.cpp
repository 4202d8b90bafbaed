// Coverage of every interval method of summarize() and paired_differences(), measured: many
// independent blocks of replications drawn from a known distribution, the share of blocks whose
// 95% interval holds the true value, against a binomial tolerance (4 standard errors of a share
// over the number of blocks). Each case is one a method got wrong before or could get wrong.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "models/summary.hpp"

using namespace chiptrail::models;

namespace {

constexpr double kLevel = 0.95;

// 4 binomial standard errors of a coverage share measured over `blocks` blocks.
double tolerance(int blocks) {
  return 4 * std::sqrt(kLevel * (1 - kLevel) / blocks);
}

const MetricSummary& find(const std::vector<MetricSummary>& all, const std::string& name) {
  for (const MetricSummary& s : all)
    if (s.metric == name) return s;
  FAIL("no metric " << name);
  return all.front();
}

// An interval covers `truth` if it holds it; an undefined upper end claims no bound.
bool covers(const MetricSummary& s, double truth) {
  return s.ci_low <= truth && (std::isnan(s.ci_high) || truth <= s.ci_high);
}

// The share of `blocks` blocks of `per_block` replications (each made by `draw`) whose
// summary of `metric` covers `truth`.
double coverage(int blocks, int per_block, const std::function<RunMetrics()>& draw,
                const std::string& metric, double truth, bool lots_independent) {
  int covered = 0;
  for (int b = 0; b < blocks; ++b) {
    std::vector<RunMetrics> runs;
    runs.reserve(static_cast<std::size_t>(per_block));
    for (int i = 0; i < per_block; ++i) runs.push_back(draw());
    if (covers(find(summarize(runs, kLevel, lots_independent), metric), truth)) ++covered;
  }
  return covered / static_cast<double>(blocks);
}

}  // namespace

TEST_CASE("coverage: a ratio's interval, replications with a zero denominator included") {
  // Cost over H100e interdicted where most replications interdict nothing: y = 10 K,
  // K ~ Poisson(0.5) (61% zeros), x = 1000 + 200 E, E ~ Exp(1), so the ratio of means is
  // 1200 / 5 = 240. 1,000 blocks of 200 replications (the delta method is accurate at that
  // size). Leaving the zero-denominator replications out of the residuals covered in about 3
  // of 4.
  std::mt19937_64 rng(38);
  std::poisson_distribution<int> interdictions(0.5);
  std::exponential_distribution<double> extra(1.0);
  const auto draw = [&] {
    const double y = 10.0 * interdictions(rng), x = 1000 + 200 * extra(rng);
    RunMetrics m;
    m.set("total_cost_usd", x);
    m.set("h100e_interdicted", y);
    m.set("cost_usd_per_h100e_denied", y > 0 ? x / y : NAN);
    return m;
  };
  constexpr int kBlocks = 1000;
  const double c = coverage(kBlocks, 200, draw, "cost_usd_per_h100e_denied", 240, false);
  CAPTURE(c);
  CHECK(std::abs(c - kLevel) < tolerance(kBlocks));
}

TEST_CASE("coverage: Student-t on a metric that takes both signs") {
  // Delivered net of disables: N(100, 300^2) per replication, 10 replications a block.
  std::mt19937_64 rng(381);
  std::normal_distribution<double> value(100, 300);
  const auto draw = [&] {
    RunMetrics m;
    m.set("h100e_delivered_restricted_per_year", value(rng));
    return m;
  };
  constexpr int kBlocks = 2000;
  const double c = coverage(kBlocks, 10, draw, "h100e_delivered_restricted_per_year", 100, true);
  CAPTURE(c);
  CHECK(std::abs(c - kLevel) < tolerance(kBlocks));
}

TEST_CASE("coverage: the gamma interval on amounts carried by a few events") {
  // H100e interdicted: Poisson(3) seizures a replication, each Exp with mean 8 H100e, so the
  // mean is 24; 10 replications a block (Student-t covers about 92% here, 76% at 0.3 events).
  std::mt19937_64 rng(382);
  std::poisson_distribution<int> seizures(3.0);
  std::exponential_distribution<double> size(1.0 / 8);
  const auto draw = [&] {
    double total = 0;
    for (int k = seizures(rng); k > 0; --k) total += size(rng);
    RunMetrics m;
    m.set("h100e_interdicted", total);
    return m;
  };
  constexpr int kBlocks = 2000;
  const double c = coverage(kBlocks, 10, draw, "h100e_interdicted", 24, false);
  CAPTURE(c);
  CHECK(std::abs(c - kLevel) < tolerance(kBlocks));
}

TEST_CASE("coverage: rare counts keep their coverage, whether or not anything was seen") {
  // Lots interdicted ~ Poisson(mean) a replication, 10 replications a block. Student-t on
  // the per-replication counts covers 63% at 0.1 and 2% at 0.0025 ([0, 0] whenever nothing
  // was seen). The intervals for counts are exact (Garwood), hence conservative: at least the
  // nominal level, within the tolerance.
  constexpr int kBlocks = 2000;
  for (const double mean : {0.0025, 0.1, 0.5}) {
    CAPTURE(mean);
    std::mt19937_64 rng(383);
    std::poisson_distribution<int> lots(mean);
    const auto draw = [&] {
      RunMetrics m;
      m.set("lots_interdicted", lots(rng));
      return m;
    };
    const double c = coverage(kBlocks, 10, draw, "lots_interdicted", mean, true);
    CAPTURE(c);
    CHECK(c > kLevel - tolerance(kBlocks));
  }
  // Lots of 50 chips, one a replication on average: the chips' count is 50 times overdispersed,
  // which the interval reads from the replications (a Poisson interval on chips covers 40%).
  // Conservative by design here (the count's floor of Poisson dispersion, Student's factor):
  // about 96.5%.
  std::mt19937_64 rng(384);
  std::poisson_distribution<int> lots(1.0);
  const auto draw = [&] {
    RunMetrics m;
    m.set("chips_interdicted", 50 * lots(rng));
    return m;
  };
  const double c = coverage(kBlocks, 10, draw, "chips_interdicted", 50, false);
  CAPTURE(c);
  CHECK(c > kLevel - tolerance(kBlocks));
  CHECK(c < 0.985);
}

TEST_CASE("coverage: paired differences, of a plain metric and of a pooled rate") {
  constexpr int kBlocks = 1000;
  std::mt19937_64 rng(385);
  SUBCASE("a plain metric: other = base - 3 + noise, strongly correlated") {
    std::normal_distribution<double> base_value(50, 10), change(-3, 4);
    int covered = 0;
    for (int b = 0; b < kBlocks; ++b) {
      std::vector<RunMetrics> base(10), other(10);
      for (std::size_t i = 0; i < 10; ++i) {
        const double v = base_value(rng);
        base[i].set("h100e_delivered_restricted_per_year", v);
        other[i].set("h100e_delivered_restricted_per_year", v + change(rng));
      }
      const MetricSummary d = paired_differences(base, other, kLevel).front();
      if (d.ci_low <= -3 && -3 <= d.ci_high) ++covered;
    }
    const double c = covered / static_cast<double>(kBlocks);
    CAPTURE(c);
    CHECK(std::abs(c - kLevel) < tolerance(kBlocks));
  }
  SUBCASE("a rate: lots flagged over lots diverted, 0.3 against 0.4 on the same lots") {
    std::poisson_distribution<int> diverted(20);
    int covered = 0;
    for (int b = 0; b < kBlocks; ++b) {
      std::vector<RunMetrics> base(50), other(50);
      for (std::size_t i = 0; i < 50; ++i) {
        const int n = diverted(rng);
        const int k0 = std::binomial_distribution<int>(n, 0.3)(rng);
        const int k1 = std::binomial_distribution<int>(n, 0.4)(rng);
        for (auto [arm, k] : {std::pair{&base[i], k0}, std::pair{&other[i], k1}}) {
          arm->set("lots_flagged", k);
          arm->set("lots_diverted", n);
          arm->set("share_lots_flagged", n > 0 ? static_cast<double>(k) / n : NAN);
        }
      }
      const MetricSummary d = find(paired_differences(base, other, kLevel), "share_lots_flagged");
      if (d.ci_low <= 0.1 && 0.1 <= d.ci_high) ++covered;
    }
    const double c = covered / static_cast<double>(kBlocks);
    CAPTURE(c);
    CHECK(std::abs(c - kLevel) < tolerance(kBlocks));
  }
}

TEST_CASE("coverage: Wilson's interval on a share of independent lots") {
  // 40 lots a replication, each flagged with probability 0.1, 10 replications: 400 pooled
  // trials, where Wilson's exact coverage is 94.54% (a sum over the binomial).
  std::mt19937_64 rng(386);
  std::binomial_distribution<int> flagged(40, 0.1);
  const auto draw = [&] {
    const int k = flagged(rng);
    RunMetrics m;
    m.set("lots_flagged", k);
    m.set("lots_diverted", 40);
    m.set("share_lots_flagged", k / 40.0);
    return m;
  };
  constexpr int kBlocks = 2000;
  const double c = coverage(kBlocks, 10, draw, "share_lots_flagged", 0.1, true);
  CAPTURE(c);
  CHECK(std::abs(c - 0.9454) < tolerance(kBlocks));
}
