#pragma once

#include <optional>
#include <string>

#include "models/policies/policy_registry.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/world.hpp"

namespace chiptrail::cli {

struct LoadedScenario {
  models::ScenarioFile file;  // as read: for the manifest (hash, resolved scenario)
  models::World world;        // validated
};

// Loads and validates a scenario for a command. On failure prints every error to stderr
// (file:line:column: field: message) and returns the exit code to use: 66 for a missing file,
// 65 for an invalid one. On success returns 0 and fills `loaded`.
int load_scenario(const std::string& path, const models::PolicyRegistry& registry,
                  std::optional<LoadedScenario>& loaded);

}  // namespace chiptrail::cli
