#include "models/analytic/scenario_analysis.hpp"

#include <cmath>
#include <limits>
#include <optional>

#include "models/analytic/absorbing_chain.hpp"

namespace chiptrail::models {
namespace {

// One place on a path where policies may act, and the mean time to get there from the last.
struct Checkpoint {
  Stage stage;
  NodeIndex node;
  double days_from_previous;
};

// The checkpoints of a path of edges: a shipment check at every node reached, a border check at
// border crossings and transit hubs, as the simulation's travel() does.
void add_path(const Network& net, const std::vector<EdgeIndex>& path,
              std::vector<Checkpoint>& out) {
  for (const EdgeIndex e : path) {
    const double days =
        net.node(net.edge_source(e)).processing_days.mean() + net.edge(e).transit_days.mean();
    const NodeIndex to = net.edge_target(e);
    out.push_back({Stage::kShipment, to, days});
    const NodeKind kind = net.node(to).kind;
    if (kind == NodeKind::kBorderCrossing || kind == NodeKind::kTransitHub) {
      out.push_back({Stage::kBorder, to, 0.0});
    }
  }
}

// Absorption results of a linear path: per (checkpoint, policy) the seizure probability, and
// the time-weighted seizure for conditional times.
struct PathResult {
  std::vector<std::vector<double>> seized;  // [checkpoint][policy]
  double total = 0;                         // P(seized anywhere on the path)
  double caught_time_weighted = 0;          // E[T 1{seized}]
};

PathResult solve_path(const World& world, const std::vector<Checkpoint>& points, const Lot& lot) {
  const std::size_t n = points.size(), pols = world.policies.size();
  // Absorbing: one per (checkpoint, policy), then "passed".
  AbsorbingChain chain(n, n * pols + 1);
  for (std::size_t i = 0; i < n; ++i) {
    const Checkpoint& c = points[i];
    const NodeInfo& node = world.network.node(c.node);
    double survive = 1.0;
    for (std::size_t p = 0; p < pols; ++p) {
      const PolicyInstance& inst = world.policies[p];
      if (!inst.scope.covers_chip(lot.chip_model) || !inst.scope.covers_place(&node, c.node))
        continue;
      const double q = inst.policy->memoryless_seize_probability(c.stage, lot).value_or(0.0);
      if (q > 0) chain.add_absorption(i, i * pols + p, survive * q);
      survive *= 1.0 - q;
    }
    if (i + 1 < n)
      chain.add_transition(i, i + 1, survive);
    else
      chain.add_absorption(i, n * pols, survive);
    chain.set_holding_time(i, c.days_from_previous);
  }
  PathResult out;
  out.seized.assign(n, std::vector<double>(pols, 0.0));
  if (n == 0) return out;
  const AbsorbingChain::Solution s = chain.solve();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t p = 0; p < pols; ++p) {
      const double b = s.probability(0, i * pols + p);
      out.seized[i][p] = b;
      out.total += b;
      if (b > 0) out.caught_time_weighted += b * s.time_given(0, i * pols + p);
    }
  }
  return out;
}

std::vector<std::string> obstacles_of(const World& world, const Flow& flow) {
  std::vector<std::string> out;
  Lot probe;
  probe.diverted = true;
  probe.chip_model = flow.chip_model;
  for (const PolicyInstance& p : world.policies) {
    if (!p.policy->memoryless_seize_probability(Stage::kSale, probe)) {
      out.push_back(
          "policy " + p.name + " (" + p.kind +
          ") acts on time or history (visits, periodic checks, delayed verdicts), not per hop");
    } else if (p.start > sim::Time::zero()) {
      out.push_back("policy " + p.name + " comes into force on day " +
                    std::to_string(p.start.to_days()) + ": its effect depends on time");
    }
  }
  if (!std::holds_alternative<Distribution::Fixed>(flow.lot_chips.kind())) {
    out.push_back("flow " + flow.id +
                  ": lot_chips is random, so the number of consignments varies by lot");
  }
  return out;
}

}  // namespace

