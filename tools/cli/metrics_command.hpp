#pragma once

#include <CLI/App.hpp>

namespace chiptrail::cli {

// `chiptrail metrics`: the glossary of every metric a run reports (name, rung of the outcome
// ladder, unit, denominator, interval method, what it counts), as a table, CSV or Markdown.
void add_metrics_command(CLI::App& app, int& exit_code);

}  // namespace chiptrail::cli
