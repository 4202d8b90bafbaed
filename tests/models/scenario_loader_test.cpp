#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/scenario_test_support.hpp"

using namespace chiptrail;
using chiptrail::testing::base_scenario;
using chiptrail::testing::builtin_registry;
using chiptrail::testing::world_from_text;

namespace {

// Loads `text` expecting failure; returns the errors.
std::vector<models::InputError> errors_of(const std::string& text,
                                          const std::string& name = "bad.textproto") {
  try {
    world_from_text(text, builtin_registry(), name);
  } catch (const models::InvalidInput& e) {
    return e.errors();
  }
  FAIL("expected the scenario to be rejected");
  return {};
}

// Expects exactly one error, at `line`, on `field`, mentioning `words`.
void expect_error(const std::string& text, int line, const std::string& field,
                  const std::string& words) {
  const auto errors = errors_of(text);
  REQUIRE(errors.size() == 1);
  const models::InputError& e = errors.front();
  CAPTURE(e.to_string());
  CHECK(e.file == "bad.textproto");
  CHECK(e.line == line);
  CHECK(e.column > 0);
  CHECK(e.field == field);
  CHECK(e.message.find(words) != std::string::npos);
}

const std::string kLegitFlow =
    "flows { id: \"l\" kind: LEGITIMATE chip_model: \"B200\" packaging: SERVER_8\n"  // line 10
    "  arrivals { poisson_per_year: 4 }\n"                                           // 11
    "  lot_chips { fixed: 64 }\n"                                                    // 12
    "  route: [\"v\", \"dc\"]\n"                                                     // 13
    "}\n";

}  // namespace

TEST_CASE("the shipped scenarios load") {
  const auto registry = builtin_registry();
  const auto scenarios = chiptrail::testing::shipped_scenarios(CHIPTRAIL_SOURCE_DIR);
  REQUIRE(scenarios.size() >= 7);
  for (const std::string& path : scenarios) {
    CAPTURE(path);
    const models::World w = models::load_world(path, registry);
    CHECK(w.network.node_count() > 3);
    CHECK_FALSE(w.flows.empty());
    CHECK_FALSE(w.policies.empty());
  }
}

TEST_CASE("a valid scenario becomes a world with resolved routes") {
  const models::World w =
      world_from_text(base_scenario() + kLegitFlow + testing::diversion_flow(2, 64, 16));
  REQUIRE(w.flows.size() == 2);
  CHECK(w.horizon == sim::Time::days(100));
  CHECK(w.replications == 100);  // the default
  CHECK(w.flows[0].route.size() == 1);
  const models::Tactics& t = w.flows[1].tactics;
  CHECK(t.to_dismantle.empty());  // no dealer on the way: dismantled at the data center
  CHECK(t.to_end.size() == 2);    // dc -> b -> end, found by Dijkstra
  CHECK(w.network.node(t.end_facility).id == "end");
}

TEST_CASE("the same scenario in JSON loads to the same world") {
  const std::string json = R"({
    "horizon_days": 100,
    "chips": [{"model": "B200"}],
    "nodes": [{"id": "v", "kind": "VENDOR"}, {"id": "dc", "kind": "DATA_CENTER"}],
    "edges": [{"from": "v", "to": "dc", "mode": "AIR", "transit_days": {"fixed": 2}}],
    "flows": [{"id": "l", "kind": "LEGITIMATE", "chip_model": "B200", "packaging": "LOOSE",
               "arrivals": {"poisson_per_year": 3}, "lot_chips": {"fixed": 10},
               "route": ["v", "dc"]}]
  })";
  const models::World w = world_from_text(json, builtin_registry(), "s.json");
  CHECK(w.network.node_count() == 2);
  CHECK(w.flows.at(0).arrival_rate.base == 3);
  CHECK_THROWS_AS(world_from_text("{\"horizon_days\": \"soon\"}", builtin_registry(), "s.json"),
                  models::InvalidInput);
}

TEST_CASE("JSON errors carry a line and column too: syntax, types, and validation") {
  const auto first_error = [](const std::string& json) {
    try {
      world_from_text(json, builtin_registry(), "s.json");
    } catch (const models::InvalidInput& e) {
      return e.errors().front();
    }
    FAIL("expected an error");
    return models::InputError{};
  };
  // Validation: the latitude member of node 0, on line 3 at column 43 (its key).
  const models::InputError range = first_error(
      "{\n  \"horizonDays\": 10,\n  \"nodes\": [{\"id\": \"a\", \"kind\": \"VENDOR\", "
      "\"latitude\": 300}]\n}");
  CHECK(range.line == 3);
  CHECK(range.column == 43);
  CHECK(range.field == "nodes[0].latitude");
  // A type error protobuf reports by field.
  const models::InputError type = first_error("{\n\n  \"seed\": 1, \"horizon_days\": \"soon\"}");
  CHECK(type.line == 3);
  CHECK(type.column == 14);
  // Syntax: a missing comma, found at the next member.
  const models::InputError syntax = first_error("{\"horizon_days\": 10\n \"seed\": 2}");
  CHECK(syntax.line == 2);
  CHECK(syntax.column == 2);
  CHECK(syntax.message.find("expected '}'") != std::string::npos);
  // Nesting is bounded, so hostile depth cannot exhaust the stack.
  const models::InputError deep = first_error(std::string(100000, '[') + std::string(100000, ']'));
  CHECK(deep.message.find("nested more than 64 deep") != std::string::npos);
}