std::vector<FlowAnalysis> analyze(const World& world) {
  std::vector<FlowAnalysis> out;
  const Network& net = world.network;
  for (const Flow& flow : world.flows) {
    if (!flow.diversion) continue;
    FlowAnalysis a;
    a.flow = flow.id;
    a.obstacles = obstacles_of(world, flow);
    if (!a.obstacles.empty()) {
      out.push_back(std::move(a));
      continue;
    }
    const std::uint64_t unit = chips_per_unit(flow.packaging);
    const double fixed = std::get<Distribution::Fixed>(flow.lot_chips.kind()).value;
    Lot lot;
    lot.diverted = true;
    lot.chip_model = flow.chip_model;
    lot.buyer_sophistication = flow.buyer_sophistication;
    lot.payment_layers = flow.payment_layers;
    lot.chips = unit * static_cast<std::uint64_t>(
                           std::max(1.0, std::round(fixed / static_cast<double>(unit))));
    a.lot_chips = lot.chips;

    // The whole lot: sale, the route to the data center, installation, then to the dealer.
    std::vector<Checkpoint> whole{{Stage::kSale, flow.source, 0.0}};
    add_path(net, flow.route, whole);
    whole.push_back({Stage::kInstallation, flow.destination, 0.0});
    // The dwell at the data center comes before the first leg to the dealer, so it is part of
    // the time to that leg's first checkpoint (or, dismantled on site, of the time to dismantling).
    const std::size_t before_dwell = whole.size();
    add_path(net, flow.tactics.to_dismantle, whole);
    const double dwell = flow.tactics.operate_days.mean();
    if (before_dwell < whole.size()) whole[before_dwell].days_from_previous += dwell;
    const PathResult pre = solve_path(world, whole, lot);
    a.days_to_dismantling = before_dwell < whole.size() ? 0.0 : dwell;
    for (const Checkpoint& c : whole) a.days_to_dismantling += c.days_from_previous;

    // Each consignment: relabelled with probability r for its whole journey, hence a mixture.
    std::vector<Checkpoint> onward;
    add_path(net, flow.tactics.to_end, onward);
    const double r = flow.tactics.relabel_probability;
    double survive_all = 1.0 - pre.total;
    std::vector<std::vector<double>> none_here(onward.size(),
                                               std::vector<double>(world.policies.size(), 1.0));
    double weighted = 0, caught = 0;
    for (const Lot& part : split(lot, flow.tactics.consignment_chips)) {
      a.consignments.push_back(part.chips);
      Lot plain = part, relabelled = part;
      plain.relabelled = false;
      relabelled.relabelled = true;
      const PathResult p0 = solve_path(world, onward, plain);
      const PathResult p1 = solve_path(world, onward, relabelled);
      const double total = (1 - r) * p0.total + r * p1.total;
      survive_all *= 1.0 - total;
      for (std::size_t i = 0; i < onward.size(); ++i) {
        for (std::size_t p = 0; p < world.policies.size(); ++p) {
          none_here[i][p] *= 1.0 - ((1 - r) * p0.seized[i][p] + r * p1.seized[i][p]);
        }
      }
      weighted += (1 - r) * p0.caught_time_weighted + r * p1.caught_time_weighted;
      caught += total;
    }
    a.detection_probability = 1.0 - survive_all;
    a.days_to_consignment_seizure = caught > 0 ? a.days_to_dismantling + weighted / caught
                                               : std::numeric_limits<double>::quiet_NaN();
    for (std::size_t i = 0; i < whole.size(); ++i) {
      for (std::size_t p = 0; p < world.policies.size(); ++p) {
        if (pre.seized[i][p] > 0)
          a.found_at.push_back({p, whole[i].node, whole[i].stage, pre.seized[i][p]});
      }
    }
    for (std::size_t i = 0; i < onward.size(); ++i) {
      for (std::size_t p = 0; p < world.policies.size(); ++p) {
        const double here = (1.0 - pre.total) * (1.0 - none_here[i][p]);
        if (here > 0) a.found_at.push_back({p, onward[i].node, onward[i].stage, here});
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace chiptrail::models
