#include "models/replication/periodic_checks.hpp"

#include <algorithm>
#include <limits>

#include "models/random_streams.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

PeriodicChecks::PeriodicChecks(ReplicationContext& ctx, Enforcement& enforcement, bool per_check)
    : ctx_(ctx), enforcement_(enforcement), per_check_(per_check) {
  if (!per_check_) ctx_.lots.watch([this](std::uint64_t id) { lot_changed(id); });
}

void PeriodicChecks::start_audits() {
  for (std::size_t p = 0; p < ctx_.world.policies.size(); ++p) {
    if (ctx_.world.policies[p].policy->audits_per_site_per_year() <= 0) continue;
    for (NodeIndex n = 0; n < ctx_.world.network.node_count(); ++n) {
      const NodeInfo& node = ctx_.world.network.node(n);
      if (node.kind == NodeKind::kDataCenter &&
          ctx_.world.policies[p].scope.covers_place(&node, n)) {
        ctx_.simulator.spawn("audits " + ctx_.world.policies[p].name + " " + node.id, audits(p, n));
      }
    }
  }
}

void PeriodicChecks::start_operation_checks(const Lot& lot) {
  std::vector<std::size_t> as_trials;
  std::vector<CheckTrials> outlooks;  // as_trials' outlooks at installation
  for (std::size_t p = 0; p < ctx_.world.policies.size(); ++p) {
    const PolicyInstance& inst = ctx_.world.policies[p];
    if (inst.policy->operation_interval() <= sim::Time::zero() ||
        !inst.scope.covers_chip(lot.chip_model)) {
      continue;
    }
    sim::RandomStream no_draws({0, 0, 0, 0});  // operation_trials draws nothing
    std::optional<CheckTrials> outlook;
    if (!per_check_) {
      outlook = inst.policy->operation_trials(
          operation_context(inst, ctx_.lots.sold(lot.id), lot.id, no_draws));
    }
    if (!outlook) {
      ctx_.simulator.spawn("operation " + inst.name, operation(p, lot.id));
    } else {
      as_trials.push_back(p);
      outlooks.push_back(*outlook);
    }
  }
  if (as_trials.empty()) return;
  // A lot is installed once: its trials never move after this (events point at them).
  std::vector<Trials>& trials = trials_[lot.id];
  trials.resize(as_trials.size());
  for (std::size_t i = 0; i < as_trials.size(); ++i) {
    trials[i].policy = as_trials[i];
    trials[i].lot = lot.id;
    trials[i].first_check =
        ctx_.now() + ctx_.world.policies[as_trials[i]].policy->operation_interval();
  }
  // Drawn once all are in place: a draw may act, and acting may change the lot's state.
  // The first draws from the outlook just taken; the others ask again, since a draw before
  // them may have acted and changed the lot's state.
  for (std::size_t i = 0; i < trials.size(); ++i) {
    draw(trials[i], i == 0 ? std::optional<CheckTrials>(outlooks[0]) : std::nullopt);
  }
}

void PeriodicChecks::finish() {
  // In the order of the lots, not the hash map's: the costs are floating-point sums, whose
  // bits would otherwise depend on the standard library.
  std::vector<std::uint64_t> ids;
  ids.reserve(trials_.size());
  for (const auto& entry : trials_) ids.push_back(entry.first);
  std::sort(ids.begin(), ids.end());
  for (const std::uint64_t id : ids) {
    for (Trials& t : trials_.at(id)) {
      if (t.done || t.left_chain) continue;
      const sim::Time end = std::min(ctx_.now(), ctx_.world.horizon);  // drain runs past it
      cost_checks(t, t.settled.next, checks_before(t, end + sim::Time::ticks(1)));
    }
  }
}

sim::Time PeriodicChecks::announced_until(NodeIndex site) const {
  const auto found = announced_until_.find(site);
  return found == announced_until_.end() ? sim::Time::zero() : found->second;
}

