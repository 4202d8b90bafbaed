#pragma once

#include <cstdint>
#include <unordered_map>

#include "models/replication/enforcement.hpp"
#include "models/replication/replication_context.hpp"
#include "sim/process.hpp"

namespace chiptrail::models {

// The periodic processes of enforcement: audit visits to data centers (one process per audit
// policy and site in scope, at its Poisson rate, announced ahead when the policy says so) and
// checks on operating chips (one process per operation policy and lot, from installation until
// the lot leaves the chain or is first found in breach: location verification, heartbeats).
class PeriodicChecks {
 public:
  PeriodicChecks(ReplicationContext& ctx, Enforcement& enforcement)
      : ctx_(ctx), enforcement_(enforcement) {}

  // Spawns the audit visits of every audit policy to every data center in its scope.
  void start_audits();
  // Spawns the checks of every operation policy that covers a lot just installed.
  void start_operation_checks(const Lot& lot);
  // Until when an announced audit visit to `site` is pending (zero: none announced yet).
  [[nodiscard]] sim::Time announced_until(NodeIndex site) const;

 private:
  sim::Process audits(std::size_t p, NodeIndex site);
  sim::Process operation(std::size_t p, std::uint64_t id);

  ReplicationContext& ctx_;
  Enforcement& enforcement_;
  std::unordered_map<NodeIndex, sim::Time> announced_until_;
};

}  // namespace chiptrail::models
