#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/experiment/executor.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/resource_limits.hpp"
#include "models/sweep/sweep_spec.hpp"

namespace chiptrail::models {

// Shard K of N of a sweep: the runs whose id is K modulo N (job arrays, `chiptrail merge`).
struct Shard {
  std::uint64_t index = 0, count = 1;
  [[nodiscard]] bool whole() const { return count == 1; }
  [[nodiscard]] std::string text() const;  // "K/N"
};
constexpr std::uint64_t kMaxShards = 1'000'000;  // a merge tracks each
// "K/N" in plain decimal digits (no sign, no spaces), 0 <= K < N <= kMaxShards.
std::optional<Shard> parse_shard(const std::string& text);

// A sweep could not run, or its outputs could not be written; `kind` says whose fault.
class SweepError : public std::runtime_error {
 public:
  enum class Kind {
    usage,    // what was asked conflicts with the output directory (an unfinished sweep there)
    data,     // the sweep, its journal or its shards are wrong or too large
    io,       // a file could not be read or written
    missing,  // an input that should be there is not (a shard's manifest)
  };
  SweepError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  [[nodiscard]] Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

struct SweepRequest {
  std::string out;  // output directory
  Shard shard;
  bool resume = false;  // finish the unfinished sweep in `out` (its journal)
  ResourceLimits limits;
  // Set to call the sweep off (SIGINT, KeyboardInterrupt): no run starts after it; the runs in
  // hand finish and are kept.
  const std::atomic<bool>* stop = nullptr;
  // Progress: on_start(runs of this shard, runs already done), then on_done() per run.
  std::function<void(std::uint64_t, std::uint64_t)> on_start;
  std::function<void()> on_done;
};

struct SweepReport {
  enum class Outcome {
    finished,          // every run of the shard done, outputs written
    already_finished,  // `resume` on a directory holding this sweep's finished outputs
    interrupted,       // stopped: the journal keeps what was done, resume finishes it
    worker,            // an MPI worker rank: it computed what it was handed, writes nothing
  };
  Outcome outcome = Outcome::finished;
  std::uint64_t runs_done = 0;   // of this shard, the journal's included
  std::uint64_t runs_total = 0;  // of this shard
};

// Runs a sweep's shard into request.out: every run journalled as it completes (.journal), so
// an interrupted sweep resumes where it stopped; on completion runs.csv, summary.csv,
// paired.csv (common random numbers) and manifest.json, or for a shard of several its
// shard.journal and runs.csv. Throws SweepError, and ResourceLimitExceeded when a run
// outgrows the limits (the runs done so far stay in the journal).
SweepReport run_sweep(const SweepSpec& spec, const PolicyRegistry& registry,
                      const SweepRequest& request, Executor& executor);

// Joins the output directories of every shard of one sweep into `out`, byte-identical to the
// outputs of the whole sweep run at once. Throws SweepError; InvalidInput or MissingInput when
// the sweep file the shards name no longer loads.
void merge_shards(const std::string& out, const std::vector<std::string>& shard_dirs,
                  const PolicyRegistry& registry);

// The ids of a sweep's shard, in order.
std::vector<std::uint64_t> shard_run_ids(const SweepSpec& spec, const Shard& shard);

}  // namespace chiptrail::models
