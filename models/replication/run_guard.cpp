#include "models/replication/run_guard.hpp"

#include <algorithm>

#include "sim/process_memory.hpp"

namespace chiptrail::models {

std::uint64_t RunGuard::check_every() const {
  return std::clamp<std::uint64_t>(limits_.max_events / 8, 1, std::uint64_t{1} << 14);
}

void RunGuard::too_large(const std::string& what) const {
  throw ResourceLimitExceeded("replication " + std::to_string(replication_) + " stopped: " + what +
                              "; the scenario is too large for this limit");
}

void RunGuard::check(std::uint64_t events_processed) const {
  if (limits_.stop != nullptr && limits_.stop->load(std::memory_order_relaxed)) {
    throw sim::RunStopped("replication " + std::to_string(replication_) + " called off");
  }
  if (events_processed > limits_.max_events) {
    too_large("more than " + std::to_string(limits_.max_events) + " events (--max-events)");
  }
  if (limits_.max_memory_bytes != 0 && sim::resident_bytes() > limits_.max_memory_bytes) {
    too_large("the process uses more than " + std::to_string(limits_.max_memory_bytes >> 20) +
              " MiB (--max-memory)");
  }
}

void RunGuard::count_lots(std::uint64_t n) {
  lots_created_ += n;
  if (lots_created_ > limits_.max_lots) {
    too_large("more than " + std::to_string(limits_.max_lots) +
              " lots and consignments (--max-lots)");
  }
}

}  // namespace chiptrail::models
