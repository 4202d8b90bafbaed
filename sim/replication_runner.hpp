#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <optional>
#include <thread>
#include <vector>

namespace chiptrail::sim {

// Runs fn(r) for every replication r in [0, n) on up to `threads` worker threads and returns
// the results in replication order. Each replication is a pure function of its index (its
// random streams are addressed by it), so the results do not depend on the number of threads
// or on scheduling. If replications throw, the exception of the lowest-numbered one is
// rethrown after all workers have stopped, so even failures are reported deterministically.
template <typename Result, typename Fn>
std::vector<Result> run_replications(std::size_t n, unsigned threads, Fn fn) {
  std::vector<std::optional<Result>> slots(n);
  std::vector<std::exception_ptr> errors(n);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  const auto worker = [&] {
    for (std::size_t r; !failed.load(std::memory_order_relaxed) && (r = next++) < n;) {
      try {
        slots[r].emplace(fn(r));
      } catch (...) {
        errors[r] = std::current_exception();
        failed = true;
      }
    }
  };
  const unsigned workers = std::max(1U, std::min<unsigned>(threads, static_cast<unsigned>(n)));
  if (workers == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    pool.reserve(workers);
    for (unsigned t = 0; t < workers; ++t) pool.emplace_back(worker);
    for (std::thread& t : pool) t.join();
  }
  for (const std::exception_ptr& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  std::vector<Result> out;
  out.reserve(n);
  for (std::optional<Result>& s : slots) out.push_back(std::move(*s));
  return out;
}

}  // namespace chiptrail::sim
