// A written value means what it says: every scalar setting has explicit presence, a default
// applies only when the field is left out, and a written 0 is either taken as 0 or refused at
// its line -- whether it comes from the file, a sweep factor, a lever, an uncertain draw or an
// explorer edit (all of which set fields through models::set_numeric_field). And `extends`
// merges by field kind (models/scenario/scenario_merge.hpp).
#include <doctest/doctest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/location_verification.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/scenario_test_support.hpp"
#include "models/supply_chain_model.hpp"
#include "models/sweep/field_setter.hpp"
#include "models/two_routes_scenario.hpp"
#include "sim/analysis/intervals.hpp"

using namespace chiptrail;
using chiptrail::testing::base_scenario;
using chiptrail::testing::builtin_registry;

namespace {

// `text` with the field at `path` set to `value` the way a sweep, lever, uncertain draw or
// explorer edit sets it, built into a world.
models::World with_value(const std::string& text, const std::string& path, double value) {
  models::ScenarioFile file = models::parse_scenario_text("test.textproto", text);
  models::set_numeric_field(*file.message, path, value);
  return models::build_world(file, builtin_registry());
}

// The error a value at `path` gets, or "" when it is accepted.
std::string error_for(const std::string& text, const std::string& path, double value) {
  try {
    (void)with_value(text, path, value);
  } catch (const models::InvalidInput& e) {
    REQUIRE(e.errors().size() == 1);
    return e.errors()[0].field + ": " + e.errors()[0].message;
  }
  return "";
}

// 200 diverted lots, operated in Hangzhou after delivery, 3,650 km from the only landmark: every
// enrolled lot violates every challenge there.
std::string verified(const std::string& settings) {
  std::string text = base_scenario() + testing::diversion_flow(200, 8, 8);
  text.replace(text.find("nodes { id: \"end\" kind: END_FACILITY }"), 38,
               "nodes { id: \"end\" kind: END_FACILITY latitude: 30.27 longitude: 120.16 }");
  return text + "policies { name: \"lv\" location_verification {\n" +
         "  landmarks { latitude: 1.35 longitude: 103.82 }\n"
         "  challenge_interval_days: 1 max_rtt_ms: 10 " +
         settings + " } }\n";
}

double lots_found_by(const models::World& w, const std::string& policy) {
  double found = 0;
  for (std::uint64_t r = 0; r < 3; ++r) {
    found += models::run_replication(w, r).get("lots_first_flagged_by." + policy);
  }
  return found;
}

}  // namespace

TEST_CASE("opt_in_share swept through 0: detection follows the share, 0 enrols nobody") {
  const std::string text = verified("");
  const std::string path = "policies[name=lv].location_verification.opt_in_share";
  for (const double share : {0.0, 0.001, 0.5, 1.0}) {
    CAPTURE(share);
    const double found = lots_found_by(with_value(text, path, share), "lv");
    // Every enrolled lot violates at its third challenge; lots are enrolled independently.
    CHECK(sim::wilson_interval(static_cast<std::uint64_t>(found), 600, 0.999).contains(share));
    if (share == 0) CHECK(found == 0);
  }
  // Left out: everybody (the documented default).
  CHECK(
      lots_found_by(models::build_world(models::parse_scenario_text("t", text), builtin_registry()),
                    "lv") == 600);
}

TEST_CASE("count_accuracy 0: a visit never notices; left out, every surprise visit does") {
  const std::string text = base_scenario() + testing::diversion_flow(20, 64, 64) +
                           "policies { name: \"euc\" end_use_check { visits_per_site_per_year: "
                           "36.5 } }\n";
  const std::string path = "policies[name=euc].end_use_check.count_accuracy";
  CHECK(lots_found_by(with_value(text, path, 0), "euc") == 0);
  CHECK(lots_found_by(with_value(text, path, 0.5), "euc") <=
        lots_found_by(with_value(text, path, 1), "euc"));
  CHECK(lots_found_by(testing::world_from_text(text), "euc") ==
        lots_found_by(with_value(text, path, 1), "euc"));
}

TEST_CASE("adversary settings: a written 0 is read as 0, left out takes the default") {
  const std::string text = testing::two_routes(1, 1, 0, 1, "adversary { adaptive: true }", 20);
  const models::World defaults = testing::world_from_text(text);
  REQUIRE(defaults.adversary);
  CHECK(defaults.adversary->learning_rate == 1);
  CHECK(defaults.adversary->observed_share == 1);
  CHECK(defaults.adversary->risk_aversion == 1);
  CHECK(defaults.adversary->grey_market_markup == 0.5);
  for (const char* field :
       {"learning_rate", "observed_share", "risk_aversion", "grey_market_markup",
        "information_delay_days", "delay_cost_per_chip_day_usd"}) {
    CAPTURE(field);
    const models::World w = with_value(text, std::string("adversary.") + field, 0);
    const models::AdversaryConfig& a = *w.adversary;
    CHECK(a.learning_rate == (std::string(field) == "learning_rate" ? 0 : 1));
    CHECK(a.observed_share == (std::string(field) == "observed_share" ? 0 : 1));
    CHECK(a.risk_aversion == (std::string(field) == "risk_aversion" ? 0 : 1));
    CHECK(a.grey_market_markup == (std::string(field) == "grey_market_markup" ? 0 : 0.5));
  }
  // Smugglers who learn nothing and smugglers who hear of nothing act alike: their beliefs stay
  // at the prior, so every Thompson draw is the same. Smugglers who learn avoid the inspected
  // border and are caught less.
  const auto caught = [](const models::World& w) {
    return models::run_replication(w, 0).get("lots_flagged");
  };
  const models::World deaf = with_value(text, "adversary.observed_share", 0);
  const models::World slow = with_value(text, "adversary.learning_rate", 0);
  const models::RunMetrics a = models::run_replication(deaf, 0);
  const models::RunMetrics b = models::run_replication(slow, 0);
  REQUIRE(a.values.size() == b.values.size());
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    CAPTURE(a.names[i]);
    CHECK((a.values[i] == b.values[i] || (std::isnan(a.values[i]) && std::isnan(b.values[i]))));
  }
  const models::World learning = testing::world_from_text(
      testing::two_routes(1, 1, 0, 1, "adversary { adaptive: true }", 300));
  const models::World not_learning = testing::world_from_text(
      testing::two_routes(1, 1, 0, 1, "adversary { adaptive: true learning_rate: 0 }", 300));
  CHECK(caught(learning) < caught(not_learning));
}

