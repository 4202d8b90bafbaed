// The chiptrail command line. Each subcommand lives in its own file and registers itself on the
// CLI11 app here; data goes to stdout, diagnostics to stderr, and the exit code follows
// sysexits(3) (see exit_codes.hpp).
#include "cli/cli_app.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/analyze_command.hpp"
#include "cli/compare_command.hpp"
#include "cli/demo_command.hpp"
#include "cli/diagnostics.hpp"
#include "cli/exit_codes.hpp"
#include "cli/infer_command.hpp"
#include "cli/metrics_command.hpp"
#include "cli/optimize_command.hpp"
#include "cli/report_command.hpp"
#include "cli/run_command.hpp"
#include "cli/sensitivity_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/sweep_command.hpp"
#include "cli/uncertainty_command.hpp"
#include "cli/validate_command.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/version.hpp"

namespace chiptrail::cli {

int run_cli(const std::vector<std::string>& args) {
  CLI::App app{
      "chiptrail: discrete-event simulation of AI-chip supply chains and the "
      "export-control measures that try to detect diversion"};
  app.set_version_flag("--version", std::string("chiptrail ") + models::kVersion + " (" +
                                        models::kGitRevision + ")");
  app.require_subcommand(1);
  // Diagnostics (stderr) through one logger; its level is set once the flags are parsed,
  // before the command runs. The flags may stand before or after the command's name.
  const std::shared_ptr<spdlog::logger> diagnostics = make_diagnostics();
  spdlog::logger& log = *diagnostics;
  std::string log_level = "info";
  bool quiet = false;
  app.add_option("--log-level", log_level,
                 "Diagnostics on stderr: off, error, warn, info (default) or debug")
      ->check(CLI::IsMember({"off", "error", "warn", "info", "debug"}));
  app.add_flag("--quiet,-q", quiet, "Errors and warnings only: no progress, no notes");
  app.fallthrough();
  app.parse_complete_callback([&] {
    const spdlog::level::level_enum level = *parse_log_level(log_level);
    log.set_level(quiet && level < spdlog::level::warn ? spdlog::level::warn : level);
  });
  int exit_code = kOk;
  const std::vector<std::string>& command_line = args;
  chiptrail::models::PolicyRegistry registry;
  chiptrail::models::register_builtin_policies(registry);
  add_run_command(app, registry, command_line, exit_code, log);
  add_compare_command(app, registry, command_line, exit_code, log);
  add_validate_command(app, registry, exit_code, log);
  add_metrics_command(app, exit_code);
  add_graph_command(app, registry, exit_code, log);
  add_analyze_command(app, registry, exit_code, log);
  add_sensitivity_command(app, exit_code, log);
  add_uncertainty_command(app, registry, command_line, exit_code, log);
  add_optimize_command(app, registry, command_line, exit_code, log);
  add_infer_command(app, registry, command_line, exit_code, log);
  add_report_command(app, exit_code, log);
  add_serve_command(app, registry, exit_code, log);
  add_sweep_commands(app, registry, exit_code, log);
  add_demo_command(app, exit_code, log);
  // A first word that is no subcommand is named as such (CLI11 would say "A subcommand is
  // required").
  if (args.size() > 1 && !args[1].empty() && args[1].front() != '-') {
    const auto commands = app.get_subcommands([](const CLI::App*) { return true; });
    const bool known = std::any_of(commands.begin(), commands.end(),
                                   [&](const CLI::App* c) { return c->check_name(args[1]); });
    if (!known) {
      log.error("chiptrail: no command \"{}\" (chiptrail --help lists them)",
                args[1].substr(0, 40));
      return kUsage;
    }
  }
  try {
    if (!args.empty()) app.name(args.front());
    // CLI11 takes the arguments after the program name, last first.
    std::vector<std::string> reversed(args.rbegin(), args.rend() - (args.empty() ? 0 : 1));
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    const int cli_code = app.exit(e);
    return cli_code == 0 ? kOk : kUsage;
  } catch (const std::exception& e) {
    log.error("chiptrail: internal error: {}", e.what());
    return kSoftware;
  }
  return exit_code;
}

}  // namespace chiptrail::cli
