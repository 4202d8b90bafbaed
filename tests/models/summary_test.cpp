// paired_differences against closed forms.
#include "models/summary.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "sim/analysis/intervals.hpp"
#include "sim/running_stats.hpp"

using namespace chiptrail::models;

namespace {

RunMetrics run(double count, double detected, double diverted) {
  RunMetrics m;
  m.set("lots_detected", detected);
  m.set("lots_diverted", diverted);
  m.set("detection_rate_lots", diverted > 0 ? detected / diverted : NAN);
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
  const MetricSummary& d = find(all, "detection_rate_lots");
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
