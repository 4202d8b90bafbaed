#include "explorer/run_manager.hpp"

#include <malloc.h>

#include <algorithm>
#include <exception>
#include <limits>
#include <utility>

#include "models/experiment/replications.hpp"

namespace chiptrail::explorer {

const char* to_string(RunState state) {
  switch (state) {
    case RunState::running:
      return "running";
    case RunState::done:
      return "done";
    case RunState::cancelled:
      return "cancelled";
    case RunState::failed:
      return "failed";
  }
  return "unknown";
}

struct RunManager::Job {
  std::uint64_t id = 0;
  std::uint32_t total = 0;
  std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
  std::atomic<bool> stop{false};
  std::atomic<std::uint32_t> completed{0};
  // Guarded by RunManager::mutex_.
  bool active = true;  // the worker thread has not finished yet
  RunState state = RunState::running;
  double elapsed_seconds = 0;
  std::string error;
  std::shared_ptr<const RunResults> results;
  std::thread worker;
};

RunManager::RunManager(unsigned max_running, unsigned threads_per_run, std::size_t max_kept)
    : max_running_(std::max(1U, max_running)),
      threads_per_run_(std::max(1U, threads_per_run)),
      max_kept_(std::max<std::size_t>(1, max_kept)) {}

RunManager::~RunManager() {
  std::vector<std::shared_ptr<Job>> jobs;
  {
    const std::lock_guard<std::mutex> guard(mutex_);
    for (auto& [id, job] : jobs_) {
      job->stop = true;
      jobs.push_back(job);
    }
  }
  for (const auto& job : jobs) {
    if (job->worker.joinable()) job->worker.join();
  }
}

std::optional<std::uint64_t> RunManager::start(models::World edited, models::World baseline,
                                               models::RunConfig config) {
  const std::lock_guard<std::mutex> guard(mutex_);
  unsigned running = 0;
  for (const auto& [id, job] : jobs_) running += job->active ? 1U : 0U;
  if (running >= max_running_) return std::nullopt;
  auto job = std::make_shared<Job>();
  job->id = next_id_++;
  job->total = config.replications;
  // The worker owns the worlds; the job outlives it (jobs_ holds it until joined).
  job->worker = std::thread([this, j = job.get(), e = std::move(edited), b = std::move(baseline),
                             config] { work(*j, e, b, config); });
  jobs_.emplace(job->id, job);
  forget_old_jobs();
  return job->id;
}

void RunManager::work(Job& job, const models::World& edited, const models::World& baseline,
                      const models::RunConfig& config) {
  std::shared_ptr<RunResults> results;
  std::string error;
  bool cancelled = false;
  try {  // everything that allocates, so that a failure is the job's, not the server's
    models::Execution execution;
    execution.threads = threads_per_run_;
    execution.stop = &job.stop;  // cancelling stops the replications running too
    execution.on_done = [&job] { ++job.completed; };
    models::Comparison c =
        models::compare_replications(baseline, edited, config, execution, RunResults::kLevel);
    results = std::make_shared<RunResults>();
    results->replications = config.replications;
    results->seed = config.seed;
    results->as_loaded = std::move(c.baseline);
    results->edited = std::move(c.variant);
    results->difference = std::move(c.difference);
  } catch (const models::RunsCancelled&) {
    cancelled = true;
  } catch (const std::exception& ex) {
    error = ex.what();
  }
  // The replications' metrics are gone with the comparison: give the memory back to the
  // system (glibc keeps freed memory otherwise, and a server runs for days).
  ::malloc_trim(0);
  const std::lock_guard<std::mutex> guard(mutex_);
  job.active = false;
  job.elapsed_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - job.started).count();
  if (job.state != RunState::running) return;  // cancelled meanwhile
  if (!error.empty()) {
    job.state = RunState::failed;
    job.error = error;
  } else if (!cancelled && results) {
    job.state = RunState::done;
    job.results = std::move(results);
  } else {
    job.state = RunState::cancelled;
  }
}

RunStatus RunManager::status_of(const Job& job) const {
  RunStatus s;
  s.id = job.id;
  s.state = job.state;
  s.completed = job.completed.load();
  s.total = job.total;
  s.elapsed_seconds =
      job.active
          ? std::chrono::duration<double>(std::chrono::steady_clock::now() - job.started).count()
          : job.elapsed_seconds;
  s.error = job.error;
  return s;
}

std::optional<RunStatus> RunManager::status(std::uint64_t id) const {
  const std::lock_guard<std::mutex> guard(mutex_);
  const auto found = jobs_.find(id);
  if (found == jobs_.end()) return std::nullopt;
  return status_of(*found->second);
}

std::optional<RunStatus> RunManager::cancel(std::uint64_t id) {
  const std::lock_guard<std::mutex> guard(mutex_);
  const auto found = jobs_.find(id);
  if (found == jobs_.end()) return std::nullopt;
  Job& job = *found->second;
  job.stop = true;
  if (job.state == RunState::running) job.state = RunState::cancelled;
  return status_of(job);
}

std::shared_ptr<const RunResults> RunManager::results(std::uint64_t id) const {
  const std::lock_guard<std::mutex> guard(mutex_);
  const auto found = jobs_.find(id);
  return found == jobs_.end() ? nullptr : found->second->results;
}

void RunManager::forget_old_jobs() {
  // Oldest first (ids grow); a job whose worker still runs is kept whatever its age.
  for (auto it = jobs_.begin(); jobs_.size() > max_kept_ && it != jobs_.end();) {
    if (it->second->active) {
      ++it;
      continue;
    }
    if (it->second->worker.joinable()) it->second->worker.join();  // finished: returns at once
    it = jobs_.erase(it);
  }
}

}  // namespace chiptrail::explorer
