#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "chiptrail/v1/results.pb.h"
#include "cli/exit_codes.hpp"
#include "cli/external_program.hpp"
#include "cli/load_scenario.hpp"
#include "cli/validate_command.hpp"
#include "models/output/atomic_file.hpp"
#include "models/output/message_json.hpp"
#include "models/output/output_set.hpp"
#include "models/output/text_format.hpp"

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

// Detections read from a run's output directory, by node and by edge.
struct Heat {
  std::vector<double> lots_at_node;   // lots first caught at each node, per replication
  std::vector<double> found_at_node;  // every detection at each node, per replication
  std::vector<double> found_on_edge;  // detections on arrival over each edge, per replication
  std::uint64_t replications = 0;
};

// Reads DIR/where.json (a chiptrail.v1.WhereFound), which must be of this scenario's network.
std::optional<Heat> read_heat(const std::string& dir, const models::World& w, int& exit_code,
                              spdlog::logger& log) {
  const models::Network& net = w.network;
  const std::string file = dir + "/where.json";
  std::ifstream in(file);
  if (!in) {
    log.error("chiptrail: {}: no where.json (give a directory of `run --out DIR`)", dir);
    exit_code = kNoInput;
    return std::nullopt;
  }
  if (const std::string problem = models::check_output_set(dir); !problem.empty()) {
    log.error("chiptrail: {}", problem);
    exit_code = kDataError;
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  v1::WhereFound where;
  const auto refuse = [&](const std::string& what) {
    log.error("{}: {}", file, what);
    exit_code = kDataError;
    return std::nullopt;
  };
  if (!models::parse_message_json(text.str(), where)) return refuse("not a run's where.json");
  if (where.nodes_size() != static_cast<int>(net.node_count()) ||
      where.edges_size() != static_cast<int>(net.edge_count())) {
    return refuse("its network has " + std::to_string(where.nodes_size()) + " nodes and " +
                  std::to_string(where.edges_size()) + " edges, the scenario's " +
                  std::to_string(net.node_count()) + " and " + std::to_string(net.edge_count()) +
                  " (results of another scenario?)");
  }
  Heat h;
  h.replications = where.replications();
  const double per_run = 1.0 / static_cast<double>(std::max<std::uint64_t>(1, h.replications));
  for (models::NodeIndex n = 0; n < net.node_count(); ++n) {
    const v1::WhereFound::NodeCount& count = where.nodes(static_cast<int>(n));
    if (count.node() != net.node(n).id) {
      return refuse("node " + std::to_string(n) + " is \"" + count.node() +
                    "\", the scenario's \"" + net.node(n).id + "\" (results of another scenario?)");
    }
    h.found_at_node.push_back(static_cast<double>(count.detections()) * per_run);
    h.lots_at_node.push_back(static_cast<double>(count.lots_first_caught()) * per_run);
  }
  for (models::EdgeIndex e = 0; e < net.edge_count(); ++e) {
    const v1::WhereFound::EdgeCount& count = where.edges(static_cast<int>(e));
    if (count.from() != net.node(net.edge_source(e)).id ||
        count.to() != net.node(net.edge_target(e)).id) {
      return refuse("edge " + std::to_string(e) + " is " + count.from() + "->" + count.to() +
                    ", not the scenario's (results of another scenario?)");
    }
    h.found_on_edge.push_back(static_cast<double>(count.detections()) * per_run);
  }
  return h;
}

// White to red, by share of the largest value.
std::string heat_colour(double share) {
  const auto channel = [&](double full) {
    return static_cast<int>(std::lround(255.0 + (full - 255.0) * std::clamp(share, 0.0, 1.0)));
  };
  char out[16];
  std::snprintf(out, sizeof out, "#%02x%02x%02x", channel(215), channel(48), channel(31));
  return out;
}

std::string dot(const models::World& w, const std::optional<Heat>& heat) {
  const models::Network& net = w.network;
  // Top to bottom: the chain runs from the vendors down to the end facilities, a picture about
  // as tall as it is wide for networks of a dozen nodes (left to right made a long strip).
  std::string out =
      "digraph chiptrail {\n  rankdir=TB;\n  nodesep=0.3;\n  ranksep=0.45;\n"
      "  node [fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n";
  out += "  label=" + models::json_string(w.name) + ";\n";
  const double node_max =
      heat ? *std::max_element(heat->found_at_node.begin(), heat->found_at_node.end()) : 0;
  const double edge_max =
      heat && !heat->found_on_edge.empty()
          ? *std::max_element(heat->found_on_edge.begin(), heat->found_on_edge.end())
          : 0;
  for (models::NodeIndex i = 0; i < net.node_count(); ++i) {
    const models::NodeInfo& n = net.node(i);
    std::string label = n.name + "\n" + n.country;
    std::string style;
    if (heat) {
      char caught[96];
      std::snprintf(caught, sizeof caught, "\ncaught: %.3g lots, %.3g finds per run",
                    heat->lots_at_node[i], heat->found_at_node[i]);
      if (heat->found_at_node[i] > 0) label += caught;
      style = ", style=filled, fillcolor=\"" +
              heat_colour(node_max > 0 ? heat->found_at_node[i] / node_max : 0) + "\"";
    }
    out += "  " + models::json_string(n.id) + " [label=" + models::json_string(label) +
           ", shape=" + shape(n.kind) + style + "];\n";
  }
  for (models::EdgeIndex e = 0; e < net.edge_count(); ++e) {
    const models::EdgeInfo& info = net.edge(e);
    char days[32];
    std::snprintf(days, sizeof days, "%.1f d", info.transit_days.mean());
    std::string label = std::string(models::to_string(info.mode)) + ", " + days;
    std::string style;
    if (heat && heat->found_on_edge[e] > 0) {
      const double share = edge_max > 0 ? heat->found_on_edge[e] / edge_max : 0;
      char finds[64], width[32];
      std::snprintf(finds, sizeof finds, "\n%.3g finds per run", heat->found_on_edge[e]);
      std::snprintf(width, sizeof width, "%.2f", 1.0 + 4.0 * share);
      label += finds;
      style = ", color=\"" + heat_colour(0.3 + 0.7 * share) + "\", penwidth=" + width;
    }
    out += "  " + models::json_string(net.node(net.edge_source(e)).id) + " -> " +
           models::json_string(net.node(net.edge_target(e)).id) +
           " [label=" + models::json_string(label) + style + "];\n";
  }
  out += "}\n";
  return out;
}

struct GraphOptions {
  std::string scenario;
  std::string results;
  std::string render;
  std::string out;
};

int graph(const GraphOptions& o, const models::PolicyRegistry& registry, spdlog::logger& log) {
  if (!o.render.empty() && o.out.empty()) {
    log.error("chiptrail: --render needs --out FILE");
    return kUsage;
  }
  std::optional<LoadedScenario> loaded;
  if (const int code = load_scenario(o.scenario, registry, loaded, log); code != kOk) return code;
  std::optional<Heat> heat;
  if (!o.results.empty()) {
    int code = kOk;
    heat = read_heat(o.results, loaded->world, code, log);
    if (!heat) return code;
  }
  const std::string text = dot(loaded->world, heat);
  if (o.render.empty()) {
    if (o.out.empty()) {
      std::fputs(text.c_str(), stdout);
      return kOk;
    }
    try {
      models::write_file_atomically(o.out, text);
    } catch (const std::exception& e) {
      log.error("chiptrail: {}", e.what());
      return kIoError;
    }
    return kOk;
  }
  if (!on_path("dot")) {
    log.error(
        "chiptrail: --render needs Graphviz's `dot` (Debian: apt-get install graphviz); without "
        "--render the DOT goes to stdout");
    return kUnavailable;
  }
  // dot writes beside the target, which is then renamed over it: never a torn image.
  const std::string partial = o.out + ".partial";
  const int status = run_program({"dot", "-T" + o.render, "-o", partial}, text);
  if (status != 0 || std::rename(partial.c_str(), o.out.c_str()) != 0) {
    std::remove(partial.c_str());
    log.error("chiptrail: dot could not render {} (status {})", o.out, status);
    return kIoError;
  }
  return kOk;
}

}  // namespace

void add_graph_command(CLI::App& app, const models::PolicyRegistry& registry, int& exit_code,
                       spdlog::logger& log) {
  auto o = std::make_shared<GraphOptions>();
  CLI::App* cmd = app.add_subcommand(
      "graph", "The scenario's network as Graphviz DOT, optionally coloured by detections");
  cmd->add_option("scenario", o->scenario, "Scenario file (.textproto or .json)")->required();
  cmd->add_option("--results", o->results,
                  "A `run --out` directory: colour nodes and edges by where lots were caught");
  cmd->add_option("--render", o->render, "Render with Graphviz dot to --out: png, svg or pdf")
      ->check(CLI::IsMember({"png", "svg", "pdf"}));
  cmd->add_option("--out,-o", o->out, "Write to this file instead of stdout");
  cmd->callback([o, &registry, &exit_code, &log] { exit_code = graph(*o, registry, log); });
}

}  // namespace chiptrail::cli
