#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace chiptrail::models {

// Where a batch of runs executes: threads of this process, or the ranks of an MPI job
// (tools/cli/mpi_executor). Each run is a pure function of its id (its random streams are
// addressed by it), so whatever the executor, the recorded results are the same.
class Executor {
 public:
  using Run = std::function<std::vector<double>(std::uint64_t id)>;
  using Record = std::function<void(std::uint64_t id, std::vector<double> values)>;
  using Stop = std::function<bool()>;

  virtual ~Executor() = default;

  // Computes run(id) for every id and hands each result to record(id, values), one at a time
  // and in completion order, in the coordinating process. Hands out no more ids once stop()
  // is true. Rethrows what a run threw (of the lowest id, when several did).
  virtual void run(const std::vector<std::uint64_t>& ids, const Run& run, const Record& record,
                   const Stop& stop) = 0;

  // Whether this process coordinates: records results and writes outputs. An MPI worker rank
  // does not; its run() computes what the coordinator hands out and returns when told to.
  [[nodiscard]] virtual bool coordinates() const { return true; }

  // Makes every process's `rows` the coordinator's: a sequential method (ABC-SMC) calls it
  // after each batch so that all processes continue from the same results.
  virtual void share(std::vector<std::vector<double>>& rows) { (void)rows; }

  // How many runs may be in progress at once in this process (sizes the sweep's world cache).
  [[nodiscard]] virtual unsigned concurrency() const { return 1; }

  // Runs run(k) for k in [0, count) and returns the results by k, in every process.
  std::vector<std::vector<double>> run_batch(
      std::size_t count, const std::function<std::vector<double>(std::size_t)>& run);
};

// Runs on up to `threads` threads of this process (sim/analysis/thread_pool.hpp).
class ThreadExecutor final : public Executor {
 public:
  explicit ThreadExecutor(unsigned threads) : threads_(threads == 0 ? 1 : threads) {}
  void run(const std::vector<std::uint64_t>& ids, const Run& run, const Record& record,
           const Stop& stop) override;
  [[nodiscard]] unsigned concurrency() const override { return threads_; }

 private:
  unsigned threads_;
};

}  // namespace chiptrail::models
