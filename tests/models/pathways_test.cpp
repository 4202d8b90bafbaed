// The stock of compute in service with restricted users (chips' lifetimes), and insiders at the
// seller (Flow.insider) with the audits that find them: against hand values and closed forms.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "models/analytic/scenario_analysis.hpp"
#include "models/metric_glossary.hpp"
#include "models/run_config.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario_test_support.hpp"
#include "models/supply_chain_model.hpp"
#include "sim/running_stats.hpp"

using namespace chiptrail;
using testing::base_scenario;

namespace {

// `lots` lots of 8 chips sold on days 0, 1, ..., operated `operate` days at the data center,
// then carried to the end facility: delivered operate + 3 days after sale. `extra` goes into
// the flow.
std::string flow(int lots, int operate, const std::string& extra = "") {
  std::string at;
  for (int i = 0; i < lots; ++i) at += (i ? ", " : "") + std::to_string(i);
  return "flows { id: \"d\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
         "  arrivals { schedule { at_days: [" +
         at + "] } } lot_chips { fixed: 8 } route: [\"v\", \"dc\"]\n" + extra +
         "  tactics { consignment_chips: 8 end_facility: \"end\" operate_days { fixed: " +
         std::to_string(operate) + " } } }\n";
}

std::string with_lifetime(const std::string& scenario, const std::string& lifetime) {
  const std::string chip = "controlled: true";
  std::string s = scenario;
  s.replace(s.find(chip), chip.size(), chip + " lifetime_days { " + lifetime + " }");
  return s;
}

}  // namespace

TEST_CASE("the stock in service: delivered compute, aged by the chips' lifetime") {
  // Ten lots of 8 chips delivered on days 3..12; horizon 100.
  const std::string text = base_scenario() + flow(10, 0);
  {
    const models::RunMetrics m = models::run_replication(testing::world_from_text(text), 0);
    CHECK(m.get("h100e_delivered_restricted") == 80);
    CHECK(m.get("h100e_in_service_restricted") == 80);  // no lifetime: none fail
  }
  const models::World w =
      testing::world_from_text(with_lifetime(text, "exponential { mean: 100 }"));
  models::RunConfig config = models::default_run(w);
  config.period = sim::Time::days(30);
  const models::RunMetrics m = models::run_replication(w, config, 0);
  const auto expected_at = [](double t) {
    double sum = 0;
    for (int s = 0; s < 10; ++s) sum += t >= s + 3 ? 8 * std::exp(-(t - (s + 3)) / 100) : 0;
    return sum;
  };
  CHECK(m.get("h100e_in_service_restricted") == doctest::Approx(expected_at(100)));
  const std::size_t column = models::period_metric_names().size() - 1;
  REQUIRE(models::period_metric_names()[column] == "h100e_in_service_restricted");
  REQUIRE(m.periods.size() == 4);  // days 0-30, 30-60, 60-90, 90-100
  CHECK(m.periods[0][column] == doctest::Approx(expected_at(30)));
  CHECK(m.periods[2][column] == doctest::Approx(expected_at(90)));
  CHECK(m.periods[3][column] == doctest::Approx(expected_at(100)));
  // A fixed lifetime of 90 days: by day 100 the lots delivered on days 3..10 have failed (a
  // chip 90 days old is past its lifetime); those of days 11 and 12 work.
  const models::RunMetrics fixed =
      models::run_replication(testing::world_from_text(with_lifetime(text, "fixed: 90")), 0);
  CHECK(fixed.get("h100e_in_service_restricted") == 2 * 8);
}

TEST_CASE(
    "in every scenario: the stock without lifetimes is what was delivered, and the pathways "
    "add up to the whole") {
  const auto registry = testing::builtin_registry();
  for (const std::string& path : testing::shipped_scenarios(CHIPTRAIL_SOURCE_DIR)) {
    CAPTURE(path);
    models::World w = models::load_world(path, registry);
    for (models::ChipModel& c : w.chips) c.lifetime_days.reset();
    const models::RunMetrics m = models::run_replication(w, 0);
    CHECK(m.get("h100e_in_service_restricted") ==
          doctest::Approx(m.get("h100e_delivered_restricted")).epsilon(1e-9));
    double physical = 0, remote = 0;
    bool leases = false;
    for (const models::Flow& f : w.flows) {
      if (!f.diversion) continue;
      leases = leases || f.remote_access;
      if (f.remote_access) {
        remote += m.get("h100e_years_remote_used_per_year_via." + f.id);
      } else {
        physical += m.get("h100e_delivered_restricted_per_year_via." + f.id);
      }
    }
    CHECK(physical == doctest::Approx(m.get("h100e_delivered_restricted_per_year")).epsilon(1e-9));
    if (leases) {
      CHECK(remote == doctest::Approx(m.get("h100e_years_remote_used_per_year")).epsilon(1e-9));
    }
  }
}

