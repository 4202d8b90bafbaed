// The lifecycle of DOMAIN.md's story, one coroutine per lot:
//   sale -> shipment to a Southeast-Asian data center -> installation -> (legitimate: stays)
//   diverted: operated for a dwell time -> removed -> carried to a dealer -> dismantled into
//   consignments -> each crosses borders on its own -> reassembled -> delivered to the end
//   facility.
// Policies act through the hooks of Policy: at the stages a lot passes (sale, shipment, border,
// installation), at audits of the data centers (periodic processes per site), and on operating
// chips (periodic processes per lot). A seizure or disable takes chips out of the chain.
#include "models/supply_chain_model.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/adversary/answers.hpp"
#include "models/adversary/checkpoint_beliefs.hpp"
#include "models/adversary/route_choice.hpp"
#include "models/adversary/substitution.hpp"
#include "models/expected_size.hpp"
#include "models/metrics_recorder.hpp"
#include "models/random_streams.hpp"
#include "sim/distributions.hpp"
#include "sim/process_memory.hpp"
#include "sim/random_stream.hpp"
#include "sim/simulator.hpp"

namespace chiptrail::models {
namespace {

bool stops(Verdict v) {
  return v == Verdict::kSeize || v == Verdict::kDisable;
}

// What the model knows of a lot as sold, shared by its journey, its consignments and the
// periodic checks on it.
struct SoldLot {
  Lot lot;
  std::optional<NodeIndex> site;          // the data center it was installed at (the record)
  bool at_site = false;                   // still installed there
  std::optional<NodeIndex> operating_at;  // online at this node
  sim::Time offline_since;
  std::optional<Lot> delivered;      // reassembled at its end facility
  std::vector<std::uint64_t> parts;  // Lot::part of each piece it has had in the chain
  std::size_t live_parts = 0;        // how many of those are still in the chain
};

// A lot or consignment in the chain, with the nodes it has arrived at (in order, repeats
// included): the encounter number of a check is how often it arrived at that node before.
struct LiveLot {
  Lot lot;
  std::vector<NodeIndex> arrivals;
};

class Replication {
 public:
  Replication(const World& world, const RunConfig& config, std::uint64_t replication,
              Recorder& recorder)
      : world_(world), config_(config), replication_(replication), recorder_(recorder) {
    if (world.adversary) {
      std::vector<double> prior;
      for (NodeIndex n = 0; n < world.network.node_count(); ++n) {
        const NodeKind kind = world.network.node(n).kind;
        prior.push_back(kind == NodeKind::kBorderCrossing || kind == NodeKind::kTransitHub
                            ? world.adversary->prior_detection
                            : world.adversary->prior_detection_elsewhere);
      }
      beliefs_.emplace(prior, world.adversary->prior_strength);
    }
  }

  SimulationSummary run() {
    check_expected_size(world_, config_.limits);
    // Checked every 16,384 events, or more often under a lower limit (overshooting it by at
    // most an eighth), so that every limit is enforced.
    const std::uint64_t every =
        std::clamp<std::uint64_t>(config_.limits.max_events / 8, 1, std::uint64_t{1} << 14);
    simulator_.set_watchdog(every, [this] { check_limits(); });
    for (std::size_t f = 0; f < world_.flows.size(); ++f) {
      simulator_.spawn("arrivals " + world_.flows[f].id, arrivals(f));
    }
    for (std::size_t p = 0; p < world_.policies.size(); ++p) {
      if (world_.policies[p].policy->audits_per_site_per_year() <= 0) continue;
      for (NodeIndex n = 0; n < world_.network.node_count(); ++n) {
        const NodeInfo& node = world_.network.node(n);
        if (node.kind == NodeKind::kDataCenter && world_.policies[p].scope.covers_place(&node, n)) {
          simulator_.spawn("audits " + world_.policies[p].name + " " + node.id, audits(p, n));
        }
      }
    }
    if (config_.drain) {
      simulator_.run();
    } else {
      simulator_.run_until(world_.horizon);
    }
    SimulationSummary out;
    for (const auto& [k, live] : live_) out.chips_in_pipeline += live.lot.chips;
    out.events = simulator_.events_processed();
    out.peak_lots_in_flight = peak_live_lots_;
    return out;
  }

