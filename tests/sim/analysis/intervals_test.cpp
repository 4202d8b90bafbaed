#include "sim/analysis/intervals.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>


using namespace chiptrail::sim;
using doctest::Approx;

TEST_CASE("Student-t interval half-widths against published t tables") {
  // With sd = 1 and n observations the half-width is t(0.5 + level/2, n - 1) / sqrt(n).
  const auto t = [](double level, std::uint64_t n) {
    const Interval i = student_t_interval(0.0, 1.0, n, level);
    return i.high * std::sqrt(static_cast<double>(n));
  };
  CHECK(t(0.95, 2) == Approx(12.706204736174704).epsilon(1e-10));
  CHECK(t(0.95, 3) == Approx(4.302652729749464).epsilon(1e-10));
  CHECK(t(0.95, 6) == Approx(2.570581835636314).epsilon(1e-10));
  CHECK(t(0.95, 11) == Approx(2.228138851986274).epsilon(1e-10));
  CHECK(t(0.95, 31) == Approx(2.042272456301238).epsilon(1e-10));
  CHECK(t(0.99, 21) == Approx(2.845339709785208).epsilon(1e-10));
  CHECK(t(0.95, 10'000'001) == Approx(1.959963984540054).epsilon(1e-6));
  CHECK(std::isnan(student_t_interval(0.0, 1.0, 5, 1.5).high));  // no such level
}

TEST_CASE("Student-t interval from data") {
  RunningStats s;
  for (double x : {2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0}) s.add(x);
  CHECK(s.mean() == Approx(5.0));
  CHECK(s.variance() == Approx(32.0 / 7.0));
  const Interval ci = student_t_interval(s, 0.95);
  // t(0.975, 7) from the closed-form CDF of odd df (Abramowitz & Stegun 26.7.3), solved by
  // bisection.
  const double half = 2.364624251592783 * std::sqrt(32.0 / 7.0 / 8.0);
  CHECK(ci.low == Approx(5.0 - half).epsilon(1e-10));
  CHECK(ci.high == Approx(5.0 + half).epsilon(1e-10));
  RunningStats one;
  one.add(3);
  CHECK(std::isinf(student_t_interval(one, 0.95).high));
}

TEST_CASE("Wilson interval against Newcombe (1998), Table I") {
  const auto check = [](std::uint64_t k, std::uint64_t n, double lo, double hi) {
    CAPTURE(k);
    CAPTURE(n);
    const Interval ci = wilson_interval(k, n, 0.95);
    CHECK(ci.low == Approx(lo).epsilon(2e-4));
    CHECK(ci.high == Approx(hi).epsilon(2e-4));
  };
  check(81, 263, 0.2553, 0.3662);
  check(15, 148, 0.0624, 0.1605);
  check(0, 20, 0.0, 0.1611);
  check(1, 29, 0.0061, 0.1718);
  const Interval none = wilson_interval(0, 0, 0.95);
  CHECK(none.low == 0.0);
  CHECK(none.high == 1.0);
}

TEST_CASE("merged running statistics equal a single pass") {
  RunningStats all, left, right;
  for (int i = 0; i < 1000; ++i) {
    const double x = std::sin(i) * 100 + i * 0.01;
    all.add(x);
    (i < 377 ? left : right).add(x);
  }
  left.merge(right);
  CHECK(left.count() == all.count());
  CHECK(left.mean() == Approx(all.mean()).epsilon(1e-12));
  CHECK(left.variance() == Approx(all.variance()).epsilon(1e-12));
  CHECK(left.min() == all.min());
  CHECK(left.max() == all.max());
}
