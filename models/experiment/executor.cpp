#include "models/experiment/executor.hpp"

#include <utility>

#include "sim/analysis/thread_pool.hpp"

namespace chiptrail::models {

std::vector<std::vector<double>> Executor::run_batch(
    std::size_t count, const std::function<std::vector<double>(std::size_t)>& run_one) {
  std::vector<std::vector<double>> rows(count);
  std::vector<std::uint64_t> ids(count);
  for (std::size_t k = 0; k < count; ++k) ids[k] = k;
  run(
      ids, [&run_one](std::uint64_t k) { return run_one(static_cast<std::size_t>(k)); },
      [&rows](std::uint64_t k, std::vector<double> v) { rows[k] = std::move(v); },
      [] { return false; });
  share(rows);
  return rows;
}

void ThreadExecutor::run(const std::vector<std::uint64_t>& ids, const Run& run,
                         const Record& record, const Stop& stop) {
  (void)sim::run_on_threads(ids, threads_, run, record, stop);
}

}  // namespace chiptrail::models