 private:
  // Addresses follow models/random_streams.hpp.
  sim::RandomStream stream(std::uint64_t key, std::uint64_t entity) const {
    return sim::RandomStream({config_.seed, replication_, key, entity});
  }
  sim::RandomStream stream(std::uint64_t key, const Lot& lot) const {
    return sim::RandomStream(streams::address(config_.seed, replication_, key, lot));
  }
  // A uniform fixed for (policy, sold lot): the same at every decision on that lot.
  sim::StreamAddress lot_address(const PolicyInstance& p, std::uint64_t lot_id) const {
    return {config_.seed, replication_, streams::of_policy(streams::kLotProperty, p.name_key()),
            lot_id};
  }
  sim::Time days(double d) const { return sim::Time::from_days(d); }

  // ---- resource guards (ResourceLimits) -----------------------------------------------------

  [[noreturn]] void too_large(const std::string& what) const {
    throw ResourceLimitExceeded("replication " + std::to_string(replication_) +
                                " stopped: " + what + "; the scenario is too large for this limit");
  }
  void check_limits() const {
    const ResourceLimits& l = config_.limits;
    if (l.stop != nullptr && l.stop->load(std::memory_order_relaxed)) {
      throw sim::RunStopped("replication " + std::to_string(replication_) + " called off");
    }
    if (simulator_.events_processed() > l.max_events) {
      too_large("more than " + std::to_string(l.max_events) + " events (--max-events)");
    }
    if (l.max_memory_bytes != 0 && sim::resident_bytes() > l.max_memory_bytes) {
      too_large("the process uses more than " + std::to_string(l.max_memory_bytes >> 20) +
                " MiB (--max-memory)");
    }
  }
  // Counts `n` more lots or consignments against the limit.
  void count_lots(std::uint64_t n) {
    lots_created_ += n;
    if (lots_created_ > config_.limits.max_lots) {
      too_large("more than " + std::to_string(config_.limits.max_lots) +
                " lots and consignments (--max-lots)");
    }
  }

  void hold(const Lot& lot) {
    live_[key(lot)] = LiveLot{lot, {}};
    SoldLot& sold = sold_.at(lot.id);
    sold.parts.push_back(lot.part);
    ++sold.live_parts;
    peak_live_lots_ = std::max(peak_live_lots_, live_.size());
  }
  // Takes a lot or consignment out of the chain (delivered, merged, seized or disabled).
  void release(const LotKey& k) {
    if (live_.erase(k) != 0) --sold_.at(k.lot).live_parts;
  }
  bool alive(const LotKey& k) const { return live_.count(k) != 0; }
  // Records an arrival of a lot in the chain at `node`; returns how often it arrived there
  // before (the encounter number of the checks there).
  std::uint64_t arrive(const LotKey& k, NodeIndex node) {
    std::vector<NodeIndex>& seen = live_.at(k).arrivals;
    const auto before = static_cast<std::uint64_t>(std::count(seen.begin(), seen.end(), node));
    seen.push_back(node);
    return before;
  }

  // ---- arrivals and the journey -------------------------------------------------------------

  sim::Process arrivals(std::size_t f) {
    const Flow& flow = world_.flows[f];
    std::uint64_t n = 0;
    if (!flow.schedule_days.empty()) {
      std::vector<double> at = flow.schedule_days;
      std::sort(at.begin(), at.end());
      for (double day : at) {
        const sim::Time t = days(day);
        if (t >= world_.horizon) break;
        co_await simulator_.delay(t - simulator_.now());
        start_lot(f, ++n);
      }
      co_return;
    }
    sim::RandomStream rs = stream(streams::kArrivals, f);
    const double mean_gap_days = 365.0 / flow.poisson_per_year;
    for (;;) {
      const sim::Time gap = days(sim::exponential(rs, mean_gap_days));
      if (simulator_.now() + gap >= world_.horizon) co_return;
      co_await simulator_.delay(gap);
      start_lot(f, ++n);
    }
  }

