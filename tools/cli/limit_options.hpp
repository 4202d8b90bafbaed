#pragma once

#include <CLI/App.hpp>

#include "models/resource_limits.hpp"

namespace chiptrail::cli {

// --max-events, --max-lots and --max-memory (MiB) on a command that runs replications. The
// memory budget defaults to three quarters of the machine's memory, so a scenario that grows
// too large stops with a message instead of being killed by the system.
void add_limit_options(CLI::App* cmd, models::ResourceLimits& limits);

}  // namespace chiptrail::cli
