#pragma once

#include <cstdint>
#include <optional>

#include "models/recorder.hpp"
#include "models/replication/replication_context.hpp"

namespace chiptrail::models {

// Enforcement dispatch: asks the policies in force and in scope at each point a lot passes,
// records what they find, and acts on it (seizes, disables, or schedules a delayed verdict).
class Enforcement {
 public:
  explicit Enforcement(ReplicationContext& ctx) : ctx_(ctx) {}

  // Asks every policy in force and in scope at a point the lot passes. Every finding is
  // recorded (overlap); the first seizure or disable acts and takes the lot (or consignment)
  // out of the chain, and the function returns true. Delayed verdicts are scheduled; a refusal
  // of entry sets *turned_back. `encounter` counts the lot's earlier arrivals at this node:
  // each is a draw of its own. A legitimate lot examined or wrongly held adds the time it is
  // held to *held (the caller makes it wait).
  bool enforce(Stage stage, const Lot& lot, const NodeInfo* node, NodeIndex node_index,
               const EdgeInfo* edge, std::optional<EdgeIndex> edge_index,
               std::uint64_t encounter = 0, bool* turned_back = nullptr,
               sim::Time* held = nullptr);

  // A verdict on a sold lot as a whole, wherever its chips are now: every part still in the
  // chain is seized or disabled (or flagged); chips already delivered can only be disabled (or
  // the lot flagged).
  void act_on_sold_lot(std::uint64_t id, DetectionEvent event);

  // A periodic check's finding (audit, operation) on sold lot `id` (`lot` as the check saw it):
  // a false positive if the lot is legitimate; otherwise recorded and acted on as a verdict on
  // the sold lot.
  void act_on_finding(const Lot& lot, std::uint64_t id, const DetectionEvent& event);

 private:
  ReplicationContext& ctx_;
};

}  // namespace chiptrail::models
