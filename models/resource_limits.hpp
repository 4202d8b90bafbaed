#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>

#include "sim/process.hpp"

namespace chiptrail::models {

// How large one replication may grow before it is stopped with a clear message, rather than
// running for days or being killed by the system for want of memory. The loader refuses
// scenarios that ask for absurd sizes outright; these catch what only shows when running
// (random lot sizes, loops, many consignments).
struct ResourceLimits {
  std::uint64_t max_events = 2'000'000'000;  // engine events in one replication
  std::uint64_t max_lots = 10'000'000;       // lots and consignments created in one replication
  std::uint64_t max_memory_bytes = 0;        // resident memory of the process; 0: no limit
  // Set by whoever may call a run off (the explorer's cancel): the replication stops within a
  // few thousand events once it reads true. Null: nobody can.
  const std::atomic<bool>* stop = nullptr;
};

class ResourceLimitExceeded : public sim::RunStopped {
 public:
  using sim::RunStopped::RunStopped;
};

}  // namespace chiptrail::models
