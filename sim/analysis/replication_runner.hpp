#pragma once

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <optional>
#include <vector>

#include "sim/analysis/run_pool.hpp"

namespace chiptrail::sim {

// Runs fn(r) for every replication r in [0, n) on up to `threads` worker threads and returns
// the results in replication order. Each replication is a pure function of its index (its
// random streams are addressed by it), so the results do not depend on the number of threads
// or on scheduling; a failure rethrows the exception of the lowest replication that threw.
template <typename Result, typename Fn>
std::vector<Result> run_replications(std::size_t n, unsigned threads, Fn fn) {
  std::vector<std::uint64_t> ids(n);
  std::iota(ids.begin(), ids.end(), std::uint64_t{0});
  std::vector<std::optional<Result>> slots(n);
  run_pool(
      ids, threads, [&fn](std::uint64_t r) { return fn(static_cast<std::size_t>(r)); },
      [&slots](std::uint64_t r, Result result) { slots[r].emplace(std::move(result)); },
      [] { return false; });
  std::vector<Result> out;
  out.reserve(n);
  for (std::optional<Result>& s : slots) out.push_back(std::move(*s));
  return out;
}

}  // namespace chiptrail::sim
