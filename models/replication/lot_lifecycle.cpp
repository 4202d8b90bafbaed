#include "models/replication/lot_lifecycle.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

#include "models/adversary/answers.hpp"
#include "models/random_streams.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

void LotLifecycle::start() {
  for (std::size_t f = 0; f < ctx_.world.flows.size(); ++f) {
    const Flow& flow = ctx_.world.flows[f];
    sim::ProcessHandle p = ctx_.simulator.spawn("arrivals " + flow.id, arrivals(f));
    if ((flow.front || ctx_.world.entity_list) && flow.schedule_days.empty()) {
      fronts_.set_arrivals(f, std::move(p));
    }
  }
}

sim::Process LotLifecycle::arrivals(std::size_t f) {
  const Flow& flow = ctx_.world.flows[f];
  std::uint64_t n = 0;
  if (!flow.schedule_days.empty()) {
    std::vector<double> at = flow.schedule_days;
    std::sort(at.begin(), at.end());
    for (double day : at) {
      const sim::Time t = days(day);
      if (t >= ctx_.world.horizon) break;
      co_await ctx_.simulator.delay(t - ctx_.now());
      ++n;  // a lot due while the front is closed is never bought
      if (fronts_.open(f)) LotLifecycle::start_lot(f, n);
    }
    co_return;
  }
  sim::RandomStream rs = ctx_.streams.stream(streams::kArrivals, ctx_.streams.flow_key(f));
  const ArrivalRate& rate = flow.arrival_rate;
  const double mean_gap_days = 365.0 / rate.base;
  for (;;) {
    // A closed front (models/replication/front_companies.hpp) interrupts the wait; then the
    // process waits for the new front and draws its next arrival afresh, at the new volume.
    sim::Time wait;
    const bool buying = fronts_.open(f);
    if (buying) {
      if (rate.changes.empty() && rate.base > 0) {  // one rate: the same draws as ever
        wait = days(sim::exponential(rs, mean_gap_days / fronts_.volume(f)));
      } else {
        const double now = ctx_.now().to_days();
        const double at = rate.next_arrival(now, sim::exponential(rs, 1.0), fronts_.volume(f));
        if (at >= ctx_.world.horizon.to_days()) co_return;
        wait = days(at - now);
      }
      if (ctx_.now() + wait >= ctx_.world.horizon) co_return;
    } else {
      if (fronts_.reopens_at(f) >= ctx_.world.horizon) co_return;
      wait = fronts_.reopens_at(f) - ctx_.now();
    }
    bool interrupted = false;
    try {
      co_await ctx_.simulator.delay(wait);
    } catch (const sim::Interrupted&) {
      interrupted = true;
    }
    if (buying && !interrupted) LotLifecycle::start_lot(f, ++n);
  }
}

void LotLifecycle::start_lot(std::size_t f, std::uint64_t n) {
  const Flow& flow = ctx_.world.flows[f];
  Lot lot;
  // Unique: a flow creates fewer than 2^32 lots (the loader bounds expected lots at 1e7 per
  // flow and schedules by the file size).
  lot.id = (static_cast<std::uint64_t>(f) + 1) << 32 | n;
  lot.flow = static_cast<std::uint32_t>(f);
  lot.chip_model = static_cast<std::uint32_t>(flow.chip_model);
  lot.packaging = flow.packaging;
  lot.diverted = flow.diversion;
  lot.write_off = flow.second_hand;
  lot.buyer_sophistication = flow.buyer_sophistication;
  lot.payment_layers = flow.payment_layers;
  sim::RandomStream rs = ctx_.streams.stream(streams::kLotSize, lot);
  const std::uint64_t unit = chips_per_unit(flow.packaging);
  // Clamped: an unbounded distribution's rare huge draw must not overflow the conversion.
  const double units =
      std::clamp(std::round(flow.lot_chips.sample(rs) / static_cast<double>(unit)), 1.0, 1e12);
  lot.chips = unit * static_cast<std::uint64_t>(units);
  if (flow.remote_access) {
    ctx_.guard.count_lots(1);
    remote_.start_lease(lot);
    return;
  }
  if (flow.insider_probability > 0) {
    sim::RandomStream insider = ctx_.streams.stream(streams::kInsider, lot);
    if (sim::bernoulli(insider, flow.insider_probability)) lot.insider = flow.insider_help;
  }
  if (flow.diversion && !fronts_.buys(lot)) {  // deterred by what happened to earlier lots
    ctx_.recorder.deterred(lot, ctx_.now());
    return;
  }
  ctx_.guard.count_lots(1);
  if (smugglers_ != nullptr && flow.diversion && !smugglers_->adapt_purchase(flow, lot)) return;
  ctx_.recorder.lot_created(lot, ctx_.now());
  ctx_.lots.sell(lot);
  ctx_.lots.sold(lot.id).front = fronts_.front_number(f);
  ctx_.lots.hold(lot);
  ctx_.simulator.spawn("lot " + std::to_string(lot.id), journey(lot));
}

