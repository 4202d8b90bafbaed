#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>

#include "models/policies/policy_registry.hpp"

namespace chiptrail::cli {

// `chiptrail analyze SCENARIO`: the analytic detection probabilities of each diversion flow
// (absorbing Markov chain), or the features that make it impossible.
void add_analyze_command(CLI::App& app, const models::PolicyRegistry& registry, int& exit_code,
                         spdlog::logger& log);

}  // namespace chiptrail::cli