  void start_lot(std::size_t f, std::uint64_t n) {
    const Flow& flow = world_.flows[f];
    Lot lot;
    // Unique: a flow creates fewer than 2^32 lots (the loader bounds expected lots at 1e7 per
    // flow and schedules by the file size).
    lot.id = (static_cast<std::uint64_t>(f) + 1) << 32 | n;
    lot.flow = f;
    lot.chip_model = flow.chip_model;
    lot.packaging = flow.packaging;
    lot.diverted = flow.diversion;
    lot.buyer_sophistication = flow.buyer_sophistication;
    lot.payment_layers = flow.payment_layers;
    sim::RandomStream rs = stream(streams::kLotSize, lot);
    const std::uint64_t unit = chips_per_unit(flow.packaging);
    // Clamped: an unbounded distribution's rare huge draw must not overflow the conversion.
    const double units =
        std::clamp(std::round(flow.lot_chips.sample(rs) / static_cast<double>(unit)), 1.0, 1e12);
    lot.chips = unit * static_cast<std::uint64_t>(units);
    count_lots(1);
    if (world_.adversary && flow.diversion && !adapt_purchase(flow, lot)) return;
    recorder_.lot_created(lot, simulator_.now());
    sold_.emplace(lot.id, SoldLot{lot, {}, false, {}, {}, {}, {}, 0});
    hold(lot);
    simulator_.spawn("lot " + std::to_string(lot.id), journey(lot));
  }

  sim::Process journey(Lot lot) {
    const Flow& flow = world_.flows[lot.flow];
    const Network& net = world_.network;
    if (enforce(Stage::kSale, lot, &net.node(flow.source), flow.source, nullptr, {})) co_return;
    bool stopped = false;
    co_await simulator_.spawn("travel", travel(lot, flow.route, stopped));
    if (stopped) co_return;
    const NodeIndex dc = flow.destination;
    if (enforce(Stage::kInstallation, lot, &net.node(dc), dc, nullptr, {})) co_return;
    install(lot, dc);
    if (!lot.diverted) {
      release(key(lot));
      recorder_.delivered(lot, simulator_.now());
      co_return;
    }
    const Tactics& tactics = flow.tactics;
    sim::RandomStream dwell = stream(streams::kDwell, lot);
    co_await simulator_.delay(days(tactics.operate_days.sample(dwell)));
    // Diverters do not move chips out while an announced visit is pending: they wait it out.
    while (announced_until_[dc] > simulator_.now()) {
      co_await simulator_.delay(announced_until_[dc] - simulator_.now() + sim::Time::hours(1));
    }
    if (!alive(key(lot))) co_return;  // caught while installed (a tip, a payment investigation)
    remove_from_site(lot.id);
    recorder_.removed(lot, dc, simulator_.now());
    co_await simulator_.spawn("travel", travel(lot, tactics.to_dismantle, stopped));
    if (stopped) co_return;

    std::uint64_t consignment_chips = tactics.consignment_chips;
    if (world_.adversary && world_.adversary->split_below_inspection_threshold) {
      consignment_chips =
          consignment_chips_under_thresholds(world_, lot.chip_model, consignment_chips,
                                             chips_per_unit(lot.packaging), simulator_.now());
    }
    count_lots((lot.chips + consignment_chips - 1) / consignment_chips);  // before allocating
    std::vector<Lot> parts = split(lot, consignment_chips);
    recorder_.dismantled(lot, parts.size(), tactics.dismantle_at, simulator_.now());
    release(key(lot));
    std::vector<sim::ProcessHandle> handles;
    std::vector<Lot> arrived;
    for (Lot& part : parts) {
      sim::RandomStream relabel = stream(streams::kRelabel, part);
      part.relabelled = sim::bernoulli(relabel, tactics.relabel_probability);
      hold(part);
      handles.push_back(
          simulator_.spawn("consignment " + std::to_string(part.part), consignment(part, arrived)));
    }
    for (sim::ProcessHandle& h : handles) co_await h;
    co_await simulator_.delay(days(tactics.reassembly_days.sample(dwell)));
    // Parts may have been seized or disabled while waiting for reassembly.
    std::erase_if(arrived, [this](const Lot& part) { return !alive(key(part)); });
    if (arrived.empty()) co_return;
    for (const Lot& part : arrived) release(key(part));
    const Lot whole = merge(lot, arrived);
    SoldLot& sold = sold_.at(lot.id);
    sold.delivered = whole;
    sold.operating_at = tactics.end_facility;
    recorder_.delivered(whole, simulator_.now());
  }