TEST_CASE("insiders wave lots through vetting; vetting still stops the others") {
  // Vetting catches every lot no insider handled: lots stopped at sale ~ Binomial(n, 1 - 0.4).
  const std::string vetting =
      "policies { name: \"kyc\" customer_vetting { catch_probability_medium: 1 } }\n";
  const models::World w = testing::world_from_text(
      base_scenario() + flow(50, 0, "  insider { probability: 0.4 }\n") + vetting);
  double interdicted = 0, diverted = 0;
  for (std::uint64_t r = 0; r < 100; ++r) {
    const models::RunMetrics m = models::run_replication(w, r);
    interdicted += m.get("lots_interdicted");
    diverted += m.get("lots_diverted");
  }
  CHECK(diverted == 5000);
  CHECK(std::abs(interdicted / diverted - 0.6) < 4.5 * std::sqrt(0.6 * 0.4 / diverted));
  // An insider who only falsifies serials does not get past vetting.
  const models::World serials_only = testing::world_from_text(
      base_scenario() + flow(50, 0, "  insider { probability: 1 bypasses_vetting: false }\n") +
      vetting);
  CHECK(models::run_replication(serials_only, 0).get("lots_interdicted") == 50);
  // The analytic solver declines the mixture.
  const auto analysis = models::analyze(w);
  REQUIRE(!analysis.at(0).obstacles.empty());
  CHECK(analysis[0].obstacles[0].find("insider") != std::string::npos);
}

TEST_CASE("falsified serial records hide removed lots from the registry") {
  // Daily rounds sampling every chip: each removed lot is found missing at the next round.
  const std::string registry =
      "policies { name: \"registry\" serial_registry { rounds_per_site_per_year: 365 "
      "sampling_fraction: 1 } }\n";
  std::string text = base_scenario() + flow(20, 10) + registry;
  text.replace(text.find("horizon_days: 100"), 17, "horizon_days: 200");
  const models::RunMetrics honest = models::run_replication(testing::world_from_text(text), 0);
  CHECK(honest.get("lots_flagged_by.registry") == 20);
  std::string falsified = base_scenario() +
                          flow(20, 10, "  insider { probability: 1 bypasses_vetting: false }\n") +
                          registry;
  falsified.replace(falsified.find("horizon_days: 100"), 17, "horizon_days: 200");
  CHECK(models::run_replication(testing::world_from_text(falsified), 0)
            .get("lots_flagged_by.registry") == 0);
}

TEST_CASE("an insider audit's finding counts when it is made, and never after the horizon") {
  // Lots sold on days 0..99; the audit finds a record after Exp(mean 100 years). In a year's
  // run, lot i is found (flagged) with p_i = 1 - exp(-(365 - i) / 36500): ~0.86 of the 100
  // lots a replication, not all of them at their sale.
  models::World w =
      testing::world_from_text(base_scenario() + flow(100, 20, "  insider { probability: 1 }\n") +
                               "policies { name: \"audit\" insider_audit { audits_per_year: 0.01 "
                               "detection_probability: 1 } }\n");
  w.horizon = sim::Time::days(365);
  double expected = 0, variance = 0;
  for (int i = 0; i < 100; ++i) {
    const double p = 1 - std::exp(-(365.0 - i) / 36500.0);
    expected += p;
    variance += p * (1 - p);
  }
  constexpr int kReplications = 200;
  double flagged = 0;
  sim::RunningStats days_to_find;
  for (std::uint64_t r = 0; r < kReplications; ++r) {
    const models::RunMetrics m = models::run_replication(w, r);
    flagged += m.get("lots_flagged");
    CHECK(m.get("lots_flagged_by.audit") == m.get("lots_flagged"));
    CHECK(m.get("lots_first_flagged_by.audit") == m.get("lots_flagged"));
    if (m.get("lots_flagged") > 0) days_to_find.add(m.get("mean_days_to_first_flag"));
  }
  CAPTURE(flagged / kReplications);
  CAPTURE(expected);
  CHECK(std::abs(flagged - kReplications * expected) < 4 * std::sqrt(kReplications * variance));
  // Found on average well after the sale (uniform over the time left, given found): not 0.
  CHECK(days_to_find.mean() > 50);
}

