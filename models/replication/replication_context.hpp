#pragma once

#include "models/recorder.hpp"
#include "models/replication/lot_registry.hpp"
#include "models/replication/replication_policies.hpp"
#include "models/replication/replication_streams.hpp"
#include "models/replication/run_guard.hpp"
#include "models/world.hpp"
#include "sim/simulator.hpp"
#include "sim/time.hpp"

namespace chiptrail::models {

// What the parts of one replication share (models/supply_chain_model.cpp assembles them): the
// scenario, the recorder they report to, the simulator they run on, their random streams, the
// lots, and the resource guard. Held by reference; the replication owns each.
struct ReplicationContext {
  const World& world;
  Recorder& recorder;
  sim::Simulator& simulator;
  const ReplicationStreams& streams;
  LotRegistry& lots;
  RunGuard& guard;
  const ReplicationPolicies& policies;  // whose decisions to ask (Policy::for_replication)

  [[nodiscard]] sim::Time now() const { return simulator.now(); }
};

inline sim::Time days(double d) {
  return sim::Time::from_days(d);
}

}  // namespace chiptrail::models