  sim::Process consignment(Lot part, std::vector<Lot>& arrived) {
    const Tactics& t = world_.flows[part.flow].tactics;
    const std::vector<EdgeIndex>* route = &t.to_end;
    std::vector<EdgeIndex> chosen;
    if (beliefs_) {
      chosen = choose_route(part);
      route = &chosen;
    } else if (!t.consignment_routes.empty()) {
      sim::RandomStream rs = stream(streams::kRoute, part);
      route = &t.consignment_routes[sim::DiscreteChoice(t.consignment_route_weights)(rs)];
    }
    bool stopped = false;
    co_await simulator_.spawn("travel", travel(part, *route, stopped));
    if (!stopped) arrived.push_back(part);
  }

  // Moves a lot along a path: processing at each node it leaves, transit on each edge, the
  // shipment hook on arrival and the border hook at border crossings and transit hubs. Stops
  // when the lot is taken out of the chain, here or by a delayed verdict while it travels.
  sim::Process travel(const Lot& lot, const std::vector<EdgeIndex>& path, bool& stopped) {
    const Network& net = world_.network;
    sim::RandomStream rs = stream(streams::kTransit, lot);
    for (std::size_t i = 0; i < path.size();) {
      const EdgeIndex e = path[i];
      const NodeInfo& from = net.node(net.edge_source(e));
      co_await simulator_.delay(days(from.processing_days.sample(rs)));
      const EdgeInfo& edge = net.edge(e);
      co_await simulator_.delay(days(edge.transit_days.sample(rs)));
      const NodeIndex to = net.edge_target(e);
      const NodeInfo& node = net.node(to);
      bool back = false;
      if (!alive(key(lot))) {  // taken out of the chain by a delayed verdict while travelling
        stopped = true;
        co_return;
      }
      recorder_.arrived(lot, to, simulator_.now());
      const std::uint64_t encounter = arrive(key(lot), to);
      const bool caught =
          enforce(Stage::kShipment, lot, &node, to, &edge, e, encounter, &back) ||
          ((node.kind == NodeKind::kBorderCrossing || node.kind == NodeKind::kTransitHub) &&
           enforce(Stage::kBorder, lot, &node, to, &edge, e, encounter, &back));
      if (beliefs_ && lot.diverted && (caught || !back)) learn(lot, to, encounter, caught);
      if (caught) {
        stopped = true;
        co_return;
      }
      if (back) {  // refused entry: the same leg back, then try again
        co_await simulator_.delay(days(edge.transit_days.sample(rs)));
        continue;
      }
      ++i;
    }
  }

