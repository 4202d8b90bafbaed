#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "models/run_config.hpp"
#include "models/run_metrics.hpp"
#include "models/summary.hpp"
#include "models/world.hpp"

namespace chiptrail::explorer {

// A finished comparison, summarised (95% intervals) when it finishes, so that a kept run
// holds a few kilobytes, not every replication's metrics. Replication r of the edited scenario
// and of the scenario as loaded drew from the same random streams (common random numbers).
struct RunResults {
  static constexpr double kLevel = 0.95;
  std::uint32_t replications = 0;
  std::uint64_t seed = 0;
  // Row i of each is the same metric, in the order of the scenario as loaded; a metric the
  // edited scenario lacks (a policy switched off) has n = 0 and NaNs there.
  std::vector<models::MetricSummary> as_loaded;
  std::vector<models::MetricSummary> edited;
  std::vector<models::MetricSummary> difference;  // edited - as loaded, paired
};

enum class RunState { running, done, cancelled, failed };
const char* to_string(RunState state);

struct RunStatus {
  std::uint64_t id = 0;
  RunState state = RunState::running;
  std::uint32_t completed = 0;  // replications of both variants finished
  std::uint32_t total = 0;
  double elapsed_seconds = 0;
  std::string error;  // why it failed
};

// The explorer's runs: each on its own thread, at most `max_running` at once, the last
// `max_kept` remembered. Thread-safe; the destructor cancels what still runs and waits.
class RunManager {
 public:
  RunManager(unsigned max_running, unsigned threads_per_run, std::size_t max_kept);
  ~RunManager();
  RunManager(const RunManager&) = delete;
  RunManager& operator=(const RunManager&) = delete;

  // Starts a comparison of `edited` with `baseline` as `config` says (its stop flag is the
  // job's own); nullopt when `max_running` runs are already running.
  std::optional<std::uint64_t> start(models::World edited, models::World baseline,
                                     models::RunConfig config);
  [[nodiscard]] std::optional<RunStatus> status(std::uint64_t id) const;
  // Stops a run (its finished replications are dropped); nullopt for an unknown id.
  std::optional<RunStatus> cancel(std::uint64_t id);
  // A finished run's metrics; null unless it is done.
  [[nodiscard]] std::shared_ptr<const RunResults> results(std::uint64_t id) const;
  [[nodiscard]] unsigned max_running() const { return max_running_; }

 private:
  struct Job;
  void work(Job& job, const models::World& edited, const models::World& baseline,
            const models::RunConfig& config);
  [[nodiscard]] RunStatus status_of(const Job& job) const;  // with mutex_ held
  void forget_old_jobs();                                   // with mutex_ held

  const unsigned max_running_;
  const unsigned threads_per_run_;
  const std::size_t max_kept_;
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::shared_ptr<Job>> jobs_;
};

}  // namespace chiptrail::explorer
