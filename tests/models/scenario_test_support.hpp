#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "models/policies/policy_registry.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/scenario_file.hpp"

namespace chiptrail::testing {

// A small valid scenario, one field per line so tests can predict error lines. Tests append
// to it or replace parts of it. Line numbers are those of this text.
inline std::string base_scenario() {
  return R"(horizon_days: 100
chips { model: "B200" price_usd: 40000 controlled: true }
nodes { id: "v" kind: VENDOR }
nodes { id: "dc" kind: DATA_CENTER }
nodes { id: "b" kind: BORDER_CROSSING }
nodes { id: "end" kind: END_FACILITY }
edges { from: "v" to: "dc" mode: AIR transit_days { fixed: 1 } }
edges { from: "dc" to: "b" mode: TRUCK transit_days { fixed: 1 } }
edges { from: "b" to: "end" mode: TRUCK transit_days { fixed: 1 } }
)";
}

// A diversion flow through the border: `lots` lots at t = 0..lots-1 days of `chips` chips,
// dismantled into consignments of `consignment` chips at the data center.
inline std::string diversion_flow(int lots, int chips, int consignment) {
  std::string at;
  for (int i = 0; i < lots; ++i) at += (i ? ", " : "") + std::to_string(i % 50);
  return "flows { id: \"d\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
         "  arrivals { schedule { at_days: [" +
         at +
         "] } }\n"
         "  lot_chips { fixed: " +
         std::to_string(chips) +
         " }\n"
         "  route: [\"v\", \"dc\"]\n"
         "  tactics { consignment_chips: " +
         std::to_string(consignment) + " end_facility: \"end\" }\n}\n";
}

// Every scenario shipped in scenarios/, sorted.
inline std::vector<std::string> shipped_scenarios(const std::string& source_dir) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir + "/scenarios")) {
    if (entry.path().extension() == ".textproto") out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

inline models::PolicyRegistry builtin_registry() {
  models::PolicyRegistry r;
  models::register_builtin_policies(r);
  return r;
}

inline models::World world_from_text(const std::string& text,
                                     const models::PolicyRegistry& registry = builtin_registry(),
                                     const std::string& name = "test.textproto") {
  return models::build_world(models::parse_scenario_text(name, text), registry);
}

}  // namespace chiptrail::testing
