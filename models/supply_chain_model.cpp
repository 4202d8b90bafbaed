// The lifecycle of DOMAIN.md's story, one coroutine per lot:
//   sale -> shipment to a Southeast-Asian data center -> installation -> (legitimate: stays)
//   diverted: operated for a dwell time -> removed -> carried to a dealer -> dismantled into
//   consignments -> each crosses borders on its own -> reassembled -> delivered to the end
//   facility.
// Policies act at each stage through the hooks of Policy; a seizure ends the lot or consignment.
#include "models/supply_chain_model.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/metrics_recorder.hpp"
#include "sim/distributions.hpp"
#include "sim/random_stream.hpp"
#include "sim/simulator.hpp"

namespace chiptrail::models {
namespace {

constexpr std::uint64_t kArrivalsStream = sim::stream_key("arrivals");
constexpr std::uint64_t kLotSizeStream = sim::stream_key("lot-size");
constexpr std::uint64_t kTransitStream = sim::stream_key("transit");
constexpr std::uint64_t kDwellStream = sim::stream_key("dwell");
constexpr std::uint64_t kRelabelStream = sim::stream_key("relabel");

// The stream of one policy's decisions at one stage and node: mixing the three keeps every
// policy's draws independent of every other's and of the order in which they are asked.
std::uint64_t policy_stream(const std::string& name, Stage stage, NodeIndex node) {
  return sim::stream_key(name) ^ (static_cast<std::uint64_t>(stage) + 1) * 0x9E3779B97F4A7C15ULL ^
         (static_cast<std::uint64_t>(node) + 1) * 0xC2B2AE3D27D4EB4FULL;
}

class Replication {
 public:
  Replication(const World& world, std::uint64_t replication, Recorder& recorder)
      : world_(world), replication_(replication), recorder_(recorder) {}

  SimulationSummary run() {
    for (std::size_t f = 0; f < world_.flows.size(); ++f) {
      simulator_.spawn("arrivals " + world_.flows[f].id, arrivals(f));
    }
    simulator_.run_until(world_.horizon);
    SimulationSummary out;
    for (const auto& [id, chips] : live_chips_) out.chips_in_pipeline += chips;
    out.events = simulator_.events_processed();
    out.peak_lots_in_flight = peak_live_lots_;
    return out;
  }

 private:
  void hold(const Lot& lot) {
    live_chips_[lot.id] = lot.chips;
    peak_live_lots_ = std::max(peak_live_lots_, live_chips_.size());
  }

  sim::RandomStream stream(std::uint64_t key, std::uint64_t entity) const {
    return sim::RandomStream({world_.seed, replication_, key, entity});
  }

  sim::Process arrivals(std::size_t f) {
    const Flow& flow = world_.flows[f];
    std::uint64_t n = 0;
    if (!flow.schedule_days.empty()) {
      std::vector<double> at = flow.schedule_days;
      std::sort(at.begin(), at.end());
      for (double day : at) {
        const sim::Time t = sim::Time::from_days(day);
        if (t >= world_.horizon) break;
        co_await simulator_.delay(t - simulator_.now());
        start_lot(f, ++n);
      }
      co_return;
    }
    sim::RandomStream rs = stream(kArrivalsStream, f);
    const double mean_gap_days = 365.0 / flow.poisson_per_year;
    for (;;) {
      const sim::Time gap = sim::Time::from_days(sim::exponential(rs, mean_gap_days));
      if (simulator_.now() + gap >= world_.horizon) co_return;
      co_await simulator_.delay(gap);
      start_lot(f, ++n);
    }
  }

  void start_lot(std::size_t f, std::uint64_t n) {
    const Flow& flow = world_.flows[f];
    Lot lot;
    lot.id = (static_cast<std::uint64_t>(f) + 1) << 32 | n;
    lot.flow = f;
    lot.chip_model = flow.chip_model;
    lot.packaging = flow.packaging;
    lot.diverted = flow.diversion;
    sim::RandomStream rs = stream(kLotSizeStream, lot.id);
    const std::uint64_t unit = chips_per_unit(flow.packaging);
    const double units = std::round(flow.lot_chips.sample(rs) / static_cast<double>(unit));
    lot.chips = unit * static_cast<std::uint64_t>(std::max(1.0, units));
    lot.first_serial = lot.id << 16;
    recorder_.lot_created(lot, simulator_.now());
    hold(lot);
    simulator_.spawn("lot " + std::to_string(lot.id), journey(lot));
  }

