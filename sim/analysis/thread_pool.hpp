#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace chiptrail::sim {

// Runs fn(id) for each id on up to `threads` worker threads, handing each result to
// done(id, result) under one lock as it completes (in completion order: whoever records the
// results must key them by id). Workers stop taking new ids once stop() returns true or a run
// throws; after every worker has finished, the exception of the lowest id that threw is
// rethrown, so even failures do not depend on scheduling. Returns how many runs completed.
template <typename Fn, typename Done, typename Stop>
std::size_t run_on_threads(const std::vector<std::uint64_t>& ids, unsigned threads, Fn fn,
                           Done done, Stop stop) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> completed{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::uint64_t error_id = 0;
  std::mutex lock;
  const auto worker = [&] {
    for (;;) {
      if (failed.load() || stop()) return;
      const std::size_t i = next++;
      if (i >= ids.size()) return;
      try {
        auto result = fn(ids[i]);
        const std::lock_guard<std::mutex> guard(lock);
        done(ids[i], std::move(result));
        ++completed;
      } catch (...) {
        const std::lock_guard<std::mutex> guard(lock);
        if (!error || ids[i] < error_id) {
          error = std::current_exception();
          error_id = ids[i];
        }
        failed = true;
      }
    }
  };
  const unsigned workers = std::max(
      1U, std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, ids.size()))));
  if (workers == 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < workers; ++t) pool.emplace_back(worker);
    for (std::thread& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);
  return completed.load();
}

}  // namespace chiptrail::sim
