#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <vector>

#include "sim/analysis/thread_pool.hpp"

namespace chiptrail::models {

// How runs are executed, as opposed to what they compute: results never depend on it.
struct Execution {
  unsigned threads = 1;
  // Set by whoever may call the runs off (Ctrl-C, the explorer's cancel, Python's
  // KeyboardInterrupt): no run starts once it reads true, and running replications stop within
  // a few thousand events (their watchdog reads it too). Null: nobody can.
  const std::atomic<bool>* stop = nullptr;
  // Called once per completed run, under the pool's lock, in completion order (progress bars).
  std::function<void()> on_done;

  [[nodiscard]] bool stopped() const {
    return stop != nullptr && stop->load(std::memory_order_relaxed);
  }
};

// The runs were called off through Execution::stop before all of them finished.
class RunsCancelled : public std::runtime_error {
 public:
  RunsCancelled(std::size_t completed, std::size_t total)
      : std::runtime_error("called off after " + std::to_string(completed) + " of " +
                           std::to_string(total) + " runs"),
        completed_(completed) {}
  [[nodiscard]] std::size_t completed() const { return completed_; }

 private:
  std::size_t completed_;
};

// Runs fn(r) for every r in [0, n) as `execution` says and returns the results in index order.
// Each run is a pure function of its index (its random streams are addressed by it), so the
// results do not depend on threads or scheduling; a failure rethrows the exception of the
// lowest index that threw; a stop throws RunsCancelled.
template <typename Result, typename Fn>
std::vector<Result> run_indexed(std::size_t n, const Execution& execution, Fn fn) {
  std::vector<std::uint64_t> ids(n);
  std::iota(ids.begin(), ids.end(), std::uint64_t{0});
  std::vector<std::optional<Result>> slots(n);
  // Counted as each run completes (under the pool's lock), so a stop that surfaces as an
  // exception from a run still reports the runs that did complete.
  std::size_t completed = 0;
  try {
    sim::run_on_threads(
        ids, execution.threads, [&fn](std::uint64_t r) { return fn(static_cast<std::size_t>(r)); },
        [&](std::uint64_t r, Result result) {
          slots[r].emplace(std::move(result));
          ++completed;
          if (execution.on_done) execution.on_done();
        },
        [&execution] { return execution.stopped(); });
  } catch (const std::exception&) {
    // A replication called off by the stop flag throws from inside; report it as the stop.
    if (execution.stopped()) throw RunsCancelled(completed, n);
    throw;
  }
  if (completed < n) throw RunsCancelled(completed, n);
  std::vector<Result> out;
  out.reserve(n);
  for (std::optional<Result>& s : slots) out.push_back(std::move(*s));
  return out;
}

}  // namespace chiptrail::models
