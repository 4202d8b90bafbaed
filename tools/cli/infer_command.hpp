#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>
#include <string>
#include <vector>

#include "models/policies/policy_registry.hpp"

namespace chiptrail::cli {

// `chiptrail infer SCENARIO --observed OBS`: the posterior of the scenario's `uncertain`
// parameters given observed counts, by ABC-SMC (models/inference, sim/abc_smc.hpp), with
// posterior.csv, rounds.csv, posterior_summary.csv and manifest.json in --out.
void add_infer_command(CLI::App& app, const models::PolicyRegistry& registry,
                       const std::vector<std::string>& command_line, int& exit_code,
                       spdlog::logger& log);

}  // namespace chiptrail::cli
