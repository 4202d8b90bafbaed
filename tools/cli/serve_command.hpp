#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>

#include "models/policies/policy_registry.hpp"

namespace chiptrail::cli {

// `chiptrail serve SCENARIO [--port 8080]`: the explorer, a local web page over the scenario
// (tools/explorer/web, served from the `explorer/` folder beside the binary) and the JSON API
// under /api that it uses (tools/explorer/explorer_api.hpp).
void add_serve_command(CLI::App& app, const models::PolicyRegistry& registry, int& exit_code,
                       spdlog::logger& log);

}  // namespace chiptrail::cli
