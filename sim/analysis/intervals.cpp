#include "sim/analysis/intervals.hpp"

#include <cmath>
#include <limits>

#include "sim/normal_quantile.hpp"

namespace chiptrail::sim {

namespace {

// Kept here for one commit, so the move changes no bits; Boost.Math replaces it next.

// Continued fraction for the incomplete beta, modified Lentz's method.
double beta_continued_fraction(double x, double a, double b) {
  constexpr double tiny = 1e-300;
  constexpr double eps = 1e-16;
  const double qab = a + b;
  const double qap = a + 1.0;
  const double qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::fabs(d) < tiny) d = tiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < tiny) d = tiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::fabs(del - 1.0) < eps) break;
  }
  return h;
}


double incomplete_beta(double x, double a, double b) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  // The fraction converges fast for x < (a+1)/(a+b+2); use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a)
  // on the other side.
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(x, a, b) / a;
  return 1.0 - front * beta_continued_fraction(1.0 - x, b, a) / b;
}

double student_t_cdf(double t, double df) {
  const double tail = 0.5 * incomplete_beta(df / (df + t * t), 0.5 * df, 0.5);
  return t > 0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (std::isnan(p) || p < 0.0 || p > 1.0 || !(df > 0.0)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (p == 0.5) return 0.0;
  if (p < 0.5) return -student_t_quantile(1.0 - p, df);
  if (p == 1.0) return std::numeric_limits<double>::infinity();
  // The CDF is monotone: bracket the root, then bisect to the last bit. This runs once per
  // summary line, so robustness matters more than speed.
  double lo = 0.0;
  double hi = 2.0;
  while (student_t_cdf(hi, df) < p) {
    lo = hi;
    hi *= 2.0;
    if (hi > 1e300) return std::numeric_limits<double>::infinity();
  }
  for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    if (student_t_cdf(mid, df) < p)
      lo = mid;
    else
      hi = mid;
  }
  return 0.5 * (lo + hi);
}


}  // namespace

Interval student_t_interval(const RunningStats& stats, double level) {
  return student_t_interval(stats.mean(), stats.sd(), stats.count(), level);
}

Interval student_t_interval(double mean, double sd, std::uint64_t n, double level) {
  if (n < 2) {
    constexpr double inf = std::numeric_limits<double>::infinity();
    return {-inf, inf};
  }
  const double df = static_cast<double>(n - 1);
  const double half =
      student_t_quantile(0.5 + level / 2.0, df) * sd / std::sqrt(static_cast<double>(n));
  return {mean - half, mean + half};
}

Interval wilson_interval(std::uint64_t successes, std::uint64_t trials, double level) {
  if (trials == 0) return {0.0, 1.0};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z = normal_quantile(0.5 + level / 2.0);
  const double z2 = z * z;
  const double centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
  const double half = z / (1.0 + z2 / n) * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  // At k = 0 (k = n) the low (high) end is exactly 0 (1); floating point leaves ~1e-19 there.
  const double low = successes == 0 ? 0.0 : std::fmax(0.0, centre - half);
  const double high = successes == trials ? 1.0 : std::fmin(1.0, centre + half);
  return {low, high};
}

}  // namespace chiptrail::sim
