#include "cli/metrics_command.hpp"

#include <cstdio>
#include <memory>
#include <string>

#include "cli/exit_codes.hpp"
#include "models/output/glossary_text.hpp"

namespace chiptrail::cli {

void add_metrics_command(CLI::App& app, int& exit_code) {
  auto format = std::make_shared<std::string>("table");
  CLI::App* cmd = app.add_subcommand(
      "metrics", "Print the glossary: every metric, its rung, unit, denominator and interval");
  cmd->add_option("--format", *format, "table, csv or markdown")
      ->check(CLI::IsMember({"table", "csv", "markdown"}));
  cmd->callback([format, &exit_code] {
    std::fputs(models::glossary_text(*format).c_str(), stdout);
    exit_code = kOk;
  });
}

}  // namespace chiptrail::cli
