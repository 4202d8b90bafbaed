#include "models/replication/enforcement.hpp"

#include <cmath>
#include <optional>

#include "models/random_streams.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {
namespace {

bool stops(Verdict v) {
  return v == Verdict::kSeize || v == Verdict::kDisable;
}

Decision ask(const Policy& policy, Stage stage, const PolicyContext& ctx) {
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
    case Stage::kLease:
      return policy.on_lease(ctx);
    case Stage::kUsage:
      return policy.on_usage(ctx);
  }
  return {};
}

}  // namespace

Enforcement::Enforcement(ReplicationContext& ctx, FrontCompanies& fronts)
    : ctx_(ctx), fronts_(fronts) {
  const Network& net = ctx.world.network;
  policies_at_.resize(net.node_count());
  for (std::size_t i = 0; i < ctx.world.policies.size(); ++i) {
    for (NodeIndex n = 0; n < net.node_count(); ++n) {
      if (ctx.world.policies[i].scope.covers_place(&net.node(n), n)) policies_at_[n].push_back(i);
    }
  }
}

bool Enforcement::enforce(Stage stage, const Lot& lot, NodeIndex node_index, const EdgeInfo* edge,
                          std::optional<EdgeIndex> edge_index, std::uint64_t encounter,
                          bool* turned_back, sim::Time* held) {
  const NodeInfo* node = &ctx_.world.network.node(node_index);
  bool stopped = false;
  sim::Time hold;  // of a legitimate lot, over the policies here
  for (const std::size_t i : policies_at_[node_index]) {
    const PolicyInstance& p = ctx_.world.policies[i];
    if (!p.acts_at(ctx_.now(), lot.chip_model, node, node_index) ||
        (stage == Stage::kShipment && !p.scope.covers_edge(edge_index))) {
      continue;
    }
    sim::RandomStream rng = ctx_.streams.stream(
        streams::policy_decision(p.name_key(), stage, ctx_.streams.node_key(node_index), encounter),
        lot);
    PolicyContext ctx{lot, node, edge, ctx_.now(), rng};
    ctx.set_lot_address(ctx_.streams.lot_address(p, lot.id));
    if ((stage == Stage::kShipment || stage == Stage::kBorder) &&
        p.policy->uses_checkpoint_load()) {
      ctx.checkpoint = &load(i, node_index);
    }
    const Decision d = ask(ctx_.policies[i], stage, ctx);
    // A legitimate lot's hold times come from a stream of their own: the exam's draw first,
    // then a wrongful hold's.
    std::optional<sim::RandomStream> hold_rng;
    const auto hold_days = [&](const Distribution& days) {
      if (!hold_rng) {
        hold_rng = ctx_.streams.stream(
            streams::legitimate_hold(p.name_key(), stage, ctx_.streams.node_key(node_index),
                                     encounter),
            lot);
      }
      return sim::Time::from_days(days.sample(*hold_rng));
    };
    if (d.effort_units > 0) {
      ctx_.recorder.cost(i, d.effort_units * p.cost_per_unit_usd, ctx_.now());
      if (!lot.diverted && p.legitimate_cost_per_unit_usd > 0) {
        ctx_.recorder.burden(i, d.effort_units * p.legitimate_cost_per_unit_usd, ctx_.now());
      }
      if (!lot.diverted) hold += hold_days(p.legitimate_delay_days);
    }
    if (d.verdict == Verdict::kTurnBack) {
      if (turned_back != nullptr) *turned_back = true;
      continue;
    }
    if (d.verdict == Verdict::kPass) continue;
    DetectionEvent event{i, node_index, true, stage, d.verdict, ctx_.now(), edge_index};
    if (!lot.diverted) {
      if (stopped) continue;
      ctx_.recorder.false_positive(lot, event);
      hold += hold_days(p.false_positive_delay_days);
      continue;
    }
    if (d.delay > sim::Time::zero() && p.policy->delay_is_time_to_find()) {
      // Nothing is found yet: the finding, and all it counts, comes when the delay ends.
      const std::uint64_t id = lot.id;
      const bool acts = !stopped;
      ctx_.simulator.schedule_in(d.delay, [this, id, event, acts] { find_later(id, event, acts); });
      continue;
    }
    if (stopped || d.delay > sim::Time::zero()) {
      // An alert now: after an earlier policy here stopped the lot (overlap), or a verdict that
      // takes effect later (a tip, a payment screen). The lot goes on meanwhile.
      DetectionEvent alert = event;
      alert.verdict = Verdict::kFlag;
      ctx_.recorder.detected(lot, alert);
      if (stopped) {
        investigate(lot, event);
        continue;
      }
      const std::uint64_t id = lot.id;
      ctx_.simulator.schedule_in(d.delay, [this, id, event] { conclude(id, event); });
      continue;
    }
    // Customs hold what passes their checkpoint only where the law lets them seize it.
    if (d.verdict == Verdict::kSeize && (stage == Stage::kShipment || stage == Stage::kBorder) &&
        !ctx_.world.jurisdictions.may_seize(node_index, lot, ctx_.now())) {
      event.verdict = Verdict::kFlag;
      event.without_authority = true;
    }
    ctx_.recorder.detected(lot, event);
    investigate(lot, event);
    if (stops(event.verdict)) {
      ctx_.lots.release(key(lot));
      fronts_.learn(lot, lot.chips, 0);
      stopped = true;
    }
  }
  if (hold > sim::Time::zero()) {
    ctx_.recorder.held(lot, hold, ctx_.now());
    if (held != nullptr) *held += hold;
  }
  return stopped;
}

