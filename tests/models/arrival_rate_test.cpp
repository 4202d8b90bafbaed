// Arrival rates that change in time (ArrivalRate), alone and in the model, against hand values.
#include "models/arrival_rate.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "chiptrail/v1/scenario.pb.h"
#include "models/recorder.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario_test_support.hpp"
#include "models/supply_chain_model.hpp"
#include "models/sweep/field_setter.hpp"
#include "sim/running_stats.hpp"

using namespace chiptrail;
using models::ArrivalRate;

TEST_CASE("arrival rate: pieces, their integral, and the inversion that draws arrivals") {
  // 10 a year, 73 a year (one every 5 days) from day 100, none from day 200.
  const ArrivalRate rate{10, {{100, 73}, {200, 0}}};
  CHECK(rate.at(0) == 10);
  CHECK(rate.at(99.9) == 10);
  CHECK(rate.at(100) == 73);
  CHECK(rate.at(250) == 0);
  CHECK(rate.expected(0, 365) == doctest::Approx(10 * 100 / 365.0 + 20));
  CHECK(rate.expected(150, 160) == doctest::Approx(2));
  CHECK(rate.expected(160, 150) == 0);
  // The next arrival is where the integral from now reaches the draw; none once the rate is 0.
  for (const double start : {0.0, 50.0, 120.0}) {
    for (const double e : {0.01, 0.5, 3.0}) {
      const double at = rate.next_arrival(start, e, 2.0);
      CAPTURE(start);
      CAPTURE(e);
      if (2 * rate.expected(start, 1e9) < e) {
        CHECK(at == std::numeric_limits<double>::infinity());
      } else {
        CHECK(2 * rate.expected(start, at) == doctest::Approx(e));
      }
    }
  }
  CHECK(rate.next_arrival(200, 1e-9, 1) == std::numeric_limits<double>::infinity());
  CHECK(rate.next_arrival(0, 30, 1) == std::numeric_limits<double>::infinity());  // 22.7 left
  const ArrivalRate none{0, {}};
  CHECK(none.next_arrival(0, 0.1, 1) == std::numeric_limits<double>::infinity());
}

namespace {

// The days lots were created on.
struct Births : models::Recorder {
  std::vector<double> days;
  void lot_created(const models::Lot&, sim::Time t) override { days.push_back(t.to_days()); }
  void detected(const models::Lot&, const models::DetectionEvent&) override {}
  void false_positive(const models::Lot&, const models::DetectionEvent&) override {}
  void delivered(const models::Lot&, sim::Time) override {}
  void cost(std::size_t, double, sim::Time) override {}
  void disabled_after_delivery(const models::Lot&, const models::DetectionEvent&) override {}
  void substituted(const models::Lot&, double, sim::Time) override {}
};

}  // namespace

TEST_CASE("a rush before a ban: lots arrive at each piece's rate and none after the ban") {
  // A rule announced on day 100 and in force from day 200: buying goes from 36.5 lots a year
  // to 365 (one a day) in the rush, then stops. Expected lots: 10 + 100 = 110 a replication,
  // Poisson, so the mean of 400 replications is within 4.5 standard errors of 110.
  const std::string text = testing::base_scenario() +
                           "flows { id: \"f\" kind: LEGITIMATE chip_model: \"B200\" "
                           "packaging: LOOSE lot_chips { fixed: 8 }\n"
                           "  arrivals { poisson_per_year: 36.5 rate_changes { from_day: 100 "
                           "per_year: 365 } rate_changes { from_day: 200 per_year: 0 } }\n"
                           "  route: [\"v\", \"dc\"] }\n";
  models::World w = testing::world_from_text(text);
  w.horizon = sim::Time::days(365);  // the base scenario's 100 days end before the rush
  constexpr int kReplications = 400;
  sim::RunningStats total, rush;
  for (int r = 0; r < kReplications; ++r) {
    Births births;
    models::simulate(w, static_cast<std::uint64_t>(r), births);
    double in_rush = 0;
    for (const double day : births.days) {
      REQUIRE(day < 200);  // nothing bought once the ban is in force
      in_rush += day >= 100 ? 1 : 0;
    }
    total.add(static_cast<double>(births.days.size()));
    rush.add(in_rush);
  }
  CHECK(std::abs(total.mean() - 110) < 4.5 * std::sqrt(110.0 / kReplications));
  CHECK(std::abs(rush.mean() - 100) < 4.5 * std::sqrt(100.0 / kReplications));
  CHECK(total.variance() == doctest::Approx(110).epsilon(0.25));  // Poisson: variance = mean
}