TEST_CASE("insider audits find a falsified record after an exponential time") {
  // Audits 36.5 a year, each finding the record: found Exp(mean 10 days) after sale. A lot is
  // in the chain for 23 days (sale to delivery), so it is seized with 1 - e^{-2.3}, else
  // flagged after delivery; the horizon (1000 days) leaves every record found.
  models::World long_run = testing::world_from_text(
      base_scenario() + flow(50, 20, "  insider { probability: 1 }\n") +
      "policies { name: \"audit\" cost_per_unit_usd: 1000 insider_audit { audits_per_year: 36.5 "
      "detection_probability: 1 } }\n");
  long_run.horizon = sim::Time::days(1000);
  double interdicted = 0, flagged = 0;
  constexpr double kLots = 50 * 100;
  for (std::uint64_t r = 0; r < 100; ++r) {
    const models::RunMetrics m = models::run_replication(long_run, r);
    interdicted += m.get("lots_interdicted");
    flagged += m.get("lots_flagged_by.audit");
    // 36.5 audits a year at $1,000 over 1,000 days, whatever the lots do.
    CHECK(m.get("cost_usd_by.audit") == doctest::Approx(36.5 * 1000 * 1000 / 365.0));
  }
  CHECK(flagged == kLots);
  const double p = 1 - std::exp(-2.3);
  CHECK(std::abs(interdicted / kLots - p) < 4.5 * std::sqrt(p * (1 - p) / kLots));
  // Without insiders there is nothing to find.
  models::World honest =
      testing::world_from_text(base_scenario() + flow(50, 20) +
                               "policies { name: \"audit\" insider_audit { audits_per_year: 36.5 "
                               "detection_probability: 1 } }\n");
  CHECK(models::run_replication(honest, 0).get("lots_flagged") == 0);
  CHECK_THROWS_WITH_AS(
      testing::world_from_text(base_scenario() + flow(5, 0, "  insider { probability: 2 }\n")),
      doctest::Contains("flows[0].insider.probability"), models::InvalidInput);
  CHECK_THROWS_WITH_AS(testing::world_from_text(base_scenario() + flow(5, 0, "  insider { }\n")),
                       doctest::Contains("flows[0].insider.probability: is required"),
                       models::InvalidInput);
}

namespace {

// `lots` lots of 8 chips written off through `channel` at the data center on days 0, 1, ...,
// dismantled there at once, 2 days to the end facility, reassembled after 100 days (delivered
// on day s + 102); horizon 400.
std::string second_hand(int lots, const std::string& channel) {
  std::string at;
  for (int i = 0; i < lots; ++i) at += (i ? ", " : "") + std::to_string(i);
  std::string s = base_scenario();
  s.replace(s.find("horizon_days: 100"), 17, "horizon_days: 400");
  return s +
         "flows { id: \"s\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
         "  second_hand { channel: " +
         channel + " } destination: \"dc\"\n  arrivals { schedule { at_days: [" + at +
         "] } } lot_chips { fixed: 8 }\n"
         "  tactics { consignment_chips: 8 end_facility: \"end\" reassembly_days { fixed: 100 } "
         "} }\n";
}

std::string registry(const std::string& checks) {
  return "policies { name: \"registry\" serial_registry { rounds_per_site_per_year: 365 "
         "sampling_fraction: 1 " +
         checks + " } }\n";
}

}  // namespace

TEST_CASE("second-hand chips enter the stock in service with their age, not as new chips") {
  // Lots start at the data center on days s = 0..9 and are delivered on s + 102; the horizon is
  // day 400. Their age counts from their start, less SecondHand.age_days.
  const auto in_service = [](const std::string& age, const std::string& lifetime) {
    std::string text = with_lifetime(second_hand(10, "RESALE"), lifetime);
    text.replace(text.find("channel: RESALE"), 15, "channel: RESALE" + age);
    return models::run_replication(testing::world_from_text(text), 0)
        .get("h100e_in_service_restricted");
  };
  // A fixed life of 395 days: at day 400, aged 400 - s, the lots of s = 6..9 work (as new chips
  // aged from delivery all ten would).
  CHECK(in_service("", "fixed: 395") == 4 * 8);
  CHECK(in_service("", "fixed: 450") == 10 * 8);
  // 300 days in service before: aged 700 - s at day 400, past a life of 450 days; they worked
  // when delivered (aged 402 - s), so they entered the stock.
  CHECK(in_service(" age_days: 300", "fixed: 450") == 0);
  // A lifetime of mean 100 days, exponential: memoryless, so the age changes nothing. Given
  // working at delivery (day s + 102), each survives to 400 with exp(-(298 - s) / 100).
  double expected = 0;
  for (int s = 0; s < 10; ++s) expected += 8 * std::exp(-(298.0 - s) / 100);
  CHECK(in_service(" age_days: 300", "exponential { mean: 100 }") == doctest::Approx(expected));
}