TEST_CASE("a written 0 that cannot mean anything is refused at its field, never replaced") {
  const std::string flows = testing::two_routes(1, 1, 0, 1, "adversary { adaptive: true }", 5);
  for (const char* path :
       {"adversary.prior_detection", "adversary.prior_detection_elsewhere",
        "adversary.prior_strength", "chips[0].h100_equivalents", "replications"}) {
    CAPTURE(path);
    CHECK(error_for(flows, path, 0).find(path) == 0);
  }
  const std::string lv = verified("");
  for (const char* field : {"fiber_speed_fraction", "path_stretch", "probes_per_challenge",
                            "violations_to_act", "window_challenges"}) {
    CAPTURE(field);
    const std::string path = std::string("policies[name=lv].location_verification.") + field;
    CHECK(error_for(lv, path, 0).find(std::string("location_verification.") + field) !=
          std::string::npos);
  }
  // overhead_ms and jitter_ms: 0 is a value (an ideal network), left out the defaults.
  CHECK(error_for(lv, "policies[name=lv].location_verification.overhead_ms", 0).empty());
  CHECK(error_for(lv, "policies[name=lv].location_verification.jitter_ms", 0).empty());
}

TEST_CASE("an uncontrolled chip is beyond every measure; naming it in a scope is an error") {
  const std::string text = base_scenario() + testing::diversion_flow(20, 8, 8) +
                           "policies { name: \"c\" customs_inspection { inspection_rate: 1 "
                           "detection_probability: 1 } }\n";
  CHECK(models::run_replication(testing::world_from_text(text), 0).get("lots_flagged") == 20);
  std::string free = text;
  free.replace(free.find("controlled: true"), 16, "controlled: false");
  const models::RunMetrics m = models::run_replication(testing::world_from_text(free), 0);
  CHECK(m.get("lots_flagged") == 0);
  CHECK(m.get("lots_delivered_restricted") == 20);
  CHECK(error_for(free + "policies { name: \"s\" scope { chip_models: \"B200\" }\n"
                         "  customs_inspection { inspection_rate: 1 } }\n",
                  "horizon_days", 100)
            .find("not export-controlled") != std::string::npos);
}

TEST_CASE("extends: written settings switch inherited ones off, named elements merge by key") {
  const std::string dir = std::filesystem::temp_directory_path().string() + "/chiptrail_merge_" +
                          std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  const auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir + "/" + name) << text;
    return dir + "/" + name;
  };
  write("base.textproto",
        testing::two_routes(0.5, 0.8, 0, 1,
                            "adversary { adaptive: true risk_aversion: 3 }\n"
                            "policies { name: \"tips\" whistleblower_tips { base_probability: "
                            "0.2 } }\n",
                            5));
  const std::string variant =
      write("variant.textproto",
            "extends: \"base.textproto\"\n"
            "adversary { adaptive: false }\n"
            "policies { name: \"customs_b1\" customs_inspection { inspection_rate: 0 } }\n"
            "flows { id: \"d\" tactics { onward_route: [\"dc\", \"dealer\", \"b2\", \"end\"] } }\n"
            "policies { name: \"new\" customs_inspection { inspection_rate: 0.1 } }\n");
  models::ScenarioFile file = models::read_scenario_file(variant);
  const v1::Scenario& s = *file.message;
  CHECK_FALSE(s.adversary().adaptive());      // switched off by a written false
  CHECK(s.adversary().risk_aversion() == 3);  // the rest inherited
  REQUIRE(s.policies_size() == 4);            // customs_b1, customs_b2, tips, then new
  CHECK(s.policies(0).name() == "customs_b1");
  CHECK(s.policies(0).customs_inspection().inspection_rate() == 0);          // written 0
  CHECK(s.policies(0).customs_inspection().detection_probability() == 0.8);  // inherited
  CHECK(s.policies(3).name() == "new");
  REQUIRE(s.flows_size() == 1);
  // A list inside a merged element is replaced, not appended to.
  CHECK(s.flows(0).tactics().onward_route_size() == 4);
  CHECK(s.flows(0).tactics().onward_route(2) == "b2");
  CHECK(s.flows(0).tactics().consignment_chips() == 64);  // inherited
  const models::World w = models::build_world(file, builtin_registry());
  CHECK_FALSE(w.adversary);

  // An error in a merged element points at the variant's line that wrote it.
  const std::string bad = write("bad.textproto",
                                "extends: \"base.textproto\"\n"
                                "horizon_days: 40\n"
                                "policies { name: \"customs_b2\"\n"
                                "  customs_inspection { inspection_rate: 3 } }\n");
  try {
    (void)models::load_world(bad, builtin_registry());
    FAIL("expected an error");
  } catch (const models::InvalidInput& e) {
    REQUIRE(e.errors().size() == 1);
    CHECK(e.errors()[0].file == bad);
    CHECK(e.errors()[0].line == 4);
    CHECK(e.errors()[0].field == "policies[1].customs_inspection.inspection_rate");
  }
  std::filesystem::remove_all(dir);
}
