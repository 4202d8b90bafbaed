#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>
#include <string>
#include <vector>

#include "models/policies/policy_registry.hpp"

namespace chiptrail::cli {

// `chiptrail run SCENARIO`: replications of a scenario, a summary table with CIs, and with
// --out the files runs.csv, summary.csv and manifest.json.
// `command_line` (argv) is recorded in manifest.json.
void add_run_command(CLI::App& app, const models::PolicyRegistry& registry,
                     const std::vector<std::string>& command_line, int& exit_code,
                     spdlog::logger& log);

}  // namespace chiptrail::cli
