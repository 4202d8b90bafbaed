#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>

#include "models/policies/policy_registry.hpp"

namespace chiptrail::cli {

// `chiptrail validate FILE`: prints every error (file:line:column: field: message) and exits 65,
// or a one-line description of the valid scenario and exits 0.
void add_validate_command(CLI::App& app, const models::PolicyRegistry& registry, int& exit_code,
                          spdlog::logger& log);

// `chiptrail graph SCENARIO`: the network as Graphviz DOT on stdout.
void add_graph_command(CLI::App& app, const models::PolicyRegistry& registry, int& exit_code,
                       spdlog::logger& log);

}  // namespace chiptrail::cli