  void install(const Lot& lot, NodeIndex dc) {
    SoldLot& sold = sold_.at(lot.id);
    sold.site = dc;
    sold.at_site = true;
    sold.operating_at = dc;
    site_lots_[dc].push_back(lot.id);
    for (std::size_t p = 0; p < world_.policies.size(); ++p) {
      const PolicyInstance& inst = world_.policies[p];
      if (inst.policy->operation_interval() > sim::Time::zero() &&
          inst.scope.covers_chip(lot.chip_model)) {
        simulator_.spawn("operation " + inst.name, operation(p, lot.id));
      }
    }
  }

  void remove_from_site(std::uint64_t id) {
    SoldLot& sold = sold_.at(id);
    sold.at_site = false;
    sold.operating_at.reset();
    sold.offline_since = simulator_.now();
  }

  // ---- adaptive smugglers (models/adversary/) ---------------------------------------------------

  // The stake of a consignment of `chips` chips of `chip_model`, for route choice.
  Stake stake(std::size_t chip_model, std::uint64_t chips) const {
    const AdversaryConfig& a = *world_.adversary;
    const double n = static_cast<double>(chips);
    return {n, n * world_.chips[chip_model].price_usd, a.risk_aversion,
            a.delay_cost_per_chip_day_usd};
  }

  // A consignment's route by Thompson sampling: every node's detection probability drawn from
  // the beliefs (lazily, each from its own address, so the draws do not depend on the order in
  // which the search asks for them), then the cheapest route under those draws.
  std::vector<EdgeIndex> choose_route(const Lot& part) const {
    const Tactics& t = world_.flows[part.flow].tactics;
    std::vector<double> drawn(world_.network.node_count(), -1.0);
    const DetectionAt detection = [&](NodeIndex n) {
      if (drawn[n] < 0) {
        sim::RandomStream rs = stream(streams::at_node(streams::kBeliefDraw, n), part);
        drawn[n] = beliefs_->sample(n, rs);
      }
      return drawn[n];
    };
    std::vector<EdgeIndex> route =
        cheapest_route(world_.network, t.dismantle_at, t.end_facility, detection,
                       stake(part.chip_model, part.chips), t.consignment_routes);
    return route.empty() ? t.to_end : route;
  }

  // Adaptive choices at purchase: the chip model (against verification) and whether to buy
  // smuggled chips at all (substitution). False when the end user buys domestic instead.
  bool adapt_purchase(const Flow& flow, Lot& lot) {
    const AdversaryConfig& a = *world_.adversary;
    if (a.avoid_verified_chips) {
      const std::size_t model = chip_model_avoiding_verification(world_, flow, simulator_.now());
      if (model != lot.chip_model) {  // the same compute in the alternative model
        const std::uint64_t unit = chips_per_unit(lot.packaging);
        const double chips = static_cast<double>(lot.chips) *
                             world_.chips[lot.chip_model].h100_equivalents /
                             world_.chips[model].h100_equivalents;
        lot.chips = unit * static_cast<std::uint64_t>(
                               std::max(1.0, std::round(chips / static_cast<double>(unit))));
        lot.chip_model = model;
      }
    }
    if (!a.substitute_chip) return true;
    const SupplyChoice choice =
        choose_supply(world_.chips[lot.chip_model], world_.chips[*a.substitute_chip], lot.chips,
                      a.grey_market_markup, believed_survival(flow, lot));
    if (!choice.substitute) return true;
    recorder_.substituted(lot, choice.h100e_bought, simulator_.now());
    return false;
  }

  // The chance a lot gets through, as the smugglers believe it now: every node on its way to
  // the dealer, then the route a consignment would take by the beliefs' means.
  double believed_survival(const Flow& flow, const Lot& lot) const {
    const DetectionAt mean = [this](NodeIndex n) { return beliefs_->mean(n); };
    const Tactics& t = flow.tactics;
    const std::uint64_t consignment = std::min(lot.chips, t.consignment_chips);
    const std::vector<EdgeIndex> onward =
        cheapest_route(world_.network, t.dismantle_at, t.end_facility, mean,
                       stake(lot.chip_model, consignment), t.consignment_routes);
    return survival(world_.network, flow.route, mean) *
           survival(world_.network, t.to_dismantle, mean) *
           survival(world_.network, onward.empty() ? t.to_end : onward, mean);
  }

