#include "sim/time.hpp"

#include <cmath>
#include <cstdio>

namespace chiptrail::sim {

Time Time::from_seconds(double s) {
  // 9.2e18 is just below INT64_MAX and exactly representable; anything past it (and NaN) is
  // clamped so callers never hit undefined float-to-int conversion.
  constexpr double limit = 9.2e18;
  if (std::isnan(s)) return Time::zero();
  if (s >= limit) return Time::max();
  if (s <= -limit) return Time{-static_cast<Rep>(limit)};
  return Time{static_cast<Rep>(std::llround(s))};
}

std::string Time::to_string() const {
  if (ticks_ == std::numeric_limits<Rep>::max()) return "inf";
  const bool negative = ticks_ < 0;
  // Work in unsigned magnitude so that INT64_MIN does not overflow on negation.
  std::uint64_t rest =
      negative ? 0 - static_cast<std::uint64_t>(ticks_) : static_cast<std::uint64_t>(ticks_);
  const std::uint64_t d = rest / 86400;
  rest %= 86400;
  const auto h = static_cast<unsigned>(rest / 3600);
  const auto m = static_cast<unsigned>(rest % 3600 / 60);
  const auto s = static_cast<unsigned>(rest % 60);
  char buf[48];
  if (d > 0) {
    std::snprintf(buf, sizeof buf, "%s%llud %02u:%02u:%02u", negative ? "-" : "",
                  static_cast<unsigned long long>(d), h, m, s);
  } else {
    std::snprintf(buf, sizeof buf, "%s%02u:%02u:%02u", negative ? "-" : "", h, m, s);
  }
  return buf;
}

std::ostream& operator<<(std::ostream& os, Time t) {
  return os << t.to_string();
}

}  // namespace chiptrail::sim
