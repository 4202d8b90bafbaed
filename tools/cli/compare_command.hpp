#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>
#include <string>
#include <vector>

#include "models/policies/policy_registry.hpp"

namespace chiptrail::cli {

// `chiptrail compare BASE VARIANT [VARIANT...]`: the scenarios on common random numbers, each
// variant's value of every metric beside the base's and their paired difference with an
// interval; with --out, compare.csv, timeseries_summary.csv, glossary.csv and manifest.json,
// which `chiptrail report` renders.
void add_compare_command(CLI::App& app, const models::PolicyRegistry& registry,
                         const std::vector<std::string>& command_line, int& exit_code,
                         spdlog::logger& log);

}  // namespace chiptrail::cli
