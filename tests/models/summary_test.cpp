// paired_differences against closed forms.
#include "models/summary.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "sim/analysis/intervals.hpp"
#include "sim/running_stats.hpp"

using namespace chiptrail::models;

namespace {

RunMetrics run(double count, double detected, double diverted) {
  RunMetrics m;
  m.set("lots_flagged", detected);
  m.set("lots_diverted", diverted);
  m.set("share_lots_flagged", diverted > 0 ? detected / diverted : NAN);
  m.set("chips_in_pipeline", count);
  return m;
}

const MetricSummary& find(const std::vector<MetricSummary>& all, const char* name) {
  for (const MetricSummary& s : all)
    if (s.metric == name) return s;
  FAIL("no metric " << name);
  return all.front();
}

}  // namespace

TEST_CASE("paired_differences: identical variants differ by exactly zero") {
  std::vector<RunMetrics> a = {run(5, 2, 10), run(7, 3, 12), run(1, 0, 4)};
  for (const MetricSummary& s : paired_differences(a, a, 0.95)) {
    CAPTURE(s.metric);
    CHECK(s.mean == 0);
    CHECK(s.ci_low == 0);
    CHECK(s.ci_high == 0);
    CHECK(s.n == 3);
  }
}

TEST_CASE("paired_differences: a plain metric gets the paired Student-t interval") {
  const std::vector<RunMetrics> base = {run(5, 2, 10), run(7, 3, 12), run(1, 0, 4), run(4, 1, 9)};
  const std::vector<RunMetrics> other = {run(8, 2, 10), run(8, 3, 12), run(6, 0, 4), run(4, 1, 9)};
  const std::vector<MetricSummary> all = paired_differences(base, other, 0.95);
  const MetricSummary& d = find(all, "chips_in_pipeline");
  chiptrail::sim::RunningStats diffs;
  for (const double x : {3.0, 1.0, 5.0, 0.0}) diffs.add(x);
  const chiptrail::sim::Interval ci = chiptrail::sim::student_t_interval(diffs, 0.95);
  CHECK(d.mean == doctest::Approx(2.25));
  CHECK(d.ci_low == doctest::Approx(ci.low));
  CHECK(d.ci_high == doctest::Approx(ci.high));
  CHECK(d.ci_method == "paired-t");
}

TEST_CASE("paired_differences: a rate is the difference of pooled ratios, delta-method interval") {
  const std::vector<RunMetrics> base = {run(0, 2, 10), run(0, 3, 12), run(0, 1, 4), run(0, 1, 9)};
  const std::vector<RunMetrics> other = {run(0, 5, 10), run(0, 6, 12), run(0, 2, 4), run(0, 4, 9)};
  const std::vector<MetricSummary> all = paired_differences(base, other, 0.95);
  const MetricSummary& d = find(all, "share_lots_flagged");
  const double r0 = 7.0 / 35, r1 = 17.0 / 35;  // pooled: detected / diverted
  CHECK(d.mean == doctest::Approx(r1 - r0));
  // Same denominators in both variants: the influence reduces to (dx - (r1 - r0) y) / ybar.
  chiptrail::sim::RunningStats u;
  const double ybar = 35.0 / 4;
  const double dx[] = {3, 3, 1, 3}, y[] = {10, 12, 4, 9};
  for (int i = 0; i < 4; ++i) u.add((dx[i] - (r1 - r0) * y[i]) / ybar);
  const chiptrail::sim::Interval half = chiptrail::sim::student_t_interval(0.0, u.sd(), 4, 0.95);
  CHECK(d.ci_low == doctest::Approx(r1 - r0 + half.low));
  CHECK(d.ci_high == doctest::Approx(r1 - r0 + half.high));
}

// summarize(): each headline interval against a computation by hand from its closed form,
// with the quantiles from published tables (z(0.975) = 1.959963984540054, t(0.975, 3) =
// 3.182446305284263).
namespace {

RunMetrics rates(double lots_flagged, double lots_diverted, double chips_flagged,
                 double chips_diverted, double cost) {
  RunMetrics m;
  m.set("lots_flagged", lots_flagged);
  m.set("lots_diverted", lots_diverted);
  m.set("share_lots_flagged", lots_diverted > 0 ? lots_flagged / lots_diverted : NAN);
  m.set("chips_flagged", chips_flagged);
  m.set("chips_diverted", chips_diverted);
  m.set("share_chips_flagged", chips_diverted > 0 ? chips_flagged / chips_diverted : NAN);
  m.set("enforcement_cost_usd", cost);
  return m;
}

const std::vector<RunMetrics> kRuns = {rates(3, 10, 40, 100, 1000), rates(5, 12, 80, 120, 1500),
                                       rates(1, 4, 0, 40, 800), rates(6, 14, 30, 140, 2100)};
constexpr double kZ = 1.959963984540054;
constexpr double kT3 = 3.182446305284263;

}  // namespace

