#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/random_stream.hpp"

namespace chiptrail::models {

// One checkpoint's day, for a customs policy with a daily capacity (CustomsInspection): kept by
// the model per (policy, node) and replication, written by the policy as consignments pass.
// Other traffic (goods the model does not follow) arrives as a Poisson stream, drawn as the
// day goes by, from `other` (addressed by the policy, the node and the day).
struct CheckpointLoad {
  std::int64_t day = -1;                   // the day these counts are of
  double drawn_until = 0;                  // other traffic drawn up to this time of day, in days
  std::uint64_t targeted = 0;              // targeted consignments arrived today, modelled or not
  std::vector<bool> shippers_found;        // by flow: a finding here before (the shipper's history)
  std::optional<sim::RandomStream> other;  // the other traffic's draws today
};

}  // namespace chiptrail::models