sim::Process PeriodicChecks::audits(std::size_t p, NodeIndex site) {
  const PolicyInstance& inst = ctx_.world.policies[p];
  const Policy& policy = *inst.policy;
  sim::RandomStream visits = ctx_.streams.stream(
      streams::of_policy(streams::kAuditVisits, inst.name_key()), ctx_.streams.node_key(site));
  const double mean_gap_days = 365.0 / policy.audits_per_site_per_year();
  const sim::Time notice = policy.audit_notice();
  const NodeInfo& node = ctx_.world.network.node(site);
  for (std::uint64_t visit = 0;; ++visit) {
    const sim::Time at = ctx_.now() + days(sim::exponential(visits, mean_gap_days));
    if (notice > sim::Time::zero()) {
      co_await ctx_.simulator.delay(std::max(ctx_.now(), at - notice) - ctx_.now());
      announced_until_[site] = std::max(announced_until_[site], at);
    }
    co_await ctx_.simulator.delay(at - ctx_.now());
    if (ctx_.now() < inst.start) continue;
    ctx_.recorder.cost(p, inst.cost_per_unit_usd, ctx_.now());  // one visit
    std::uint64_t site_chips = 0;  // on record: installed, or missing but not yet seized
    for (const std::uint64_t id : ctx_.lots.on_record_at(site)) {
      const SoldLot& sold = ctx_.lots.sold(id);
      if (sold.in_chain() && inst.scope.covers_chip(sold.lot.chip_model)) {
        site_chips += sold.lot.chips;
      }
    }
    for (const std::uint64_t id : ctx_.lots.on_record_at(site)) {
      const SoldLot& sold = ctx_.lots.sold(id);
      if (!sold.in_chain()) continue;  // seized or disabled: no longer on record
      if (!inst.scope.covers_chip(sold.lot.chip_model)) continue;
      sim::RandomStream rng = ctx_.streams.stream(
          streams::policy_decision(inst.name_key(), Stage::kAudit, visit), sold.lot);
      PolicyContext ctx{sold.lot, &node, nullptr, ctx_.now(), rng};
      ctx.set_lot_address(ctx_.streams.lot_address(inst, id));
      ctx.present = sold.at_site;
      ctx.missing_chips = sold.at_site ? 0 : sold.lot.chips;
      ctx.site_chips = site_chips;
      const Decision d = policy.on_audit(ctx);
      if (d.effort_units > 0)
        ctx_.recorder.cost(p, d.effort_units * inst.cost_per_unit_usd, ctx_.now());
      if (d.verdict == Verdict::kPass) continue;
      const DetectionEvent event{p, site, true, Stage::kAudit, d.verdict, ctx_.now(), std::nullopt};
      enforcement_.act_on_finding(sold.lot, id, event);
    }
  }
}

PolicyContext PeriodicChecks::operation_context(const PolicyInstance& inst, const SoldLot& sold,
                                                std::uint64_t id, sim::RandomStream& rng) const {
  const NodeInfo* node = sold.operating_at ? &ctx_.world.network.node(*sold.operating_at) : nullptr;
  PolicyContext ctx{sold.delivered ? *sold.delivered : sold.lot, node, nullptr, ctx_.now(), rng};
  ctx.offline_for = node ? sim::Time::zero() : ctx_.now() - sold.offline_since;
  ctx.delivered = sold.delivered != nullptr;
  ctx.licence_defeated = sold.licence_defeated;
  ctx.set_lot_address(ctx_.streams.lot_address(inst, id));
  return ctx;
}

sim::RandomStream PeriodicChecks::walk_stream(const Trials& t, std::uint64_t walk) const {
  const PolicyInstance& inst = ctx_.world.policies[t.policy];
  return ctx_.streams.stream(
      streams::at_node(streams::of_policy(streams::kCheckTrials, inst.name_key()), walk), t.lot);
}

sim::Time PeriodicChecks::check_time(const Trials& t, std::uint64_t check) const {
  const sim::Time interval = ctx_.world.policies[t.policy].policy->operation_interval();
  return t.first_check + interval * static_cast<sim::Time::Rep>(check);
}

std::uint64_t PeriodicChecks::checks_before(const Trials& t, sim::Time time) const {
  if (time <= t.first_check) return 0;
  const sim::Time::Rep interval =
      ctx_.world.policies[t.policy].policy->operation_interval().count();
  return static_cast<std::uint64_t>(((time - t.first_check).count() + interval - 1) / interval);
}

std::uint64_t PeriodicChecks::horizon_check(const Trials& t) const {
  return checks_before(t, ctx_.world.horizon + sim::Time::ticks(1));
}

void PeriodicChecks::draw(Trials& t, std::optional<CheckTrials> outlook) {
  ctx_.simulator.cancel(t.pending);
  t.pending = {};
  const PolicyInstance& inst = ctx_.world.policies[t.policy];
  const SoldLot& sold = ctx_.lots.sold(t.lot);
  if (!outlook) {
    sim::RandomStream no_draws({0, 0, 0, 0});  // operation_trials draws nothing
    outlook = inst.policy->operation_trials(operation_context(inst, sold, t.lot, no_draws));
  }
  if (!outlook || !outlook->enrolled) {
    t.done = true;
    return;
  }
  t.outlook = *outlook;
  // Checks before the policy starts are not taken: they neither cost nor count in the record.
  t.settled.next = std::max(t.settled.next, checks_before(t, inst.start));
  t.certain_from = std::numeric_limits<std::uint64_t>::max();
  if (!sold.operating_at && outlook->violates_offline_beyond) {
    // Silent longer than the limit: offline_for > limit from the first check after it.
    t.certain_from = checks_before(
        t, sold.offline_since + *outlook->violates_offline_beyond + sim::Time::ticks(1));
  }
  sim::RandomStream rng = walk_stream(t, t.walks++);
  t.after_acting = t.settled;
  const std::optional<TrialAct> acting =
      walk_trials(t.outlook, t.flagged, t.certain_from, horizon_check(t), rng, t.after_acting);
  if (!acting) return;
  t.acting = *acting;
  Trials* self = &t;  // the trials of a lot stay where they are once its checks started
  t.pending =
      ctx_.simulator.schedule_at(check_time(t, acting->check), [this, self] { act(*self); });
}