bool Enforcement::act_on_sold_lot(std::uint64_t id, DetectionEvent event) {
  event.time = ctx_.now();
  SoldLot& sold = ctx_.lots.sold(id);
  std::vector<LotKey> parts;
  for (std::uint64_t part = 0; part <= sold.last_part; ++part) {
    if (ctx_.lots.alive({id, part})) parts.push_back({id, part});
  }
  bool any_stopped = false;
  for (const LotKey& part : parts) {
    const Lot& lot = ctx_.lots.live(part);
    DetectionEvent here = event;
    // A seizure reaches a part where the law of the place it last arrived at allows it.
    const auto at = ctx_.lots.last_arrival(part);
    if (here.verdict == Verdict::kSeize && at &&
        !ctx_.world.jurisdictions.may_seize(*at, lot, ctx_.now())) {
      here.verdict = Verdict::kFlag;
      here.without_authority = true;
    }
    ctx_.recorder.detected(lot, here);
    if (stops(here.verdict)) {
      fronts_.learn(lot, lot.chips, 0);
      ctx_.lots.release(part);
      any_stopped = true;
    }
  }
  if (any_stopped && sold.at_site && !ctx_.lots.alive({id, 0})) {
    ctx_.lots.stop_at_site(id);  // seized or disabled where it was installed
  }
  if (!sold.delivered) return !parts.empty();
  if (event.verdict == Verdict::kDisable) {
    ctx_.recorder.disabled_after_delivery(*sold.delivered, event);
    fronts_.learn(*sold.delivered, sold.delivered->chips, 0);
    ctx_.lots.disable_delivered(id);
  } else if (parts.empty()) {
    DetectionEvent flag = event;
    flag.verdict = Verdict::kFlag;  // found after arrival: nothing left to seize
    ctx_.recorder.detected(*sold.delivered, flag);
  }
  return true;
}

void Enforcement::act_on_finding(const Lot& lot, std::uint64_t id, const DetectionEvent& event) {
  if (!lot.diverted) {
    ctx_.recorder.false_positive(lot, event);
    return;
  }
  if (!act_on_sold_lot(id, event)) flag_only(lot, event);
  investigate(lot, event);
}

void Enforcement::flag_only(const Lot& lot, const DetectionEvent& event) {
  DetectionEvent flag = event;
  flag.verdict = Verdict::kFlag;
  flag.time = ctx_.now();
  ctx_.recorder.detected(lot, flag);
}

void Enforcement::find_later(std::uint64_t id, const DetectionEvent& event, bool acts) {
  if (!acts) {  // stopped at the decision by another policy: found, with nothing to act on
    flag_only(ctx_.lots.sold(id).lot, event);
    return;
  }
  if (!act_on_sold_lot(id, event)) flag_only(ctx_.lots.sold(id).lot, event);
  close_front(id);
}

CheckpointLoad& Enforcement::load(std::size_t policy, NodeIndex node) {
  CheckpointLoad& l = loads_[{policy, node}];
  const auto today = static_cast<std::int64_t>(std::floor(ctx_.now().to_days()));
  if (l.day != today) {
    l.day = today;
    l.drawn_until = 0;
    l.targeted = 0;
    const std::uint64_t key = streams::at_node(
        streams::of_policy(streams::kCheckpointTraffic, ctx_.world.policies[policy].name_key()),
        ctx_.streams.node_key(node));
    l.other = ctx_.streams.stream(key, static_cast<std::uint64_t>(today));
  }
  return l;
}

void Enforcement::investigate(const Lot& lot, const DetectionEvent& finding) {
  const PolicyInstance& p = ctx_.world.policies[finding.policy];
  if (!p.investigation || !open_cases_.insert(lot.id).second) return;
  const std::uint64_t n = cases_opened_[{finding.policy, lot.id}]++;
  sim::RandomStream rng =
      ctx_.streams.sold_lot_stream(streams::investigation(p.name_key(), n), lot.id);
  const sim::Time delay = sim::Time::from_days(p.investigation->delay_days.sample(rng));
  const bool confirmed = sim::bernoulli(rng, p.investigation->confirm_probability);
  const std::uint64_t id = lot.id;
  DetectionEvent event = finding;
  event.verdict = Verdict::kSeize;
  event.without_authority = false;
  ctx_.simulator.schedule_in(delay, [this, id, event, confirmed] {
    open_cases_.erase(id);
    if (confirmed) conclude(id, event);
  });
}

void Enforcement::conclude(std::uint64_t id, const DetectionEvent& event) {
  act_on_sold_lot(id, event);
  close_front(id);
}

void Enforcement::close_front(std::uint64_t id) {
  if (!concluded_.insert(id).second) return;  // a lot's cases close its front at most once
  const SoldLot& sold = ctx_.lots.sold(id);
  fronts_.confirmed_case(sold.lot.flow, sold.front);
}

}  // namespace chiptrail::models