TEST_CASE("summarize: a lot rate of independent lots is pooled, with the Wilson interval") {
  const std::vector<MetricSummary> all = summarize(kRuns, 0.95, true);
  const MetricSummary& s = find(all, "share_lots_flagged");
  const double k = 15, n = 40, p = k / n;
  const double centre = (p + kZ * kZ / (2 * n)) / (1 + kZ * kZ / n);
  const double half = kZ / (1 + kZ * kZ / n) * std::sqrt(p * (1 - p) / n + kZ * kZ / (4 * n * n));
  CHECK(s.ci_method == "wilson");
  CHECK(s.n == 40);
  CHECK(s.mean == doctest::Approx(0.375));
  CHECK(s.ci_low == doctest::Approx(centre - half).epsilon(1e-12));
  CHECK(s.ci_high == doctest::Approx(centre + half).epsilon(1e-12));
}

TEST_CASE("summarize: a rate of units that move together gets the ratio estimator's interval") {
  // Chips always; lots too when smugglers adapt (lots_independent = false).
  for (const char* name : {"share_chips_flagged", "share_lots_flagged"}) {
    CAPTURE(name);
    const bool chips = std::string(name) == "share_chips_flagged";
    const std::vector<MetricSummary> all = summarize(kRuns, 0.95, false);
    const MetricSummary& s = find(all, name);
    const std::vector<double> x =
        chips ? std::vector<double>{40, 80, 0, 30} : std::vector<double>{3, 5, 1, 6};
    const std::vector<double> y =
        chips ? std::vector<double>{100, 120, 40, 140} : std::vector<double>{10, 12, 4, 14};
    double sx = 0, sy = 0;
    for (std::size_t i = 0; i < 4; ++i) sx += x[i], sy += y[i];
    const double r = sx / sy;
    double ss = 0;
    for (std::size_t i = 0; i < 4; ++i) ss += (x[i] - r * y[i]) * (x[i] - r * y[i]);
    const double se = std::sqrt(ss / 3) / std::sqrt(4.0) / (sy / 4);
    CHECK(s.ci_method == "ratio");
    CHECK(s.n == 4);
    CHECK(s.mean == doctest::Approx(r));
    CHECK(s.ci_low == doctest::Approx(std::fmax(0.0, r - kT3 * se)).epsilon(1e-12));
    CHECK(s.ci_high == doctest::Approx(std::fmin(1.0, r + kT3 * se)).epsilon(1e-12));
  }
}

TEST_CASE("summarize: a plain metric gets the Student-t interval of its per-run values") {
  const std::vector<MetricSummary> all = summarize(kRuns, 0.95, true);
  const MetricSummary& s = find(all, "enforcement_cost_usd");
  const double mean = (1000 + 1500 + 800 + 2100) / 4.0;
  double ss = 0;
  for (const double v : {1000.0, 1500.0, 800.0, 2100.0}) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / 3);
  CHECK(s.ci_method == "student-t");
  CHECK(s.n == 4);
  CHECK(s.mean == doctest::Approx(mean));
  CHECK(s.sd == doctest::Approx(sd));
  CHECK(s.ci_low == doctest::Approx(mean - kT3 * sd / 2).epsilon(1e-12));
  CHECK(s.ci_high == doctest::Approx(mean + kT3 * sd / 2).epsilon(1e-12));
}

