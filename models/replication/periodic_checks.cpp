#include "models/replication/periodic_checks.hpp"

#include <algorithm>

#include "models/random_streams.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

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
  for (std::size_t p = 0; p < ctx_.world.policies.size(); ++p) {
    const PolicyInstance& inst = ctx_.world.policies[p];
    if (inst.policy->operation_interval() > sim::Time::zero() &&
        inst.scope.covers_chip(lot.chip_model)) {
      ctx_.simulator.spawn("operation " + inst.name, operation(p, lot.id));
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
  sim::RandomStream visits =
      ctx_.streams.stream(streams::of_policy(streams::kAuditVisits, inst.name_key()), site);
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
    const NodeInfo* node =
        sold.operating_at ? &ctx_.world.network.node(*sold.operating_at) : nullptr;
    const NodeIndex where = sold.operating_at.value_or(ctx_.world.network.node_count());
    sim::RandomStream rng = ctx_.streams.stream(
        streams::policy_decision(inst.name_key(), Stage::kOperation, check), sold.lot);
    PolicyContext ctx{sold.delivered ? *sold.delivered : sold.lot, node, nullptr, ctx_.now(), rng};
    ctx.offline_for = node ? sim::Time::zero() : ctx_.now() - sold.offline_since;
    ctx.delivered = sold.delivered.has_value();
    ctx.licence_defeated = sold.licence_defeated;
    ctx.set_lot_address(ctx_.streams.lot_address(inst, id));
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
