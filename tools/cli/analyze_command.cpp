#include "cli/analyze_command.hpp"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cli/exit_codes.hpp"
#include "cli/load_scenario.hpp"
#include "models/analytic/scenario_analysis.hpp"

namespace chiptrail::cli {
namespace {

int analyze(const std::string& path, const models::PolicyRegistry& registry, spdlog::logger& log) {
  std::optional<LoadedScenario> loaded;
  if (const int code = load_scenario(path, registry, loaded, log); code != kOk) return code;
  const models::World& w = loaded->world;
  const std::vector<models::FlowAnalysis> flows = models::analyze(w);
  if (flows.empty()) {
    log.error("chiptrail: {}: no diversion flows to analyse", path);
    return kDataError;
  }
  bool any_analysed = false;
  for (const models::FlowAnalysis& a : flows) {
    std::printf("flow %s\n", a.flow.c_str());
    if (!a.obstacles.empty()) {
      std::printf("  not analysable (not memoryless per hop):\n");
      for (const std::string& o : a.obstacles) std::printf("  - %s\n", o.c_str());
      continue;
    }
    any_analysed = true;
    std::printf("  lot of %llu chips, dismantled into %zu consignments\n",
                static_cast<unsigned long long>(a.lot_chips), a.consignments.size());
    std::printf("  P(lot detected)                    %.6f\n", a.detection_probability);
    for (const models::FoundAt& f : a.found_at) {
      std::printf("  P(found by %s at %s, %s)  %.6f\n", w.policies[f.policy].name.c_str(),
                  w.network.node(f.node).id.c_str(), models::to_string(f.stage), f.probability);
    }
    std::printf("  mean days from sale to dismantling %.2f\n", a.days_to_dismantling);
    std::printf("  mean days from sale to a consignment's seizure, given seized  %.2f\n",
                a.days_to_consignment_seizure);
  }
  if (!any_analysed) {
    log.error("chiptrail: {}: no flow can be analysed (reasons above)", path);
    return kDataError;
  }
  std::printf("(exact for lots that complete their journey; a finite horizon cuts some off)\n");
  return kOk;
}

}  // namespace

void add_analyze_command(CLI::App& app, const models::PolicyRegistry& registry, int& exit_code,
                         spdlog::logger& log) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("analyze",
                                     "Exact detection probabilities of a memoryless "
                                     "scenario (absorbing Markov chain), or why not (exit 65 "
                                     "when no flow can be analysed)");
  cmd->add_option("scenario", *path, "Scenario file (.textproto or .json)")->required();
  cmd->callback([path, &registry, &exit_code, &log] { exit_code = analyze(*path, registry, log); });
}

}  // namespace chiptrail::cli
