#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cli/exit_codes.hpp"
#include "cli/load_scenario.hpp"
#include "cli/text_format.hpp"
#include "cli/validate_command.hpp"

namespace chiptrail::cli {
namespace {

const char* shape(models::NodeKind k) {
  switch (k) {
    case models::NodeKind::kVendor:
      return "house";
    case models::NodeKind::kDistributor:
      return "box";
    case models::NodeKind::kDataCenter:
      return "box3d";
    case models::NodeKind::kDealer:
      return "hexagon";
    case models::NodeKind::kBorderCrossing:
      return "octagon";
    case models::NodeKind::kTransitHub:
      return "diamond";
    case models::NodeKind::kEndFacility:
      return "doubleoctagon";
  }
  return "ellipse";
}

std::string dot(const models::World& w) {
  const models::Network& net = w.network;
  std::string out = "digraph chiptrail {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
  out += "  label=" + json_string(w.name) + ";\n";
  for (models::NodeIndex i = 0; i < net.node_count(); ++i) {
    const models::NodeInfo& n = net.node(i);
    out += "  " + json_string(n.id) + " [label=" + json_string(n.name + "\n" + n.country) +
           ", shape=" + shape(n.kind) + "];\n";
  }
  for (models::EdgeIndex e = 0; e < net.edge_count(); ++e) {
    const models::EdgeInfo& info = net.edge(e);
    char days[32];
    std::snprintf(days, sizeof days, "%.1f d", info.transit_days.mean());
    out += "  " + json_string(net.node(net.edge_source(e)).id) + " -> " +
           json_string(net.node(net.edge_target(e)).id) +
           " [label=" + json_string(std::string(models::to_string(info.mode)) + ", " + days) +
           "];\n";
  }
  out += "}\n";
  return out;
}

}  // namespace

void add_graph_command(CLI::App& app, const models::PolicyRegistry& registry, int& exit_code) {
  auto path = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("graph", "Print the scenario's network as Graphviz DOT");
  cmd->add_option("scenario", *path, "Scenario file (.textproto or .json)")->required();
  cmd->callback([path, &registry, &exit_code] {
    std::optional<LoadedScenario> loaded;
    exit_code = load_scenario(*path, registry, loaded);
    if (exit_code == kOk) std::fputs(dot(loaded->world).c_str(), stdout);
  });
}

}  // namespace chiptrail::cli