void PeriodicChecks::cost_checks(const Trials& t, std::uint64_t from, std::uint64_t upto) {
  if (t.outlook.effort_units <= 0) return;
  if (upto <= from) return;
  const PolicyInstance& inst = ctx_.world.policies[t.policy];
  ctx_.recorder.costs(t.policy, t.outlook.effort_units * inst.cost_per_unit_usd,
                      check_time(t, from), inst.policy->operation_interval(), upto - from);
}

void PeriodicChecks::settle(Trials& t, std::uint64_t upto) {
  upto = std::min(upto, horizon_check(t));  // a drained run goes on past it: no checks there
  if (upto <= t.settled.next) return;
  cost_checks(t, t.settled.next, upto);
  sim::RandomStream rng = walk_stream(t, t.walks - 1);
  walk_trials(t.outlook, t.flagged, t.certain_from, upto, rng, t.settled);
}

void PeriodicChecks::act(Trials& t) {
  t.pending = {};
  cost_checks(t, t.settled.next, t.acting.check + 1);
  t.settled = t.after_acting;
  const SoldLot& sold = ctx_.lots.sold(t.lot);
  // A flag leaves the chips where they are: the checks go on, and act again only to disable
  // (a licence that expires once the lot stays silent at its end user).
  const bool goes_on = t.acting.verdict == Verdict::kFlag && sold.lot.diverted;
  t.flagged = t.flagged || goes_on;
  t.done = !goes_on;
  const NodeIndex where = sold.operating_at.value_or(ctx_.world.network.node_count());
  const DetectionEvent event{
      t.policy,   where,       sold.operating_at.has_value(), Stage::kOperation, t.acting.verdict,
      ctx_.now(), std::nullopt};
  const std::uint64_t walks = t.walks;
  enforcement_.act_on_finding(sold.lot, t.lot, event);  // may change the lot's state: lot_changed
  // Drawn again unless acting already did (lot_changed) or took the lot out of the chain.
  if (!t.done && !t.left_chain && t.walks == walks) draw(t);
}

void PeriodicChecks::lot_changed(std::uint64_t id) {
  const auto found = trials_.find(id);
  if (found == trials_.end()) return;
  const bool in_chain = ctx_.lots.sold(id).in_chain();
  for (Trials& t : found->second) {
    if (t.done) continue;
    const std::uint64_t now = checks_before(t, ctx_.now());
    if (t.left_chain) {
      // Out of the chain at a check ends the checks, as it ends the per-check process; out
      // and back within one instant (a lot taken apart into consignments) does not.
      if (now > checks_before(t, *t.left_chain)) {
        t.done = true;
        continue;
      }
      t.left_chain.reset();
    } else {
      // Checks due before now were taken in the old state; one due now comes after the change.
      settle(t, now);
    }
    if (in_chain) {
      draw(t);
    } else {
      ctx_.simulator.cancel(t.pending);
      t.pending = {};
      t.left_chain = ctx_.now();
    }
  }
}

sim::Process PeriodicChecks::operation(std::size_t p, std::uint64_t id) {
  const PolicyInstance& inst = ctx_.world.policies[p];
  const Policy& policy = *inst.policy;
  std::uint64_t record = 0;  // the policy's record of its checks on this lot (check_record)
  bool flagged = false;      // found in breach before
  for (std::uint64_t check = 0;; ++check) {
    co_await ctx_.simulator.delay(policy.operation_interval());
    SoldLot& sold = ctx_.lots.sold(id);
    if (!sold.in_chain()) co_return;
    if (ctx_.now() < inst.start) continue;
    const NodeIndex where = sold.operating_at.value_or(ctx_.world.network.node_count());
    sim::RandomStream rng = ctx_.streams.stream(
        streams::policy_decision(inst.name_key(), Stage::kOperation, check), sold.lot);
    PolicyContext ctx = operation_context(inst, sold, id, rng);
    const NodeInfo* node = ctx.node;
    ctx.check_record = &record;
    const Decision d = policy.on_operation(ctx);
    if (d.effort_units > 0)
      ctx_.recorder.cost(p, d.effort_units * inst.cost_per_unit_usd, ctx_.now());
    if (d.verdict == Verdict::kPass || (d.verdict == Verdict::kFlag && flagged)) continue;
    const DetectionEvent event{p,         where,      node != nullptr, Stage::kOperation,
                               d.verdict, ctx_.now(), std::nullopt};
    enforcement_.act_on_finding(sold.lot, id, event);
    // A flag leaves the chips where they are: the checks go on, and act again only to disable
    // (a licence that expires once the lot stays silent at its end user).
    if (d.verdict != Verdict::kFlag || !sold.lot.diverted) co_return;
    flagged = true;
  }
}

}  // namespace chiptrail::models
