#include "sim/analysis/intervals.hpp"

#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

#include "sim/normal_quantile.hpp"

namespace chiptrail::sim {

namespace {

// Student's t quantile from Boost.Math; an impossible level gives NaN rather than throwing.
double student_t_quantile(double p, double df) {
  using namespace boost::math::policies;
  using Quiet = policy<domain_error<ignore_error>, overflow_error<ignore_error>>;
  return boost::math::quantile(boost::math::students_t_distribution<double, Quiet>(df), p);
}

// A quantile of Gamma(shape, 1), quiet as above.
double gamma_quantile(double p, double shape) {
  using namespace boost::math::policies;
  using Quiet = policy<domain_error<ignore_error>, overflow_error<ignore_error>>;
  return boost::math::quantile(boost::math::gamma_distribution<double, Quiet>(shape, 1.0), p);
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

Interval gamma_interval(const RunningStats& stats, double level, double min_dispersion) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  const std::uint64_t count = stats.count();
  const double mean = stats.mean(), sd = stats.sd();
  if (count < 2 || !(mean > 0) || !(sd > 0)) return {-inf, inf};
  const double n = static_cast<double>(count);
  const double alpha = 1.0 - level;
  const double t_over_z =
      student_t_quantile(1.0 - alpha / 2.0, n - 1.0) / normal_quantile(1.0 - alpha / 2.0);
  const double dispersion = std::fmax(min_dispersion, sd * sd / mean * t_over_z * t_over_z);
  const double events = n * mean / dispersion;
  return {dispersion / n * gamma_quantile(alpha / 2.0, events),
          dispersion / n * gamma_quantile(1.0 - alpha / 2.0, events + 1.0)};
}

double poisson_none_seen_upper(std::uint64_t n, double level) {
  return n > 0 ? -std::log1p(-level) / static_cast<double>(n)
               : std::numeric_limits<double>::infinity();
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
