#pragma once

#include <spdlog/logger.h>

#include <functional>
#include <optional>
#include <string>

#include "models/policies/policy_registry.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/world.hpp"

namespace chiptrail::cli {

// Runs `load`, which reads an input file and may throw MissingInput or InvalidInput, and
// reports those as every command does: each error as file:line:column: field: message on
// stderr. Returns 0, 66 (missing file) or 65 (invalid file).
int load_or_report(const std::string& path, const std::function<void()>& load, spdlog::logger& log);

struct LoadedScenario {
  models::ScenarioFile file;  // as read: for the manifest (hash, resolved scenario)
  models::World world;        // validated
};

// Loads and validates a scenario for a command. On failure prints every error to stderr
// (file:line:column: field: message) and returns the exit code to use: 66 for a missing file,
// 65 for an invalid one. On success returns 0 and fills `loaded`.
int load_scenario(const std::string& path, const models::PolicyRegistry& registry,
                  std::optional<LoadedScenario>& loaded, spdlog::logger& log);

}  // namespace chiptrail::cli
