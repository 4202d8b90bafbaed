#pragma once

#include <spdlog/logger.h>

#include <CLI/App.hpp>

namespace chiptrail::cli {

// `chiptrail report DIR [--out FILE]`: a self-contained report.html of a run's or a sweep's
// outputs, drawn by tools/report.py and tools/plot.py (carried inside the binary) with
// Debian's python3-matplotlib and python3-pandas.
void add_report_command(CLI::App& app, int& exit_code, spdlog::logger& log);

}  // namespace chiptrail::cli
