#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <ostream>
#include <string>

namespace chiptrail::sim {

// Simulated time as whole seconds (ticks) in an int64: exact, totally ordered, and the same on
// every machine. It serves both as an instant (since the start of a run) and as a duration;
// raw doubles never stand for time in the engine.
class Time {
 public:
  using Rep = std::int64_t;
  static constexpr Rep kMax = std::numeric_limits<Rep>::max();
  static constexpr Rep kMin = std::numeric_limits<Rep>::min();

  constexpr Time() = default;

  static constexpr Time ticks(Rep n) { return Time{n}; }
  static constexpr Time seconds(Rep n) { return Time{n}; }
  static constexpr Time minutes(Rep n) { return Time{n * 60}; }
  static constexpr Time hours(Rep n) { return Time{n * 3600}; }
  static constexpr Time days(Rep n) { return Time{n * 86400}; }
  static constexpr Time zero() { return Time{0}; }
  static constexpr Time max() { return Time{kMax}; }

  // Rounds a duration measured in seconds to the nearest tick; the one place where a sampled
  // double becomes time. Values beyond the representable range saturate rather than overflow.
  static Time from_seconds(double s);
  static Time from_hours(double h) { return from_seconds(h * 3600.0); }
  static Time from_days(double d) { return from_seconds(d * 86400.0); }

  [[nodiscard]] constexpr Rep count() const { return ticks_; }
  [[nodiscard]] constexpr double to_seconds() const { return static_cast<double>(ticks_); }
  [[nodiscard]] constexpr double to_hours() const { return static_cast<double>(ticks_) / 3600.0; }
  [[nodiscard]] constexpr double to_days() const { return static_cast<double>(ticks_) / 86400.0; }

  constexpr auto operator<=>(const Time&) const = default;

  // Sums and differences saturate at the largest and smallest times instead of overflowing
  // (undefined behaviour): a huge duration from a hostile input or a rare draw then lands at
  // the end of time, after any horizon, rather than wrapping into the past.
  constexpr Time& operator+=(Time o) {
    if (__builtin_add_overflow(ticks_, o.ticks_, &ticks_)) ticks_ = o.ticks_ > 0 ? kMax : kMin;
    return *this;
  }
  constexpr Time& operator-=(Time o) {
    if (__builtin_sub_overflow(ticks_, o.ticks_, &ticks_)) ticks_ = o.ticks_ < 0 ? kMax : kMin;
    return *this;
  }
  friend constexpr Time operator+(Time a, Time b) { return a += b; }
  friend constexpr Time operator-(Time a, Time b) { return a -= b; }
  friend constexpr Time operator*(Time a, Rep k) { return Time{a.ticks_ * k}; }
  friend constexpr Time operator*(Rep k, Time a) { return Time{a.ticks_ * k}; }

  // "3d 04:05:06", "-00:00:10", "inf": days only when non-zero, always hh:mm:ss.
  [[nodiscard]] std::string to_string() const;

 private:
  constexpr explicit Time(Rep ticks) : ticks_(ticks) {}
  Rep ticks_ = 0;
};

std::ostream& operator<<(std::ostream& os, Time t);

}  // namespace chiptrail::sim
