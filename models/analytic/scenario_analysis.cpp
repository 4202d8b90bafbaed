#include "models/analytic/scenario_analysis.hpp"

#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <tuple>

#include "models/analytic/absorbing_chain.hpp"

namespace chiptrail::models {
namespace {

// One place on a path where policies may act, and the mean time to get there from the last.
struct Checkpoint {
  Stage stage;
  NodeIndex node;
  double days_from_previous;
  // Where a turned-back lot starts again (this leg's first checkpoint, an index into the same
  // route), and the mean time of the trip back; kNoRetry where turn-backs cannot happen.
  std::size_t retry_to = kNoRetry;
  double return_days = 0;
  // The node the trip back arrives at (the leg's start): an arrival there, checked again.
  NodeIndex back_to = 0;
  static constexpr std::size_t kNoRetry = static_cast<std::size_t>(-1);
};

bool is_crossing(const Network& net, NodeIndex n) {
  const NodeKind kind = net.node(n).kind;
  return kind == NodeKind::kBorderCrossing || kind == NodeKind::kTransitHub;
}

// The checkpoints of a path of edges: a shipment check at every node reached, a border check at
// border crossings and transit hubs, as the simulation's travel() does.
void add_path(const Network& net, const std::vector<EdgeIndex>& path,
              std::vector<Checkpoint>& out) {
  for (const EdgeIndex e : path) {
    const double days =
        net.node(net.edge_source(e)).processing_days.mean() + net.edge(e).transit_days.mean();
    const NodeIndex to = net.edge_target(e), from = net.edge_source(e);
    const std::size_t leg = out.size();
    const double back = net.edge(e).transit_days.mean();
    out.push_back({Stage::kShipment, to, days, leg, back, from});
    if (is_crossing(net, to)) out.push_back({Stage::kBorder, to, 0.0, leg, back, from});
  }
}

// Where a lot or consignment may be seized: (node, stage, policy).
using Place = std::tuple<NodeIndex, Stage, std::size_t>;

struct ChainResult {
  std::map<Place, double> seized;   // P(seized at this place)
  double total = 0;                 // P(seized anywhere)
  double caught_time_weighted = 0;  // E[T 1{seized}]
};

// One absorbing chain for a journey that starts by choosing route r with probability
// weights[r] / sum (a branch; a single route of weight 1 is a plain path). Transient states:
// the start, then every route's checkpoints; absorbing: seizure by each policy at each
// checkpoint, and "passed".
ChainResult solve_routes(const World& world, const std::vector<std::vector<Checkpoint>>& routes,
                         const std::vector<double>& weights, const Lot& lot) {
  const std::size_t pols = world.policies.size();
  // What each checkpoint does to the lot: per policy seize q and turn back t (each policy draws
  // on its own, so outcomes combine independently): P(pass) = prod(1 - q - t),
  // P(turned back) = prod(1 - q) - prod(1 - q - t); seizure goes to the first policy that seizes.
  struct Effect {
    std::vector<std::pair<std::size_t, double>> seize;  // (policy, P(first seizure by it))
    double pass = 1, back = 0;
  };
  const auto effect = [&](Stage stage, NodeIndex at, bool may_turn_back) {
    const NodeInfo& node = world.network.node(at);
    Effect e;
    double not_seized = 1.0;
    for (std::size_t p = 0; p < pols; ++p) {
      const PolicyInstance& inst = world.policies[p];
      if (!inst.scope.covers_chip(lot.chip_model) || !inst.scope.covers_place(&node, at)) continue;
      const double q = inst.policy->memoryless_seize_probability(stage, lot).value_or(0.0);
      const double t =
          may_turn_back ? inst.policy->memoryless_turn_back_probability(stage, lot) : 0;
      if (q > 0) e.seize.emplace_back(p, not_seized * q);
      not_seized *= 1.0 - q;
      e.pass *= 1.0 - q - t;
    }
    e.back = not_seized - e.pass;
    return e;
  };
  // The trip back after a refusal arrives at the leg's start, checked there again (a shipment
  // check, and a border check at a crossing; no second refusal): one state per check.
  struct Return {
    Stage stage;
    NodeIndex node;
    std::size_t state;
    Effect effect;
  };
  std::vector<std::vector<Effect>> effects(routes.size());
  std::size_t n = 1;  // the start
  std::vector<std::vector<std::size_t>> state(routes.size());
  std::vector<std::vector<std::vector<Return>>> returning(routes.size());
  for (std::size_t r = 0; r < routes.size(); ++r) {
    for (const Checkpoint& c : routes[r]) {
      const Effect e = effect(c.stage, c.node, c.retry_to != Checkpoint::kNoRetry);
      effects[r].push_back(e);
      state[r].push_back(n++);
      std::vector<Return> back;
      if (e.back > 0) {
        back.push_back(
            {Stage::kShipment, c.back_to, n++, effect(Stage::kShipment, c.back_to, false)});
        if (is_crossing(world.network, c.back_to)) {
          back.push_back(
              {Stage::kBorder, c.back_to, n++, effect(Stage::kBorder, c.back_to, false)});
        }
      }
      returning[r].push_back(std::move(back));
    }
  }
  const std::size_t passed = n * pols;
  AbsorbingChain chain(n, passed + 1);
  double weight_sum = 0;
  for (const double w : weights) weight_sum += w;
  for (std::size_t r = 0; r < routes.size(); ++r) {
    const double w = weights[r] / weight_sum;
    if (routes[r].empty())
      chain.add_absorption(0, passed, w);
    else
      chain.add_transition(0, state[r][0], w);
    for (std::size_t i = 0; i < routes[r].size(); ++i) {
      const std::size_t s = state[r][i];
      const Effect& e = effects[r][i];
      for (const auto& [p, b] : e.seize) chain.add_absorption(s, s * pols + p, b);
      if (i + 1 < routes[r].size())
        chain.add_transition(s, state[r][i + 1], e.pass);
      else
        chain.add_absorption(s, passed, e.pass);
      const std::vector<Return>& back = returning[r][i];
      if (!back.empty()) {
        chain.add_transition(s, back.front().state, e.back);
        chain.set_holding_time(back.front().state, routes[r][i].return_days);
        for (std::size_t k = 0; k < back.size(); ++k) {
          for (const auto& [p, b] : back[k].effect.seize) {
            chain.add_absorption(back[k].state, back[k].state * pols + p, b);
          }
          const std::size_t next =
              k + 1 < back.size() ? back[k + 1].state : state[r][routes[r][i].retry_to];
          chain.add_transition(back[k].state, next, back[k].effect.pass);
        }
      }
      chain.set_holding_time(s, routes[r][i].days_from_previous);
    }
  }
  const AbsorbingChain::Solution sol = chain.solve();
  ChainResult out;
  for (std::size_t r = 0; r < routes.size(); ++r) {
    for (std::size_t i = 0; i < routes[r].size(); ++i) {
      const std::size_t s = state[r][i];
      const auto collect = [&](std::size_t at, NodeIndex node, Stage stage) {
        for (std::size_t p = 0; p < pols; ++p) {
          const double b = sol.probability(0, at * pols + p);
          if (b <= 0) continue;
          out.seized[{node, stage, p}] += b;
          out.total += b;
          out.caught_time_weighted += b * sol.time_given(0, at * pols + p);
        }
      };
      collect(s, routes[r][i].node, routes[r][i].stage);
      for (const Return& back : returning[r][i]) collect(back.state, back.node, back.stage);
    }
  }
  return out;
}

std::vector<std::string> obstacles_of(const World& world, const Flow& flow) {
  std::vector<std::string> out;
  if (flow.remote_access) {
    // A lease's hours are a product of independent factors (README, "Remote access"), but the
    // solver follows chips through checkpoints, and a lease passes none.
    out.push_back("flow " + flow.id + " is remote access: leases pass no checkpoint");
    return out;
  }
  if (flow.second_hand != WriteOff::kNone) {
    out.push_back("flow " + flow.id +
                  " is second-hand: its chips start installed, found only by audits of write-offs");
  }
  if (flow.insider_probability > 0) {
    out.push_back("flow " + flow.id +
                  " has an insider: its lots are a mixture of vetted and waved-through ones");
  }
  if (world.adversary) {
    out.push_back("smugglers adapt (adversary.adaptive): their choices depend on history");
  }
  Lot probe;
  probe.diverted = true;
  probe.chip_model = static_cast<std::uint32_t>(flow.chip_model);
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
    lot.chip_model = static_cast<std::uint32_t>(flow.chip_model);
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
    const ChainResult pre = solve_routes(world, {whole}, {1.0}, lot);
    a.days_to_dismantling = before_dwell < whole.size() ? 0.0 : dwell;
    for (const Checkpoint& c : whole) a.days_to_dismantling += c.days_from_previous;

    // Each consignment: relabelled with probability r for its whole journey, hence a mixture;
    // its route after dismantling is a branch among the consignment routes, if any.
    std::vector<std::vector<Checkpoint>> routes;
    std::vector<double> weights;
    if (flow.tactics.consignment_routes.empty()) {
      routes.emplace_back();
      add_path(net, flow.tactics.to_end, routes.back());
      weights.push_back(1.0);
    } else {
      for (std::size_t r = 0; r < flow.tactics.consignment_routes.size(); ++r) {
        routes.emplace_back();
        add_path(net, flow.tactics.consignment_routes[r], routes.back());
        weights.push_back(flow.tactics.consignment_route_weights[r]);
      }
    }
    const double r = flow.tactics.relabel_probability;
    double survive_all = 1.0 - pre.total;
    std::map<Place, double> none_here;  // P(no consignment of the lot is seized at the place)
    double weighted = 0, caught = 0;
    for (const Lot& part : split(lot, flow.tactics.consignment_chips)) {
      a.consignments.push_back(part.chips);
      Lot plain = part, relabelled = part;
      plain.relabelled = false;
      relabelled.relabelled = true;
      const ChainResult p0 = solve_routes(world, routes, weights, plain);
      const ChainResult p1 = solve_routes(world, routes, weights, relabelled);
      const double total = (1 - r) * p0.total + r * p1.total;
      survive_all *= 1.0 - total;
      std::map<Place, double> here;
      for (const auto& [place, b] : p0.seized) here[place] += (1 - r) * b;
      for (const auto& [place, b] : p1.seized) here[place] += r * b;
      for (const auto& [place, b] : here) {
        auto it = none_here.try_emplace(place, 1.0).first;
        it->second *= 1.0 - b;
      }
      weighted += (1 - r) * p0.caught_time_weighted + r * p1.caught_time_weighted;
      caught += total;
    }
    a.detection_probability = 1.0 - survive_all;
    a.days_to_consignment_seizure = caught > 0 ? a.days_to_dismantling + weighted / caught
                                               : std::numeric_limits<double>::quiet_NaN();
    for (const auto& [place, b] : pre.seized) {
      a.found_at.push_back({std::get<2>(place), std::get<0>(place), std::get<1>(place), b});
    }
    for (const auto& [place, none] : none_here) {
      a.found_at.push_back({std::get<2>(place), std::get<0>(place), std::get<1>(place),
                            (1.0 - pre.total) * (1.0 - none)});
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace chiptrail::models