TEST_CASE("a written rate of 0 switches a flow off, until a change turns it on") {
  const auto births = [](const std::string& arrivals) {
    models::World w = testing::world_from_text(
        testing::base_scenario() +
        "flows { id: \"f\" kind: LEGITIMATE chip_model: \"B200\" packaging: LOOSE "
        "lot_chips { fixed: 8 }\n  arrivals { " +
        arrivals + " }\n  route: [\"v\", \"dc\"] }\n");
    Births b;
    models::simulate(w, 0, b);
    return b.days;
  };
  CHECK(births("poisson_per_year: 0").empty());
  // Off until day 50, then 10 a day for the remaining 50 days: ~500 lots, none before day 50.
  const std::vector<double> later = births("poisson_per_year: 0 rate_changes { from_day: 50 "
                                           "per_year: 3650 }");
  REQUIRE_FALSE(later.empty());
  CHECK(*std::min_element(later.begin(), later.end()) >= 50);
  CHECK(std::abs(static_cast<double>(later.size()) - 500) < 5 * std::sqrt(500.0));
  CHECK_THROWS_WITH_AS(births("poisson_per_year: -1"),
                       doctest::Contains("arrivals.poisson_per_year: must be a rate of 0 or more"),
                       models::InvalidInput);
}

TEST_CASE("rate changes: bad days and rates are errors naming the field") {
  const auto flow = [](const std::string& arrivals) {
    return testing::base_scenario() +
           "flows { id: \"f\" kind: LEGITIMATE chip_model: \"B200\" packaging: LOOSE "
           "lot_chips { fixed: 8 }\n  arrivals { " +
           arrivals + " }\n  route: [\"v\", \"dc\"] }\n";
  };
  CHECK_THROWS_WITH_AS(
      testing::world_from_text(flow("poisson_per_year: 1 rate_changes { from_day: 50 per_year: 2 } "
                                    "rate_changes { from_day: 50 per_year: 3 }")),
      doctest::Contains("rate_changes[1].from_day"), models::InvalidInput);
  CHECK_THROWS_WITH_AS(
      testing::world_from_text(flow("poisson_per_year: 1 rate_changes { from_day: -1 }")),
      doctest::Contains("rate_changes[0].from_day"), models::InvalidInput);
  CHECK_THROWS_WITH_AS(testing::world_from_text(
                           flow("poisson_per_year: 1 rate_changes { from_day: 5 per_year: -2 }")),
                       doctest::Contains("rate_changes[0].per_year"), models::InvalidInput);
  CHECK_THROWS_WITH_AS(
      testing::world_from_text(flow("schedule { at_days: [1] } rate_changes { from_day: 5 }")),
      doctest::Contains("rate_changes[0]"), models::InvalidInput);
  CHECK_THROWS_WITH_AS(testing::world_from_text(
                           flow("poisson_per_year: 1 rate_changes { from_day: 5 per_year: 1e12 }")),
                       doctest::Contains("10 million"), models::InvalidInput);
}

TEST_CASE("a sweep reaches a rate change by its index") {
  const std::string text = testing::base_scenario() +
                           "flows { id: \"f\" kind: LEGITIMATE chip_model: \"B200\" "
                           "packaging: LOOSE lot_chips { fixed: 8 }\n"
                           "  arrivals { poisson_per_year: 1 rate_changes { from_day: 10 "
                           "per_year: 2 } rate_changes { from_day: 20 per_year: 3 } }\n"
                           "  route: [\"v\", \"dc\"] }\n";
  auto scenario = models::parse_scenario_text("test.textproto", text);
  models::set_numeric_field(*scenario.message, "flows[id=f].arrivals.rate_changes[1].per_year", 7);
  const models::World w = models::build_world(scenario, testing::builtin_registry());
  CHECK(w.flows.at(0).arrival_rate.at(25) == 7);
  CHECK(w.flows.at(0).arrival_rate.at(15) == 2);
}
