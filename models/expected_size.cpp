#include "models/expected_size.hpp"

#include <cstdio>
#include <string>

namespace chiptrail::models {
namespace {

std::string count_text(double n) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", n);
  return text;
}

// Lots a flow expects to sell in one replication.
double expected_lots(const Flow& f, double horizon_days) {
  if (!f.schedule_days.empty()) return static_cast<double>(f.schedule_days.size());
  return f.arrival_rate.expected(0, horizon_days);
}

}  // namespace

void check_expected_size(const World& world, const ResourceLimits& limits) {
  const double horizon_days = world.horizon.to_days();
  double lots = 0;
  for (const Flow& f : world.flows) lots += expected_lots(f, horizon_days);
  if (lots > static_cast<double>(limits.max_lots)) {
    throw ResourceLimitExceeded("the flows expect " + count_text(lots) +
                                " lots in one replication, more than --max-lots " +
                                std::to_string(limits.max_lots));
  }
  for (std::size_t p = 0; p < world.policies.size(); ++p) {
    const PolicyInstance& inst = world.policies[p];
    const Policy& policy = *inst.policy;
    double sites = 0;
    for (NodeIndex n = 0; n < world.network.node_count(); ++n) {
      const NodeInfo& node = world.network.node(n);
      if (node.kind == NodeKind::kDataCenter && inst.scope.covers_place(&node, n)) ++sites;
    }
    // An audit visit is two events at most (the notice, the visit); a check is one.
    double events = 2 * policy.audits_per_site_per_year() * horizon_days / 365.0 * sites;
    const double interval_days = policy.operation_interval().to_days();
    if (interval_days > 0) {
      double covered = 0;
      for (const Flow& f : world.flows) {
        if (inst.scope.covers_chip(f.chip_model)) covered += expected_lots(f, horizon_days);
      }
      events += covered * horizon_days / interval_days / 2;  // checked from installation on
    }
    if (events > static_cast<double>(limits.max_events)) {
      throw ResourceLimitExceeded("policies[" + std::to_string(p) + "] (" + inst.name + ", " +
                                  inst.kind + ") expects " + count_text(events) +
                                  " events in one replication from its rates, more than "
                                  "--max-events " +
                                  std::to_string(limits.max_events));
    }
  }
}

}  // namespace chiptrail::models
