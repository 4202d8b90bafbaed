#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>

namespace chiptrail::cli {

// `chiptrail demo`: a self-checking engine demonstration (an M/M/1 queue, whose mean time in
// system has the closed form 1 / (mu - lambda)).
void add_demo_command(CLI::App& app, int& exit_code, spdlog::logger& log);

}  // namespace chiptrail::cli