TEST_CASE("summarize: undefined values are left out, and one replication knows no spread") {
  std::vector<RunMetrics> runs = kRuns;
  runs[2] = rates(0, 0, 0, 0, NAN);  // nothing diverted, cost undefined
  const std::vector<MetricSummary> all = summarize(runs, 0.95, false);
  CHECK(find(all, "enforcement_cost_usd").n == 3);
  // A replication that diverted nothing is a unit of weight 0 in the ratio estimator: it
  // counts in n (and adds nothing to either sum).
  CHECK(find(all, "share_lots_flagged").n == 4);
  CHECK(find(all, "share_lots_flagged").mean == doctest::Approx(14.0 / 36.0));
  const std::vector<MetricSummary> one = summarize({kRuns[0]}, 0.95, false);
  CHECK(find(one, "share_chips_flagged").ci_low == 0.0);
  CHECK(find(one, "share_chips_flagged").ci_high == 1.0);
  CHECK(std::isinf(find(one, "enforcement_cost_usd").ci_high));
}

TEST_CASE("summarize: a cost per unit is a ratio estimator, not clipped to [0, 1]") {
  // cost_usd_per_h100e_denied = total_cost_usd / h100e_interdicted, pooled.
  std::vector<RunMetrics> runs;
  const double cost[] = {1000, 1500, 800, 2100}, h100e[] = {2, 4, 1, 3};
  for (int i = 0; i < 4; ++i) {
    RunMetrics m;
    m.set("total_cost_usd", cost[i]);
    m.set("h100e_interdicted", h100e[i]);
    m.set("cost_usd_per_h100e_denied", cost[i] / h100e[i]);
    runs.push_back(m);
  }
  const std::vector<MetricSummary> all = summarize(runs, 0.95, true);  // alive while read
  const MetricSummary& s = find(all, "cost_usd_per_h100e_denied");
  const double r = 5400.0 / 10.0;
  double ss = 0;
  for (int i = 0; i < 4; ++i) ss += (cost[i] - r * h100e[i]) * (cost[i] - r * h100e[i]);
  const double se = std::sqrt(ss / 3) / std::sqrt(4.0) / (10.0 / 4);
  CHECK(s.ci_method == "ratio");  // even with independent lots: its units are not lots
  CHECK(s.mean == doctest::Approx(r));
  CHECK(s.ci_low == doctest::Approx(r - kT3 * se).epsilon(1e-12));
  CHECK(s.ci_high == doctest::Approx(r + kT3 * se).epsilon(1e-12));
  CHECK(s.ci_high > 1.0);
}

TEST_CASE("summarize: a ratio's interval covers, replications with a zero denominator included") {
  // Cost over H100e interdicted where most replications interdict nothing: y = 10 K,
  // K ~ Poisson(0.5) (61% zeros), x = 1000 + 200 E, E ~ Exp(1), so the ratio of means is
  // 1200 / 5 = 240. 1,000 blocks of 200 replications (the delta method is accurate at that
  // size): the 95% interval must cover in 95% of blocks, within 4 binomial standard errors.
  // Leaving the zero-denominator replications out of the residuals covered in about 3 of 4.
  std::mt19937_64 rng(38);
  const auto uniform = [&rng] { return (static_cast<double>(rng() >> 11) + 0.5) * 0x1p-53; };
  const auto poisson = [&](double mean) {  // by inversion
    double u = uniform(), p = std::exp(-mean), cumulative = p;
    int k = 0;
    while (u > cumulative) {
      p *= mean / ++k;
      cumulative += p;
    }
    return k;
  };
  constexpr int kBlocks = 1000, kPerBlock = 200;
  int covered = 0;
  for (int b = 0; b < kBlocks; ++b) {
    std::vector<RunMetrics> runs;
    runs.reserve(kPerBlock);
    for (int i = 0; i < kPerBlock; ++i) {
      const double y = 10.0 * poisson(0.5), x = 1000 - 200 * std::log(uniform());
      RunMetrics m;
      m.set("total_cost_usd", x);
      m.set("h100e_interdicted", y);
      m.set("cost_usd_per_h100e_denied", y > 0 ? x / y : NAN);
      runs.push_back(m);
    }
    const std::vector<MetricSummary> all = summarize(runs, 0.95, false);
    const MetricSummary& s = find(all, "cost_usd_per_h100e_denied");
    CHECK(s.n == kPerBlock);
    if (s.ci_low <= 240 && 240 <= s.ci_high) ++covered;
  }
  const double coverage = covered / static_cast<double>(kBlocks);
  CAPTURE(coverage);
  CHECK(std::abs(coverage - 0.95) < 4 * std::sqrt(0.95 * 0.05 / kBlocks));
}
