#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>
#include <string>
#include <vector>

#include "models/policies/policy_registry.hpp"

namespace chiptrail::cli {

// `chiptrail optimize SCENARIO --budget B`: where to spend an enforcement budget over the
// scenario's levers (models/allocation/allocation_search.hpp gives the method); prints the best
// allocation per budget on a frontier and writes frontier.csv, allocations.csv and
// manifest.json with --out.
void add_optimize_command(CLI::App& app, const models::PolicyRegistry& registry,
                          const std::vector<std::string>& command_line, int& exit_code,
                          spdlog::logger& log);

}  // namespace chiptrail::cli