// The coroutines below keep their locals few and small: GCC keeps every local of a coroutine
// in its frame for the frame's whole life, whether or not it lives across a suspension, and a
// lot in transit holds its journey's and its leg's frames. The work between suspensions is in
// plain functions (stage_check, arrive, consignment_route).

sim::Process LotLifecycle::journey(Lot lot) {
  // Chips sold new are vetted, shipped and installed; second-hand chips have been installed
  // since a clean sale long ago: their story starts at the data center.
  if (lot.write_off == WriteOff::kNone) {
    sim::Time held;  // a legitimate lot examined or wrongly held waits
    if (stage_check(Stage::kSale, lot, ctx_.world.flows[lot.flow].source, held)) co_return;
    if (held > sim::Time::zero()) co_await ctx_.simulator.delay(held);
    if (co_await travel(lot, ctx_.world.flows[lot.flow].route)) co_return;
    if (stage_check(Stage::kInstallation, lot, ctx_.world.flows[lot.flow].destination, held))
      co_return;
    if (held > sim::Time::zero()) co_await ctx_.simulator.delay(held);
  }
  if (LotLifecycle::install(lot)) co_await divert(lot);
}

bool LotLifecycle::stage_check(Stage stage, const Lot& lot, NodeIndex node, sim::Time& held) {
  held = sim::Time::zero();
  return enforcement_.enforce(stage, lot, node, nullptr, {}, 0, nullptr, &held);
}

bool LotLifecycle::install(const Lot& lot) {
  const NodeIndex dc = ctx_.world.flows[lot.flow].destination;
  ctx_.lots.install(lot.id, dc);
  checks_.start_operation_checks(lot);
  if (lot.diverted) return true;
  ctx_.lots.release(key(lot));
  ctx_.recorder.delivered(lot, ctx_.now());
  return false;
}

sim::Task<void> LotLifecycle::divert(const Lot& lot) {
  const Tactics& tactics = ctx_.world.flows[lot.flow].tactics;
  const NodeIndex dc = ctx_.world.flows[lot.flow].destination;
  sim::RandomStream dwell = ctx_.streams.stream(streams::kDwell, lot);
  co_await ctx_.simulator.delay(days(tactics.operate_days.sample(dwell)));
  // Diverters do not move chips out while an announced visit is pending: they wait it out.
  while (checks_.announced_until(dc) > ctx_.now()) {
    co_await ctx_.simulator.delay(checks_.announced_until(dc) - ctx_.now() + sim::Time::hours(1));
  }
  if (!ctx_.lots.alive(key(lot)))
    co_return;  // caught while installed (a tip, a payment investigation)
  ctx_.lots.remove_from_site(lot.id, ctx_.now());
  ctx_.recorder.removed(lot, dc, ctx_.now());
  if (co_await travel(lot, tactics.to_dismantle)) co_return;

  std::uint64_t consignment_chips = tactics.consignment_chips;
  if (ctx_.world.adversary && ctx_.world.adversary->split_below_inspection_threshold) {
    consignment_chips = consignment_chips_under_thresholds(
        ctx_.world, lot.chip_model, consignment_chips, chips_per_unit(lot.packaging), ctx_.now());
  }
  ctx_.guard.count_lots((lot.chips + consignment_chips - 1) /
                        consignment_chips);  // before allocating
  std::vector<Lot> parts = split(lot, consignment_chips);
  ctx_.recorder.dismantled(lot, parts.size(), tactics.dismantle_at, ctx_.now());
  ctx_.lots.release(key(lot));
  std::vector<sim::ProcessHandle> handles;
  std::vector<Lot> arrived;
  for (Lot& part : parts) {
    sim::RandomStream relabel = ctx_.streams.stream(streams::kRelabel, part);
    part.relabelled = sim::bernoulli(relabel, tactics.relabel_probability);
    ctx_.lots.hold(part);
    handles.push_back(ctx_.simulator.spawn("consignment " + std::to_string(part.part),
                                           consignment(part, arrived)));
  }
  parts = {};  // each consignment holds its own copy
  for (sim::ProcessHandle& h : handles) co_await h;
  handles = {};
  co_await ctx_.simulator.delay(days(tactics.reassembly_days.sample(dwell)));
  // Parts may have been seized or disabled while waiting for reassembly.
  std::erase_if(arrived, [this](const Lot& part) { return !ctx_.lots.alive(key(part)); });
  if (!arrived.empty()) deliver(lot, arrived);
}

