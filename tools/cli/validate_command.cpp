#include "cli/validate_command.hpp"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cli/exit_codes.hpp"
#include "cli/load_scenario.hpp"

namespace chiptrail::cli {

void add_validate_command(CLI::App& app, const models::PolicyRegistry& registry, int& exit_code,
                          spdlog::logger& log) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("validate",
                                     "Check a scenario file; print every error with "
                                     "file:line:column and field");
  cmd->add_option("file", *path, "Scenario file (.textproto or .json)")->required();
  cmd->callback([path, &registry, &exit_code, &log] {
    std::optional<LoadedScenario> loaded;
    exit_code = load_scenario(*path, registry, loaded, log);
    if (exit_code != kOk) return;
    const models::World& w = loaded->world;
    std::printf("%s: valid: %zu nodes, %zu edges, %zu flows, %zu policies, horizon %.0f days\n",
                path->c_str(), w.network.node_count(), w.network.edge_count(), w.flows.size(),
                w.policies.size(), w.horizon.to_days());
  });
}

}  // namespace chiptrail::cli
