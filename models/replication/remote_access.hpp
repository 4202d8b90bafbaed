#pragma once

#include "models/replication/replication_context.hpp"

namespace chiptrail::models {

// Remote access (Flow::remote_access): a lease of cloud capacity at a data center, used from
// wherever its tenant is. No chip moves, so only the measures on leases act: screenings at the
// start (Policy::on_lease, e.g. know-your-customer rules for IaaS), which refuse it, and
// monitoring while it runs (Policy::on_usage), which cuts it when it finds it (the decision's
// delay, from the start). Every draw is made at the start, so a lease is decided whole then and
// needs no event of its own: the recorder apportions its hours over time
// (Recorder::leased). Policies in force at the start act for the whole lease.
class RemoteAccess {
 public:
  explicit RemoteAccess(ReplicationContext& ctx) : ctx_(ctx) {}

  // Starts `lease` (a lot of the flow's chips, created now) at the flow's data center.
  void start_lease(const Lot& lease);

 private:
  ReplicationContext& ctx_;
};

}  // namespace chiptrail::models
