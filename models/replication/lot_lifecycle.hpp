#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "models/replication/adaptive_smugglers.hpp"
#include "models/replication/enforcement.hpp"
#include "models/replication/periodic_checks.hpp"
#include "models/replication/remote_access.hpp"
#include "models/replication/replication_context.hpp"
#include "sim/process.hpp"
#include "sim/task.hpp"

namespace chiptrail::models {

// The lifecycle of DOMAIN.md's story, one coroutine per lot:
//   sale -> shipment to a Southeast-Asian data center -> installation -> (legitimate: stays)
//   diverted: operated for a dwell time -> removed -> carried to a dealer -> dismantled into
//   consignments -> each crosses borders on its own -> reassembled -> delivered to the end
//   facility.
// Enforcement is asked at each stage a lot passes; periodic checks start at installation. A
// flow of leases (remote access) creates leases instead, which RemoteAccess decides.
class LotLifecycle {
 public:
  // `smugglers` null: the smugglers do not adapt.
  LotLifecycle(ReplicationContext& ctx, Enforcement& enforcement, PeriodicChecks& checks,
               FrontCompanies& fronts, RemoteAccess& remote, AdaptiveSmugglers* smugglers)
      : ctx_(ctx),
        enforcement_(enforcement),
        checks_(checks),
        fronts_(fronts),
        remote_(remote),
        smugglers_(smugglers) {}

  // Spawns every flow's arrivals of lots.
  void start();

 private:
  sim::Process arrivals(std::size_t f);
  void start_lot(std::size_t f, std::uint64_t n);
  sim::Process journey(Lot lot);
  // The customer-vetting (sale) or installation checks of a lot at `node`; sets `held` to how
  // long a legitimate lot is held. True: the lot is out of the chain.
  bool stage_check(Stage stage, const Lot& lot, NodeIndex node, sim::Time& held);
  // Installs a lot at its flow's data center, where a legitimate lot's journey ends (false).
  bool install(const Lot& lot);
  // A diverted lot from its data center to its end facility: operated, removed, dismantled,
  // smuggled in consignments, reassembled and delivered.
  sim::Task<void> divert(const Lot& lot);
  void deliver(const Lot& lot, const std::vector<Lot>& arrived);
  sim::Process consignment(Lot part, std::vector<Lot>& arrived);
  // The route of a consignment when the smugglers do not adapt: drawn among the tactics' routes.
  const std::vector<EdgeIndex>& consignment_route(const Lot& part);
  // Moves a lot along a path: processing at each node it leaves, transit on each edge, the
  // shipment hook on arrival and the border hook at border crossings and transit hubs. Stops
  // when the lot is taken out of the chain, here or by a delayed verdict while it travels.
  sim::Task<bool> travel(const Lot& lot, const std::vector<EdgeIndex>& path);
  // What happened to a lot arriving over edge `e`: out of the chain, turned back at the border,
  // or held for a while.
  struct Arrival {
    bool out = false;
    bool turned_back = false;
    sim::Time held;
  };
  // Arrives at the end of edge `e`, or (`back`) at its start, returning along it after a
  // refusal of entry: every arrival is an encounter, the checks there ask again (a consignment
  // returning is not refused again: it waits there to retry).
  Arrival arrive(const Lot& lot, EdgeIndex e, bool back = false);
  // Where a lot is on its path: the edge it is on and what it waits for next there.
  struct Leg {
    enum class Next : std::uint8_t { kProcessing, kTransit, kArrival, kReturn, kReturnArrival };
    std::size_t edge = 0;
    Next next = Next::kProcessing;
    bool out = false;  // taken out of the chain
  };
  // Steps `leg` to its next wait (processing, transit, a hold, the way back after a refusal),
  // drawing from the lot's transit stream; none when the path ends or the lot is out.
  std::optional<sim::Time> next_wait(const Lot& lot, const std::vector<EdgeIndex>& path, Leg& leg,
                                     sim::RandomStream& rs);

  ReplicationContext& ctx_;
  Enforcement& enforcement_;
  PeriodicChecks& checks_;
  FrontCompanies& fronts_;
  RemoteAccess& remote_;
  AdaptiveSmugglers* smugglers_;
};

}  // namespace chiptrail::models
