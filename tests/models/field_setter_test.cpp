// models::set_numeric_field: the paths sweeps, levers, uncertain entries and explorer edits use.
#include "models/sweep/field_setter.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "chiptrail/v1/scenario.pb.h"
#include "models/scenario/scenario_file.hpp"

using namespace chiptrail;

namespace {

v1::Scenario scenario() {
  return *models::parse_scenario_text("t.textproto", R"(
horizon_days: 10
chips { model: "B200" }
nodes { id: "a" kind: VENDOR }
nodes { id: "b" kind: DATA_CENTER }
flows { id: "f" arrivals { poisson_per_year: 3 } tactics { consignment_chips: 8 } }
policies { name: "c" customs_inspection { inspection_rate: 0.1 } }
)")
              .message;
}

std::string error_of(const std::string& path, double value) {
  v1::Scenario s = scenario();
  try {
    models::set_numeric_field(s, path, value);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("set_numeric_field: by index, by key, with the policy kind left out") {
  v1::Scenario s = scenario();
  models::set_numeric_field(s, "horizon_days", 20);
  models::set_numeric_field(s, "nodes[1].latitude", 1.5);
  models::set_numeric_field(s, "flows[id=f].arrivals.poisson_per_year", 0);
  models::set_numeric_field(s, "flows[id=f].tactics.consignment_chips", 15.6);  // rounded
  models::set_numeric_field(s, "policies[name=c].inspection_rate", 0.4);        // kind elided
  models::set_numeric_field(s, "policies[name=c].customs_inspection.turn_back_probability", 0);
  models::set_numeric_field(s, "chips[model=B200].controlled", 0);
  CHECK(s.horizon_days() == 20);
  CHECK(s.nodes(1).latitude() == 1.5);
  CHECK(s.flows(0).arrivals().poisson_per_year() == 0);
  CHECK(s.flows(0).arrivals().has_poisson_per_year());
  CHECK(s.flows(0).tactics().consignment_chips() == 16);
  CHECK(s.policies(0).customs_inspection().inspection_rate() == 0.4);
  // A written 0 is present, so it reads as 0, not as "left out".
  CHECK(s.policies(0).customs_inspection().has_turn_back_probability());
  CHECK(s.chips(0).has_controlled());
  CHECK_FALSE(s.chips(0).controlled());
}

TEST_CASE("set_numeric_field: every wrong path or value is an error naming it") {
  CHECK(error_of("nosuch", 1).find("'nosuch' is not a field") != std::string::npos);
  CHECK(error_of("nodes.latitude", 1).find("is a list") != std::string::npos);
  CHECK(error_of("nodes[2].latitude", 1).find("no such element (there are 2)") !=
        std::string::npos);
  CHECK(error_of("nodes[id=z].latitude", 1).find("no nodes with id = \"z\"") != std::string::npos);
  CHECK(error_of("horizon_days[0]", 1).find("is not a list") != std::string::npos);
  CHECK(error_of("horizon_days.x", 1).find("is a number, not a message") != std::string::npos);
  CHECK(error_of("nodes[0]", 1).find("names a message") != std::string::npos);
  CHECK(error_of("horizon_days", std::nan("")).find("must be finite") != std::string::npos);
  CHECK(error_of("flows[id=f].tactics.consignment_chips", -1).find("out of range") !=
        std::string::npos);
  CHECK(error_of("policies[name=c].heartbeat.interval_days", 1)
            .find("has customs_inspection set, not heartbeat") != std::string::npos);
  CHECK(error_of("flows[id=f].arrivals.schedule.at_days", 1)
            .find("has poisson_per_year set, not schedule") != std::string::npos);
  CHECK(error_of("nodes[id=a", 1).find("unclosed [") != std::string::npos);
}
