#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>
#include <optional>
#include <string>

#include "models/run_config.hpp"
#include "models/world.hpp"

namespace chiptrail::cli {

// How a command measures outcomes in time: --warmup-days (what the yearly rates leave out) and
// --period (of the time series), the same on every command that runs replications.
struct TimeOptions {
  std::optional<double> warmup_days;
  std::string period = "year";
};
void add_time_options(CLI::App* cmd, TimeOptions& o);

// Sets config.warmup and config.period from the options; false (logged) when the warm-up is
// not below the world's horizon.
bool apply_time_options(const TimeOptions& o, const models::World& world, models::RunConfig& config,
                        spdlog::logger& log);

}  // namespace chiptrail::cli
