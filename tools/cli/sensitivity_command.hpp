#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>

namespace chiptrail::cli {

// `chiptrail sensitivity DIR`: from a Saltelli sweep's outputs, first-order and total Sobol
// indices per metric and factor with bootstrap CIs; from a Morris sweep, mu, mu* and sigma.
// Prints a table and writes DIR/sensitivity.csv.
void add_sensitivity_command(CLI::App& app, int& exit_code, spdlog::logger& log);

}  // namespace chiptrail::cli
