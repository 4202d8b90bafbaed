// Every shipped scenario says what its yearly rates estimate, and those that claim long-run
// rates have a warm-up that outlasts their start-up transient (models::pilot_transient).
// Measured at this version (the scenarios' seeds): transients of 150 days (minimal), 610
// (blackwell_sea), 460 (chip_security_act, more_officers), 610 (pathways), 1,060
// (malaysia_permits), 1,220 (adaptive_smugglers), 1,370 (world_sea), 1,520
// (policy_baseline_2024), all past their warm-ups: every shipped scenario is YEARS_IN_FORCE.
#include <doctest/doctest.h>

#include <string>

#include "chiptrail/v1/scenario.pb.h"
#include "models/output/plain_reading.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/scenario_test_support.hpp"
#include "models/transient.hpp"

using namespace chiptrail;

TEST_CASE("shipped scenarios declare their estimand and a steady state is one" *
          doctest::test_suite("heavy")) {
  models::ThreadExecutor executor(2);
  for (const std::string& path : testing::shipped_scenarios(CHIPTRAIL_SOURCE_DIR)) {
    CAPTURE(path);
    const models::ScenarioFile f = models::read_scenario_file(path);
    const models::World world = models::build_world(f, testing::builtin_registry());
    REQUIRE(world.estimand != models::World::Estimand::kUnspecified);
    v1::Scenario pilot = *f.message;
    pilot.set_horizon_days(models::pilot_days(f.message->horizon_days()));
    const models::Transient t = models::pilot_transient(
        models::build_world(pilot, f.locator, testing::builtin_registry()), world.seed, {},
        executor);
    const double transient_days = static_cast<double>(t.periods) * models::kPilotPeriodDays;
    CAPTURE(transient_days);
    CAPTURE(t.settled);
    MESSAGE(path << ": transient " << transient_days << " days, warm-up "
                 << world.warmup.to_days());
    if (world.estimand == models::World::Estimand::kSteadyState) {
      CHECK(t.settled);
      CHECK(transient_days <= world.warmup.to_days() + 1e-9);
    }
  }
}

TEST_CASE("the reading says what the yearly figures estimate") {
  models::ReadingContext c{100, 730, 365, 0.95, models::World::Estimand::kYearsInForce, 365};
  CHECK(models::plain_reading({}, c).find("those of year 2 of a supply chain started empty") !=
        std::string::npos);
  c.horizon_days = 2920;
  CHECK(models::plain_reading({}, c).find("those of years 2-8") != std::string::npos);
  c.estimand = models::World::Estimand::kSteadyState;
  CHECK(models::plain_reading({}, c).find("meant as long-run rates") != std::string::npos);
  CHECK(models::plain_reading({}, c).find("is shorter") == std::string::npos);
  c.warmup_days = 100;
  CHECK(models::plain_reading({}, c).find("this run's warm-up of 100 days is shorter") !=
        std::string::npos);
  c.estimand = models::World::Estimand::kUnspecified;
  CHECK(models::plain_reading({}, c).find("yearly figures are") == std::string::npos);
}