void LotLifecycle::deliver(const Lot& lot, const std::vector<Lot>& arrived) {
  const Tactics& tactics = ctx_.world.flows[lot.flow].tactics;
  for (const Lot& part : arrived) ctx_.lots.release(key(part));
  const Lot whole = merge(lot, arrived);
  ctx_.lots.deliver(lot.id, whole, tactics.end_facility);
  ctx_.recorder.delivered(whole, ctx_.now());
  fronts_.learn(lot, 0, whole.chips);
  const Countermeasures& cm = tactics.countermeasures;
  if (cm.air_gapped_probability > 0 || cm.firmware_rollback_probability > 0) {
    sim::RandomStream rs = ctx_.streams.stream(streams::kCountermeasures, lot);
    const bool air_gapped = sim::bernoulli(rs, cm.air_gapped_probability);
    const bool rolled_back = sim::bernoulli(rs, cm.firmware_rollback_probability);
    if (air_gapped || rolled_back) {
      ctx_.lots.go_silent(lot.id, rolled_back);  // silent since it left its data center
      const double per_chip = (air_gapped ? cm.air_gap_cost_per_chip_usd : 0) +
                              (rolled_back ? cm.rollback_cost_per_chip_usd : 0);
      ctx_.recorder.went_silent(whole, per_chip * static_cast<double>(whole.chips), ctx_.now());
    }
  }
}

sim::Process LotLifecycle::consignment(Lot part, std::vector<Lot>& arrived) {
  std::vector<EdgeIndex> chosen;  // the adapting smugglers' own choice
  if (smugglers_ != nullptr) chosen = smugglers_->choose_route(part);
  if (!co_await travel(part, smugglers_ != nullptr ? chosen : consignment_route(part)))
    arrived.push_back(part);
}

const std::vector<EdgeIndex>& LotLifecycle::consignment_route(const Lot& part) {
  const Tactics& t = ctx_.world.flows[part.flow].tactics;
  if (t.consignment_routes.empty()) return t.to_end;
  sim::RandomStream rs = ctx_.streams.stream(streams::kRoute, part);
  return t.consignment_routes[sim::DiscreteChoice(t.consignment_route_weights)(rs)];
}

sim::Task<bool> LotLifecycle::travel(const Lot& lot, const std::vector<EdgeIndex>& path) {
  // One suspension point: each awaiter would take a slot of its own in the frame.
  sim::RandomStream rs = ctx_.streams.stream(streams::kTransit, lot);
  Leg leg;
  while (const std::optional<sim::Time> wait = next_wait(lot, path, leg, rs)) {
    co_await ctx_.simulator.delay(*wait);
  }
  co_return leg.out;
}

std::optional<sim::Time> LotLifecycle::next_wait(const Lot& lot, const std::vector<EdgeIndex>& path,
                                                 Leg& leg, sim::RandomStream& rs) {
  const Network& net = ctx_.world.network;
  while (leg.edge < path.size()) {
    const EdgeIndex e = path[leg.edge];
    switch (leg.next) {
      case Leg::Next::kProcessing:  // at the node it leaves
        leg.next = Leg::Next::kTransit;
        return days(net.node(net.edge_source(e)).processing_days.sample(rs));
      case Leg::Next::kTransit:
        leg.next = Leg::Next::kArrival;
        return days(net.edge(e).transit_days.sample(rs));
      case Leg::Next::kArrival: {
        const Arrival a = arrive(lot, e);
        if (a.out) {
          leg.out = true;
          return std::nullopt;
        }
        if (a.turned_back) {  // refused entry: the same leg back, then try again
          leg.next = Leg::Next::kReturn;
        } else {
          leg.next = Leg::Next::kProcessing;
          ++leg.edge;
        }
        if (a.held > sim::Time::zero()) return a.held;  // a legitimate lot held there
        break;
      }
      case Leg::Next::kReturn:
        leg.next = Leg::Next::kReturnArrival;
        return days(net.edge(e).transit_days.sample(rs));
      case Leg::Next::kReturnArrival: {  // back where the leg started, to try again
        const Arrival a = arrive(lot, e, /*back=*/true);
        if (a.out) {
          leg.out = true;
          return std::nullopt;
        }
        leg.next = Leg::Next::kProcessing;
        if (a.held > sim::Time::zero()) return a.held;
        break;
      }
    }
  }
  return std::nullopt;
}

LotLifecycle::Arrival LotLifecycle::arrive(const Lot& lot, EdgeIndex e, bool back) {
  Arrival a;
  // Taken out of the chain by a delayed verdict while travelling.
  if (!ctx_.lots.alive(key(lot))) {
    a.out = true;
    return a;
  }
  const Network& net = ctx_.world.network;
  const EdgeInfo& edge = net.edge(e);
  const NodeIndex to = back ? net.edge_source(e) : net.edge_target(e);
  const NodeInfo& node = net.node(to);
  ctx_.recorder.arrived(lot, to, ctx_.now());
  const std::uint64_t encounter = ctx_.lots.arrive(key(lot), to);
  bool* refused = back ? nullptr : &a.turned_back;
  a.out = enforcement_.enforce(Stage::kShipment, lot, to, &edge, e, encounter, refused, &a.held) ||
          ((node.kind == NodeKind::kBorderCrossing || node.kind == NodeKind::kTransitHub) &&
           enforcement_.enforce(Stage::kBorder, lot, to, &edge, e, encounter, refused, &a.held));
  if (smugglers_ != nullptr && lot.diverted && (a.out || !a.turned_back)) {
    smugglers_->learn(lot, to, encounter, a.out);
  }
  return a;
}

}  // namespace chiptrail::models
