#include "models/replication/remote_access.hpp"

#include "models/random_streams.hpp"

namespace chiptrail::models {

void RemoteAccess::start_lease(const Lot& lease) {
  const Flow& flow = ctx_.world.flows[lease.flow];
  const NodeIndex dc = flow.destination;
  const NodeInfo& node = ctx_.world.network.node(dc);
  sim::RandomStream length_rng = ctx_.streams.stream(streams::kLeaseLength, lease);
  LeaseOutcome outcome;
  outcome.start = ctx_.now();
  outcome.length = days(flow.lease_days.sample(length_rng));
  // The screenings at the start, then (for a lease that runs) the monitoring of its use.
  for (const Stage stage : {Stage::kLease, Stage::kUsage}) {
    if (outcome.refused_by) break;
    for (std::size_t i = 0; i < ctx_.world.policies.size(); ++i) {
      const PolicyInstance& p = ctx_.world.policies[i];
      if (!p.acts_at(ctx_.now(), lease.chip_model, &node, dc)) continue;
      sim::RandomStream rng = ctx_.streams.stream(
          streams::policy_decision(p.name_key(), stage, ctx_.streams.node_key(dc)), lease);
      PolicyContext pc{lease, &node, nullptr, ctx_.now(), rng};
      pc.set_lot_address(ctx_.streams.lot_address(p, lease.id));
      const Policy& asked = ctx_.policies[i];
      const Decision d = stage == Stage::kLease ? asked.on_lease(pc) : asked.on_usage(pc);
      if (d.effort_units > 0) {
        ctx_.recorder.cost(i, d.effort_units * p.cost_per_unit_usd, ctx_.now());
        if (!lease.diverted && p.legitimate_cost_per_unit_usd > 0) {
          ctx_.recorder.burden(i, d.effort_units * p.legitimate_cost_per_unit_usd, ctx_.now());
        }
      }
      if (d.verdict == Verdict::kPass || d.verdict == Verdict::kTurnBack) continue;
      if (d.verdict == Verdict::kFlag) {  // reported, and it runs on
        outcome.reported_by.push_back(i);
        continue;
      }
      // A seizure or a disable: the lease is refused, or cut when the delay has passed.
      if (d.delay <= sim::Time::zero()) {  // refused at the start: the first refusal counts
        outcome.refused_by = i;
        break;
      }
      if (d.delay < outcome.length && (!outcome.cut_by || d.delay < outcome.cut_after)) {
        outcome.cut_by = i;
        outcome.cut_after = d.delay;
      }
    }
  }
  ctx_.recorder.leased(lease, outcome);
}

}  // namespace chiptrail::models