  // A diverted lot's arrival at `node`: caught there or through. The smugglers learn of it
  // (with probability observed_share) after the information delay.
  void learn(const Lot& lot, NodeIndex node, std::uint64_t encounter, bool caught) {
    const AdversaryConfig& a = *world_.adversary;
    if (a.observed_share < 1.0) {
      sim::RandomStream rs = stream(streams::at_node(streams::kLearn, node, encounter), lot);
      if (!sim::bernoulli(rs, a.observed_share)) return;
    }
    if (a.information_delay <= sim::Time::zero()) {
      beliefs_->observe(node, caught, a.learning_rate);
      return;
    }
    simulator_.schedule_in(a.information_delay, [this, node, caught] {
      beliefs_->observe(node, caught, world_.adversary->learning_rate);
    });
  }

  // ---- enforcement ----------------------------------------------------------------------------

  static Decision ask(const Policy& policy, Stage stage, const PolicyContext& ctx) {
    switch (stage) {
      case Stage::kSale:
        return policy.on_sale(ctx);
      case Stage::kShipment:
        return policy.on_shipment(ctx);
      case Stage::kBorder:
        return policy.on_border(ctx);
      case Stage::kInstallation:
        return policy.on_installation(ctx);
      case Stage::kAudit:
        return policy.on_audit(ctx);
      case Stage::kOperation:
        return policy.on_operation(ctx);
    }
    return {};
  }

  // Asks every policy in force and in scope at a point the lot passes. Every finding is
  // recorded (overlap); the first seizure or disable acts and takes the lot (or consignment)
  // out of the chain, and the function returns true. Delayed verdicts are scheduled.
  // `encounter` counts the lot's earlier arrivals at this node: each is a draw of its own.
  bool enforce(Stage stage, const Lot& lot, const NodeInfo* node, NodeIndex node_index,
               const EdgeInfo* edge, std::optional<EdgeIndex> edge_index,
               std::uint64_t encounter = 0, bool* turned_back = nullptr) {
    bool stopped = false;
    for (std::size_t i = 0; i < world_.policies.size(); ++i) {
      const PolicyInstance& p = world_.policies[i];
      if (simulator_.now() < p.start || !p.scope.covers_chip(lot.chip_model) ||
          !p.scope.covers_place(node, node_index) ||
          (stage == Stage::kShipment && !p.scope.covers_edge(edge_index))) {
        continue;
      }
      sim::RandomStream rng =
          stream(streams::policy_decision(p.name_key(), stage, node_index, encounter), lot);
      PolicyContext ctx{lot, node, edge, simulator_.now(), rng};
      ctx.set_lot_address(lot_address(p, lot.id));
      const Decision d = ask(*p.policy, stage, ctx);
      if (d.effort_units > 0) recorder_.cost(i, d.effort_units * p.cost_per_unit_usd);
      if (d.verdict == Verdict::kTurnBack) {
        if (turned_back != nullptr) *turned_back = true;
        continue;
      }
      if (d.verdict == Verdict::kPass || stopped) {
        if (d.verdict != Verdict::kPass && lot.diverted) recorder_.would_flag(lot, i);
        continue;
      }
      const DetectionEvent event{i,         node_index,       node != nullptr, stage,
                                 d.verdict, simulator_.now(), edge_index};
      if (!lot.diverted) {
        recorder_.false_positive(lot, event);
        continue;
      }
      recorder_.would_flag(lot, i);
      if (d.delay > sim::Time::zero()) {
        const std::uint64_t id = lot.id;
        simulator_.schedule_in(d.delay, [this, id, event] { act_on_sold_lot(id, event); });
        continue;
      }
      recorder_.detected(lot, event);
      if (stops(d.verdict)) {
        release(key(lot));
        stopped = true;
      }
    }
    return stopped;
  }