  // Asks every policy in force and in scope; returns true when the lot was stopped.
  bool enforce(Stage stage, const Lot& lot, const NodeInfo* node, NodeIndex node_index,
               const EdgeInfo* edge) {
    for (std::size_t i = 0; i < world_.policies.size(); ++i) {
      const PolicyInstance& p = world_.policies[i];
      if (simulator_.now() < p.start || !p.scope.covers(node, node_index, lot.chip_model)) continue;
      sim::RandomStream rng = stream(policy_stream(p.name, stage, node_index), lot.id);
      const PolicyContext ctx{lot, node, edge, simulator_.now(), rng};
      Decision d;
      switch (stage) {
        case Stage::kSale:
          d = p.policy->on_sale(ctx);
          break;
        case Stage::kShipment:
          d = p.policy->on_shipment(ctx);
          break;
        case Stage::kBorder:
          d = p.policy->on_border(ctx);
          break;
        case Stage::kInstallation:
          d = p.policy->on_installation(ctx);
          break;
        case Stage::kAudit:
          d = p.policy->on_audit(ctx);
          break;
        case Stage::kOperation:
          d = p.policy->on_operation(ctx);
          break;
      }
      if (d.effort_units > 0) recorder_.cost(i, d.effort_units * p.cost_per_unit_usd);
      if (d.verdict == Verdict::kPass) continue;
      const DetectionEvent event{i,     node_index, node != nullptr,
                                 stage, d.verdict,  simulator_.now()};
      if (!lot.diverted) {
        recorder_.false_positive(lot, event);
        continue;
      }
      recorder_.detected(lot, event);
      if (d.verdict == Verdict::kSeize || d.verdict == Verdict::kDisable) {
        live_chips_.erase(lot.id);
        return true;
      }
    }
    return false;
  }

  // Moves a lot along a path: processing at each node it leaves, transit on each edge, the
  // shipment hook on arrival and the border hook at border crossings and transit hubs.
  sim::Process travel(const Lot& lot, const std::vector<EdgeIndex>& path, bool& stopped) {
    const Network& net = world_.network;
    sim::RandomStream rs = stream(kTransitStream, lot.id);
    for (EdgeIndex e : path) {
      const NodeInfo& from = net.node(net.edge_source(e));
      co_await simulator_.delay(sim::Time::from_days(from.processing_days.sample(rs)));
      const EdgeInfo& edge = net.edge(e);
      co_await simulator_.delay(sim::Time::from_days(edge.transit_days.sample(rs)));
      const NodeIndex to = net.edge_target(e);
      const NodeInfo& node = net.node(to);
      if (enforce(Stage::kShipment, lot, &node, to, &edge)) {
        stopped = true;
        co_return;
      }
      if ((node.kind == NodeKind::kBorderCrossing || node.kind == NodeKind::kTransitHub) &&
          enforce(Stage::kBorder, lot, &node, to, &edge)) {
        stopped = true;
        co_return;
      }
    }
  }

  sim::Process journey(Lot lot) {
    const Flow& flow = world_.flows[lot.flow];
    const Network& net = world_.network;
    if (enforce(Stage::kSale, lot, &net.node(flow.source), flow.source, nullptr)) co_return;
    bool stopped = false;
    co_await simulator_.spawn("travel", travel(lot, flow.route, stopped));
    if (stopped) co_return;
    if (enforce(Stage::kInstallation, lot, &net.node(flow.destination), flow.destination,
                nullptr)) {
      co_return;
    }
    if (!lot.diverted) {
      live_chips_.erase(lot.id);
      recorder_.delivered(lot, simulator_.now());
      co_return;
    }
    const Tactics& tactics = flow.tactics;
    sim::RandomStream dwell = stream(kDwellStream, lot.id);
    co_await simulator_.delay(sim::Time::from_days(tactics.operate_days.sample(dwell)));
    co_await simulator_.spawn("travel", travel(lot, tactics.to_dismantle, stopped));
    if (stopped) co_return;

    std::vector<Lot> parts = split(lot, tactics.consignment_chips);
    live_chips_.erase(lot.id);
    std::vector<sim::ProcessHandle> handles;
    std::vector<Lot> arrived;
    for (Lot& part : parts) {
      sim::RandomStream relabel = stream(kRelabelStream, part.id);
      part.relabelled = sim::bernoulli(relabel, tactics.relabel_probability);
      hold(part);
      handles.push_back(
          simulator_.spawn("consignment " + std::to_string(part.id), consignment(part, arrived)));
    }
    for (sim::ProcessHandle& h : handles) co_await h;
    if (arrived.empty()) co_return;

    co_await simulator_.delay(sim::Time::from_days(tactics.reassembly_days.sample(dwell)));
    for (const Lot& part : arrived) live_chips_.erase(part.id);
    recorder_.delivered(merge(lot, arrived), simulator_.now());
  }

  sim::Process consignment(Lot part, std::vector<Lot>& arrived) {
    bool stopped = false;
    co_await simulator_.spawn("travel",
                              travel(part, world_.flows[part.flow].tactics.to_end, stopped));
    if (!stopped) arrived.push_back(part);
  }

  const World& world_;
  std::uint64_t replication_;
  Recorder& recorder_;
  std::unordered_map<std::uint64_t, std::uint64_t> live_chips_;  // lot id -> chips in the chain
  std::size_t peak_live_lots_ = 0;
  sim::Simulator simulator_;  // last: its processes refer to the members above
};

}  // namespace

SimulationSummary simulate(const World& world, std::uint64_t replication, Recorder& recorder) {
  Replication r(world, replication, recorder);
  return r.run();
}

RunMetrics run_replication(const World& world, std::uint64_t replication) {
  MetricsRecorder recorder(world);
  return recorder.finish(simulate(world, replication, recorder).chips_in_pipeline);
}

}  // namespace chiptrail::models