TEST_CASE("syntax errors carry the parser's line and column") {
  const auto errors = errors_of("horizon_days: 10\nnodes { id: \"a\" kind: VENDR }\n");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].line == 2);
  CHECK(errors[0].column > 1);
  CHECK(errors[0].message.find("VENDR") != std::string::npos);
  CHECK(errors[0].to_string().rfind("bad.textproto:2:", 0) == 0);
}

TEST_CASE("an unknown field is a syntax error") {
  const auto errors = errors_of("horizon_days: 10\nhorizon_years: 3\n");
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].line == 2);
}

TEST_CASE("an edge to an unknown node") {
  expect_error(base_scenario() +
                   "edges { from: \"v\" to: \"nowhere\" mode: AIR transit_days { fixed: 1 } }\n",
               10, "edges[3].to", "unknown node \"nowhere\"");
}

TEST_CASE("a route that is not a path") {
  std::string flow = kLegitFlow;
  const std::string good_route = "route: [\"v\", \"dc\"]";
  flow.replace(flow.find(good_route), good_route.size(), "route: [\"v\", \"b\"]");
  const auto errors = errors_of(base_scenario() + flow);
  REQUIRE(errors.size() == 1);  // the broken route is reported once, not again as a bad end
  CHECK(errors[0].line == 13);
  CHECK(errors[0].field == "flows[0].route[1]");
  CHECK(errors[0].message.find("is not a path") != std::string::npos);
}

TEST_CASE("a probability outside [0, 1]") {
  expect_error(base_scenario() +
                   "policies { name: \"c\"\n"
                   "  customs_inspection {\n"
                   "    inspection_rate: 1.5\n"
                   "  }\n}\n",
               12, "policies[0].customs_inspection.inspection_rate", "[0, 1]");
  expect_error(
      base_scenario() +
          "flows { id: \"d\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
          "  arrivals { poisson_per_year: 1 } lot_chips { fixed: 8 } route: [\"v\", \"dc\"]\n"
          "  tactics { consignment_chips: 8 end_facility: \"end\"\n"
          "    relabel_probability: -0.1 }\n}\n",
      13, "flows[0].tactics.relabel_probability", "[0, 1]");
}

TEST_CASE("a negative time") {
  expect_error(base_scenario() +
                   "edges { from: \"v\" to: \"b\" mode: AIR\n"
                   "  transit_days { fixed: -2 } }\n",
               11, "edges[3].transit_days.fixed", "non-negative");
  expect_error("horizon_days: -5\n", 1, "horizon_days", "positive");
}

TEST_CASE("a flow with no path to its destination") {
  const std::string flow =
      "flows { id: \"l\" kind: LEGITIMATE chip_model: \"B200\" packaging: LOOSE\n"
      "  arrivals { poisson_per_year: 1 } lot_chips { fixed: 1 }\n"
      "  source: \"end\"\n"
      "  destination: \"dc\"\n}\n";
  expect_error(base_scenario() + flow, 13, "flows[0].destination",
               "no path from \"end\" to \"dc\"");
}

TEST_CASE("duplicate ids") {
  expect_error(base_scenario() + "nodes { id: \"dc\" kind: DEALER }\n", 10, "nodes[4].id",
               "duplicate node id \"dc\"");
  expect_error(base_scenario() + "chips { model: \"B200\" }\n", 10, "chips[1].model",
               "duplicate chip model");
}

TEST_CASE("unknown policy kinds and references") {
  expect_error(base_scenario() + "policies { name: \"x\" custom { kind: \"telepathy\" } }\n", 10,
               "policies[0].custom", "no policy of kind \"telepathy\"");
  expect_error(base_scenario() +
                   "policies { name: \"x\" scope { chip_models: \"Z9\" } customs_inspection {} }\n",
               10, "policies[0].scope.chip_models[0]", "unknown chip model \"Z9\"");
}

TEST_CASE("every error is reported, not just the first") {
  const auto errors = errors_of(
      "horizon_days: 0\n"
      "nodes { id: \"a\" }\n"
      "nodes { id: \"a\" kind: VENDOR latitude: 95 }\n");
  CHECK(errors.size() == 4);  // horizon, missing kind, duplicate id, latitude
}