  // A verdict on a sold lot as a whole, wherever its chips are now: every part still in the
  // chain is seized or disabled (or flagged); chips already delivered can only be disabled (or
  // the lot flagged).
  void act_on_sold_lot(std::uint64_t id, DetectionEvent event) {
    event.time = simulator_.now();
    SoldLot& sold = sold_.at(id);
    std::vector<LotKey> parts;
    for (const std::uint64_t part : sold.parts) {
      if (alive({id, part})) parts.push_back({id, part});
    }
    for (const LotKey& part : parts) {
      recorder_.detected(live_.at(part).lot, event);
      if (stops(event.verdict)) release(part);
    }
    if (stops(event.verdict) && !parts.empty() && sold.at_site) {
      sold.at_site = false;  // seized or disabled where it was installed
      sold.operating_at.reset();
    }
    if (!sold.delivered) return;
    if (event.verdict == Verdict::kDisable) {
      recorder_.disabled_after_delivery(*sold.delivered, event);
      sold.delivered.reset();
      sold.operating_at.reset();
    } else if (parts.empty()) {
      DetectionEvent flag = event;
      flag.verdict = Verdict::kFlag;  // found after arrival: nothing left to seize
      recorder_.detected(*sold.delivered, flag);
    }
  }

  // Whether any of the lot's chips are still somewhere the model tracks: installed at its site,
  // in transit, or delivered.
  static bool in_chain(const SoldLot& sold) {
    return sold.at_site || sold.delivered || sold.live_parts > 0;
  }

  // Visits to one data center by one audit policy, at its Poisson rate.
  sim::Process audits(std::size_t p, NodeIndex site) {
    const PolicyInstance& inst = world_.policies[p];
    const Policy& policy = *inst.policy;
    sim::RandomStream visits =
        stream(streams::of_policy(streams::kAuditVisits, inst.name_key()), site);
    const double mean_gap_days = 365.0 / policy.audits_per_site_per_year();
    const sim::Time notice = policy.audit_notice();
    const NodeInfo& node = world_.network.node(site);
    for (std::uint64_t visit = 0;; ++visit) {
      const sim::Time at = simulator_.now() + days(sim::exponential(visits, mean_gap_days));
      if (notice > sim::Time::zero()) {
        co_await simulator_.delay(std::max(simulator_.now(), at - notice) - simulator_.now());
        announced_until_[site] = std::max(announced_until_[site], at);
      }
      co_await simulator_.delay(at - simulator_.now());
      if (simulator_.now() < inst.start) continue;
      recorder_.cost(p, inst.cost_per_unit_usd);  // one visit
      std::uint64_t site_chips = 0;  // on record: installed, or missing but not yet seized
      for (const std::uint64_t id : site_lots_[site]) {
        const SoldLot& sold = sold_.at(id);
        if (in_chain(sold) && inst.scope.covers_chip(sold.lot.chip_model)) {
          site_chips += sold.lot.chips;
        }
      }
      for (const std::uint64_t id : site_lots_[site]) {
        const SoldLot& sold = sold_.at(id);
        if (!in_chain(sold)) continue;  // seized or disabled: no longer on record
        if (!inst.scope.covers_chip(sold.lot.chip_model)) continue;
        sim::RandomStream rng =
            stream(streams::policy_decision(inst.name_key(), Stage::kAudit, visit), sold.lot);
        PolicyContext ctx{sold.lot, &node, nullptr, simulator_.now(), rng};
        ctx.set_lot_address(lot_address(inst, id));
        ctx.present = sold.at_site;
        ctx.missing_chips = sold.at_site ? 0 : sold.lot.chips;
        ctx.site_chips = site_chips;
        const Decision d = policy.on_audit(ctx);
        if (d.effort_units > 0) recorder_.cost(p, d.effort_units * inst.cost_per_unit_usd);
        if (d.verdict == Verdict::kPass) continue;
        DetectionEvent event{p,           site, true, Stage::kAudit, d.verdict, simulator_.now(),
                             std::nullopt};
        if (!sold.lot.diverted) {
          recorder_.false_positive(sold.lot, event);
          continue;
        }
        recorder_.would_flag(sold.lot, p);
        act_on_sold_lot(id, event);
      }
    }
  }

