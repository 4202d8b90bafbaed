#include "sim/time.hpp"

#include <doctest/doctest.h>

#include <sstream>

using chiptrail::sim::Time;

TEST_CASE("time factories are exact tick counts") {
  CHECK(Time::seconds(5).count() == 5);
  CHECK(Time::minutes(2).count() == 120);
  CHECK(Time::hours(4).count() == 4 * 3600);
  CHECK(Time::days(30).count() == 30 * 86400);
  CHECK(Time::days(1) == Time::hours(24));
  CHECK(Time::hours(1) + Time::minutes(30) == Time::minutes(90));
  CHECK(Time::days(2) - Time::hours(12) == Time::hours(36));
  CHECK(Time::hours(3) * 2 == Time::hours(6));
  CHECK(Time::hours(1) < Time::hours(2));
  CHECK(Time::days(2).to_days() == doctest::Approx(2.0));
  CHECK(Time::minutes(90).to_hours() == doctest::Approx(1.5));
}

TEST_CASE("from_seconds rounds to the nearest tick and saturates") {
  CHECK(Time::from_seconds(1.4).count() == 1);
  CHECK(Time::from_seconds(1.6).count() == 2);
  CHECK(Time::from_hours(0.5) == Time::minutes(30));
  CHECK(Time::from_days(1.0) == Time::days(1));
  CHECK(Time::from_seconds(1e30) == Time::max());
  CHECK(Time::from_seconds(-1e30) < Time::zero());
  CHECK(Time::from_seconds(std::numeric_limits<double>::quiet_NaN()) == Time::zero());
}

TEST_CASE("times format as days and hh:mm:ss") {
  CHECK(Time::zero().to_string() == "00:00:00");
  CHECK(Time::seconds(3725).to_string() == "01:02:05");
  CHECK((Time::days(3) + Time::hours(4) + Time::minutes(5) + Time::seconds(6)).to_string() ==
        "3d 04:05:06");
  CHECK(Time::seconds(-10).to_string() == "-00:00:10");
  CHECK(Time::max().to_string() == "inf");
  CHECK(Time::ticks(std::numeric_limits<std::int64_t>::min()).to_string().front() == '-');
  std::ostringstream os;
  os << Time::days(1);
  CHECK(os.str() == "1d 00:00:00");
}

TEST_CASE("time arithmetic saturates instead of overflowing") {
  CHECK(Time::max() + Time::seconds(1) == Time::max());
  CHECK(Time::hours(1) + Time::max() == Time::max());
  CHECK(Time::ticks(Time::kMin) - Time::seconds(1) == Time::ticks(Time::kMin));
  CHECK(Time::seconds(-5) - Time::max() == Time::ticks(Time::kMin));
  Time t = Time::max();
  t += Time::days(1);
  CHECK(t == Time::max());
  CHECK(Time::from_days(1e300) == Time::max());
  CHECK(Time::hours(2) + Time::hours(3) == Time::hours(5));  // ordinary sums unchanged
}
