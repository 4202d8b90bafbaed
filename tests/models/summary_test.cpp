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

TEST_CASE("summarize: a metric with negative values gets the Student-t interval of its values") {
  // Delivered net of disables in the same window can go below zero.
  std::vector<RunMetrics> runs;
  const double values[] = {1000, -500, 800, 2100};
  for (const double v : values) {
    RunMetrics m;
    m.set("h100e_delivered_restricted_per_year", v);
    runs.push_back(m);
  }
  const MetricSummary s = summarize(runs, 0.95, true).front();
  const double mean = 3400 / 4.0;
  double ss = 0;
  for (const double v : values) ss += (v - mean) * (v - mean);
  const double sd = std::sqrt(ss / 3);
  CHECK(s.ci_method == "student-t");
  CHECK(s.n == 4);
  CHECK(s.mean == doctest::Approx(mean));
  CHECK(s.sd == doctest::Approx(sd));
  CHECK(s.ci_low == doctest::Approx(mean - kT3 * sd / 2).epsilon(1e-12));
  CHECK(s.ci_high == doctest::Approx(mean + kT3 * sd / 2).epsilon(1e-12));
}

TEST_CASE("summarize: a nonnegative amount gets the gamma interval on its pooled total") {
  // enforcement_cost_usd = 1000, 1500, 800, 2100: phi = s^2 / mean (t3 / z)^2, K / phi = 8.213
  // effective events; the ends are Gamma quantiles computed independently (SciPy 1.10:
  // phi / n * gamma.ppf(0.025, K / phi) and phi / n * gamma.ppf(0.975, K / phi + 1)).
  const MetricSummary s = find(summarize(kRuns, 0.95, true), "enforcement_cost_usd");
  CHECK(s.ci_method == "gamma");
  CHECK(s.mean == doctest::Approx(1350));
  CHECK(s.ci_low == doctest::Approx(590.59862598492).epsilon(1e-9));
  CHECK(s.ci_high == doctest::Approx(2637.5666241202966).epsilon(1e-9));
}

TEST_CASE("summarize: an underdispersed count gets Garwood's exact Poisson interval") {
  // Lots 1, 1, 1, 2: less dispersed than Poisson, so phi = 1 and the interval on the mean is
  // the exact one for a total of 5 over 4 replications: chi2(0.025; 10) / 8 and
  // chi2(0.975; 12) / 8 (SciPy 1.10).
  std::vector<RunMetrics> runs;
  for (const double v : {1.0, 1.0, 1.0, 2.0}) {
    RunMetrics m;
    m.set("lots_interdicted", v);
    runs.push_back(m);
  }
  const MetricSummary s = summarize(runs, 0.95, true).front();
  CHECK(s.ci_method == "gamma");
  CHECK(s.ci_low == doctest::Approx(0.40587159752960517).epsilon(1e-9));
  CHECK(s.ci_high == doctest::Approx(2.9170830198306676).epsilon(1e-9));
}

TEST_CASE("summarize: nothing seen is bounded for independent lots, and left open otherwise") {
  std::vector<RunMetrics> runs(10);
  for (RunMetrics& m : runs) {
    m.set("lots_interdicted", 0);
    m.set("chips_interdicted", 0);
  }
  for (const bool independent : {true, false}) {
    CAPTURE(independent);
    const std::vector<MetricSummary> all = summarize(runs, 0.95, independent);
    const MetricSummary& lots = find(all, "lots_interdicted");
    CHECK(lots.ci_method == "none-seen");
    CHECK(lots.mean == 0);
    CHECK(lots.ci_low == 0);
    // The rule of three: -ln(0.05) / 10.
    if (independent) CHECK(lots.ci_high == doctest::Approx(0.2995732273553991));
    if (!independent) CHECK(std::isnan(lots.ci_high));
    // One unseen lot could carry any number of chips.
    CHECK(std::isnan(find(all, "chips_interdicted").ci_high));
  }
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