  // Periodic checks of one lot's chips by one operation policy (location verification,
  // heartbeats), from installation until the lot leaves the chain or is first found in breach.
  sim::Process operation(std::size_t p, std::uint64_t id) {
    const PolicyInstance& inst = world_.policies[p];
    const Policy& policy = *inst.policy;
    std::uint64_t record = 0;  // the policy's record of its checks on this lot (check_record)
    for (std::uint64_t check = 0;; ++check) {
      co_await simulator_.delay(policy.operation_interval());
      SoldLot& sold = sold_.at(id);
      if (!in_chain(sold)) co_return;
      if (simulator_.now() < inst.start) continue;
      const NodeInfo* node = sold.operating_at ? &world_.network.node(*sold.operating_at) : nullptr;
      const NodeIndex where = sold.operating_at.value_or(world_.network.node_count());
      sim::RandomStream rng =
          stream(streams::policy_decision(inst.name_key(), Stage::kOperation, check), sold.lot);
      PolicyContext ctx{sold.delivered ? *sold.delivered : sold.lot, node, nullptr,
                        simulator_.now(), rng};
      ctx.offline_for = node ? sim::Time::zero() : simulator_.now() - sold.offline_since;
      ctx.set_lot_address(lot_address(inst, id));
      ctx.check_record = &record;
      const Decision d = policy.on_operation(ctx);
      if (d.effort_units > 0) recorder_.cost(p, d.effort_units * inst.cost_per_unit_usd);
      if (d.verdict == Verdict::kPass) continue;
      const DetectionEvent event{
          p, where, node != nullptr, Stage::kOperation, d.verdict, simulator_.now(), std::nullopt};
      if (!sold.lot.diverted) {
        recorder_.false_positive(sold.lot, event);
        co_return;
      }
      recorder_.would_flag(sold.lot, p);
      act_on_sold_lot(id, event);
      co_return;
    }
  }

  const World& world_;
  const RunConfig& config_;
  std::uint64_t replication_;
  Recorder& recorder_;
  std::unordered_map<LotKey, LiveLot, LotKeyHash> live_;  // lots and consignments in the chain
  std::size_t peak_live_lots_ = 0;
  std::uint64_t lots_created_ = 0;
  std::unordered_map<std::uint64_t, SoldLot> sold_;  // by sold lot id (references stay valid)
  std::unordered_map<NodeIndex, std::vector<std::uint64_t>> site_lots_;  // installed, by site
  std::unordered_map<NodeIndex, sim::Time> announced_until_;  // pending announced audit visits
  std::optional<CheckpointBeliefs> beliefs_;  // adaptive smugglers' beliefs, by node
  sim::Simulator simulator_;                  // last: its processes refer to the members above
};

}  // namespace

SimulationSummary simulate(const World& world, const RunConfig& config, std::uint64_t replication,
                           Recorder& recorder) {
  Replication r(world, config, replication, recorder);
  return r.run();
}

RunMetrics run_replication(const World& world, const RunConfig& config, std::uint64_t replication) {
  MetricsRecorder recorder(world);
  return recorder.finish(simulate(world, config, replication, recorder).chips_in_pipeline);
}

SimulationSummary simulate(const World& world, std::uint64_t replication, Recorder& recorder) {
  return simulate(world, default_run(world), replication, recorder);
}

RunMetrics run_replication(const World& world, std::uint64_t replication) {
  return run_replication(world, default_run(world), replication);
}

}  // namespace chiptrail::models