TEST_CASE("second-hand chips: no sale to vet, and audits see them only through the write-off") {
  // Vetting at every node catches every front: it never meets a write-off.
  const models::RunMetrics vetted = models::run_replication(
      testing::world_from_text(
          second_hand(50, "FAILED_UNIT") +
          "policies { name: \"kyc\" customer_vetting { catch_probability_medium: 1 } }\n"),
      0);
  CHECK(vetted.get("lots_diverted") == 50);
  CHECK(vetted.get("lots_interdicted") == 0);
  CHECK(vetted.get("lots_delivered_restricted") == 50);
  // Daily full rounds find nothing missing: the chips are off the register ...
  CHECK(models::run_replication(
            testing::world_from_text(second_hand(50, "FAILED_UNIT") + registry("")), 0)
            .get("lots_flagged") == 0);
  // ... unless the round checks that channel's write-offs.
  CHECK(
      models::run_replication(
          testing::world_from_text(second_hand(50, "FAILED_UNIT") +
                                   registry("write_off_checks { channel: RESALE probability: 1 }")),
          0)
          .get("lots_flagged") == 0);
  CHECK(models::run_replication(
            testing::world_from_text(
                second_hand(50, "FAILED_UNIT") +
                registry("write_off_checks { channel: FAILED_UNIT probability: 1 }")),
            0)
            .get("lots_flagged_by.registry") == 50);
  // End-use visits likewise.
  CHECK(models::run_replication(
            testing::world_from_text(
                second_hand(50, "RMA_SWAP") +
                "policies { name: \"visits\" end_use_check { visits_per_site_per_year: 365 "
                "write_off_checks { channel: RMA_SWAP probability: 1 } } }\n"),
            0)
            .get("lots_flagged_by.visits") == 50);
}

TEST_CASE("second-hand chips: a check of each round finds a write-off at its Poisson rate") {
  // Rounds at 1 a day, each checking the write-off with 0.01. The lot written off on day s is
  // missing from its site from then to the horizon (400; delivered, it is still missing there):
  // found with 1 - e^{-0.01 (400 - s)}, lots independent.
  const models::World w =
      testing::world_from_text(second_hand(50, "RESALE") +
                               registry("write_off_checks { channel: RESALE probability: 0.01 }"));
  double flagged = 0, expected = 0, variance = 0;
  constexpr int kReplications = 100;
  for (std::uint64_t r = 0; r < kReplications; ++r) {
    flagged += models::run_replication(w, r).get("lots_flagged_by.registry");
  }
  for (int s = 0; s < 50; ++s) {
    const double p = 1 - std::exp(-0.01 * (400 - s));
    expected += kReplications * p;
    variance += kReplications * p * (1 - p);
  }
  CHECK(std::abs(flagged - expected) < 4.5 * std::sqrt(variance));
  const auto analysis = models::analyze(w);
  REQUIRE(!analysis.at(0).obstacles.empty());
  CHECK(analysis[0].obstacles[0].find("second-hand") != std::string::npos);
}

TEST_CASE("second-hand flows: errors name the field") {
  std::string legit = second_hand(1, "RESALE");
  legit.replace(legit.find("kind: DIVERSION"), 15, "kind: LEGITIMATE");
  CHECK_THROWS_WITH_AS(testing::world_from_text(legit), doctest::Contains("flows[0].second_hand"),
                       models::InvalidInput);
  std::string unset = second_hand(1, "RESALE");
  unset.replace(unset.find("channel: RESALE"), 15, "");
  CHECK_THROWS_WITH_AS(testing::world_from_text(unset),
                       doctest::Contains("flows[0].second_hand.channel: is required"),
                       models::InvalidInput);
  std::string routed = second_hand(1, "RESALE");
  routed.replace(routed.find("destination: \"dc\""), 17, "route: [\"v\", \"dc\"]");
  CHECK_THROWS_WITH_AS(testing::world_from_text(routed), doctest::Contains("flows[0].route"),
                       models::InvalidInput);
  CHECK_THROWS_WITH_AS(testing::world_from_text(second_hand(1, "RESALE") +
                                                registry("write_off_checks { probability: 0.5 }")),
                       doctest::Contains("write_off_checks[0].channel"), models::InvalidInput);
  CHECK_THROWS_WITH_AS(
      testing::world_from_text(second_hand(1, "RESALE") +
                               registry("write_off_checks { channel: RESALE probability: 2 }")),
      doctest::Contains("write_off_checks[0].probability"), models::InvalidInput);
}
