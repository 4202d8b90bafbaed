#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>
#include <string>
#include <vector>

#include "models/policies/policy_registry.hpp"

namespace chiptrail::cli {

// `chiptrail uncertainty SCENARIO --samples S --replications R`: second-order Monte Carlo over
// the scenario's `uncertain` parameters; per metric, the mean, its 90% uncertainty band and the
// variance split into parameter uncertainty and randomness within a run.
void add_uncertainty_command(CLI::App& app, const models::PolicyRegistry& registry,
                             const std::vector<std::string>& command_line, int& exit_code,
                             spdlog::logger& log);

}  // namespace chiptrail::cli
