#pragma once

#include <cstdint>
#include <string>

#include "models/resource_limits.hpp"

namespace chiptrail::models {

// Enforces a replication's ResourceLimits: called by the simulator's watchdog, and for every
// lot or consignment created. Throws ResourceLimitExceeded naming the limit and its flag, or
// sim::RunStopped when the limits' stop flag is set.
class RunGuard {
 public:
  RunGuard(const ResourceLimits& limits, std::uint64_t replication)
      : limits_(limits), replication_(replication) {}

  // How often (in events) the watchdog should call check(): every 16,384 events, or more often
  // under a lower event limit (overshooting it by at most an eighth).
  [[nodiscard]] std::uint64_t check_every() const;
  // The stop flag, the event limit and the memory limit.
  void check(std::uint64_t events_processed) const;
  // Counts `n` more lots or consignments against the limit.
  void count_lots(std::uint64_t n);

 private:
  [[noreturn]] void too_large(const std::string& what) const;

  const ResourceLimits& limits_;
  std::uint64_t replication_;
  std::uint64_t lots_created_ = 0;
};

}  // namespace chiptrail::models