TEST_CASE("a missing file and a directory are reported as missing input") {
  CHECK_THROWS_AS(models::read_scenario_file("/nonexistent/scenario.textproto"),
                  models::MissingInput);
  CHECK_THROWS_AS(models::read_scenario_file(CHIPTRAIL_SOURCE_DIR "/scenarios"),
                  models::MissingInput);
}

namespace {
// Writes `text` to `name` in a fresh directory for this test run; returns the path.
std::string write_temp(const std::string& dir, const std::string& name, const std::string& text) {
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + name;
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("a scenario that extends another merges onto it, and errors point into the right file") {
  const std::string dir = std::filesystem::temp_directory_path().string() + "/chiptrail_extends_" +
                          std::to_string(::getpid());
  write_temp(dir, "base.textproto",
             base_scenario() + testing::diversion_flow(2, 8, 8) +
                 "policies { name: \"c\" customs_inspection { inspection_rate: 0.1 } }\n");
  const std::string variant =
      write_temp(dir, "variant.textproto",
                 "extends: \"base.textproto\"\n"
                 "horizon_days: 50\n"
                 "policies { name: \"v\" customs_inspection { inspection_rate: 0.2 } }\n");
  const models::World w = models::load_world(variant, builtin_registry());
  CHECK(w.horizon == sim::Time::days(50));  // replaced
  REQUIRE(w.policies.size() == 2);          // appended
  CHECK(w.policies[0].name == "c");
  CHECK(w.policies[1].name == "v");
  CHECK(w.flows.size() == 1);

  // An error in the variant's own policy: the variant file, its line.
  const std::string bad_variant = write_temp(dir, "bad_variant.textproto",
                                             "extends: \"base.textproto\"\n"
                                             "policies { name: \"v\"\n"
                                             "  customs_inspection { inspection_rate: 2 } }\n");
  try {
    models::load_world(bad_variant, builtin_registry());
    FAIL("expected an error");
  } catch (const models::InvalidInput& e) {
    REQUIRE(e.errors().size() == 1);
    CHECK(e.errors()[0].file == bad_variant);
    CHECK(e.errors()[0].line == 3);
    CHECK(e.errors()[0].field == "policies[1].customs_inspection.inspection_rate");
  }
  // An error in an element that came from the base is located in the base file.
  const std::string base_bad = write_temp(
      dir, "base_bad.textproto",
      base_scenario() + "edges { from: \"v\" to: \"x\" mode: AIR transit_days { fixed: 1 } }\n");
  const std::string on_bad =
      write_temp(dir, "on_bad.textproto", "extends: \"base_bad.textproto\"\n");
  try {
    models::load_world(on_bad, builtin_registry());
    FAIL("expected an error");
  } catch (const models::InvalidInput& e) {
    REQUIRE(e.errors().size() == 1);
    CHECK(e.errors()[0].file == base_bad);
    CHECK(e.errors()[0].line == 10);
  }
  // Cycles and missing bases are refused with the extends line.
  write_temp(dir, "a.textproto", "extends: \"b.textproto\"\n");
  const std::string b =
      write_temp(dir, "b.textproto", "horizon_days: 5\nextends: \"a.textproto\"\n");
  try {
    models::load_world(b, builtin_registry());
    FAIL("expected an error");
  } catch (const models::InvalidInput& e) {
    CHECK(e.errors()[0].message.find("extends itself") != std::string::npos);
  }
  const std::string orphan =
      write_temp(dir, "orphan.textproto", "extends: \"nowhere.textproto\"\n");
  CHECK_THROWS_AS(models::load_world(orphan, builtin_registry()), models::InvalidInput);
  std::filesystem::remove_all(dir);
}

TEST_CASE("adversary and lever settings are checked, each error at its line") {
  const std::string b = base_scenario() + kLegitFlow;  // 14 lines
  expect_error(b + "adversary { adaptive: true\n  observed_share: 2 }\n", 16,
               "adversary.observed_share", "probability");
  expect_error(b + "adversary { adaptive: true\n  prior_detection: 1 }\n", 16,
               "adversary.prior_detection", "(0, 1)");
  expect_error(b + "adversary { adaptive: true\n  substitute_chip: \"Ascend\" }\n", 16,
               "adversary.substitute_chip", "unknown chip model");
  expect_error(b + "adversary { adaptive: true\n  information_delay_days: -1 }\n", 16,
               "adversary.information_delay_days", "non-negative");
  // Off, its settings are not read.
  CHECK_NOTHROW(world_from_text(b + "adversary { observed_share: 2 }\n"));
  expect_error(b + "levers { path: \"horizon_days\" cost_per_unit_usd: 0 max: 1 }\n", 15,
               "levers[0].cost_per_unit_usd", "positive");
  expect_error(b + "levers { path: \"horizon_days\" cost_per_unit_usd: 1 min: 2 max: 1 }\n", 15,
               "levers[0].max", "above min");
  expect_error(b + "levers { path: \"nodes[id=zz].latitude\" cost_per_unit_usd: 1 max: 1 }\n", 15,
               "levers[0].path", "zz");
}
