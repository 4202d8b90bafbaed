#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>

#include "models/policies/policy_registry.hpp"

namespace chiptrail::cli {

// `chiptrail plan SWEEP`, `chiptrail sweep SWEEP --out DIR [--threads J] [--shard K/N]
// [--resume]` and `chiptrail merge OUT SHARD_DIR...`.
void add_sweep_commands(CLI::App& app, const models::PolicyRegistry& registry, int& exit_code,
                        spdlog::logger& log);

}  // namespace chiptrail::cli
