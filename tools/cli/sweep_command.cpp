#include "cli/sweep_command.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <thread>

#include "cli/executors.hpp"
#include "cli/exit_codes.hpp"
#include "cli/limit_options.hpp"
#include "cli/load_scenario.hpp"
#include "cli/progress.hpp"
#include "models/experiment/sweep_runner.hpp"
#include "models/output/text_format.hpp"
#include "sim/analysis/run_journal.hpp"

namespace chiptrail::cli {
namespace {

// Set by SIGINT/SIGTERM; a signal handler can reach nothing but static storage, so this is the
// one flag of its kind. Workers finish the run in hand and take no more.
std::atomic<bool>& interrupted() {
  static std::atomic<bool> flag{false};
  return flag;
}
extern "C" void on_interrupt(int) {
  interrupted().store(true);
}

// Loads a sweep, printing errors the way every command does; returns the exit code.
int load(const std::string& path, const models::PolicyRegistry& registry,
         std::optional<models::SweepSpec>& spec, spdlog::logger& log) {
  return load_or_report(
      path, [&] { spec.emplace(models::load_sweep(path, registry)); }, log);
}

int plan(const std::string& path, const models::PolicyRegistry& registry, spdlog::logger& log) {
  std::optional<models::SweepSpec> spec;
  if (const int code = load(path, registry, spec, log); code != kOk) return code;
  std::string out = "run_id,point_id,replication";
  const bool roles = spec->design != "full_factorial";
  if (roles) out += ",role";
  for (const auto& f : spec->factors) out += "," + models::csv_field(f.name);
  out += "\n";
  std::fputs(out.c_str(), stdout);
  for (std::uint64_t id = 0; id < spec->runs(); ++id) {
    const std::size_t p = spec->point_of(id);
    std::string line = std::to_string(id) + "," + std::to_string(p) + "," +
                       std::to_string(spec->replication_of(id));
    if (roles) line += "," + models::csv_field(spec->points[p].role);
    for (const double v : spec->points[p].values) line += "," + models::format_number(v);
    line += "\n";
    std::fputs(line.c_str(), stdout);
  }
  log.info("{}: {} design, {} points x {} replications = {} runs", path, spec->design,
           spec->points.size(), spec->replications, spec->runs());
  return kOk;
}

struct SweepOptions {
  std::string sweep;
  std::string out;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  std::string shard = "0/1";
  bool resume = false;
  models::ResourceLimits limits;
};

// The exit code of a sweep that could not run, after saying why.
int report(const models::SweepError& e, spdlog::logger& log) {
  log.error("chiptrail: {}", e.what());
  switch (e.kind()) {
    case models::SweepError::Kind::usage:
      return kUsage;
    case models::SweepError::Kind::data:
      return kDataError;
    case models::SweepError::Kind::io:
      return kIoError;
    case models::SweepError::Kind::missing:
      return kNoInput;
  }
  return kSoftware;
}

int sweep(const SweepOptions& o, const models::PolicyRegistry& registry, spdlog::logger& log) {
  const std::optional<models::Shard> shard = models::parse_shard(o.shard);
  if (!shard) {
    log.error("chiptrail: --shard must be K/N with 0 <= K < N <= 1000000, got {}", o.shard);
    return kUsage;
  }
  std::optional<models::SweepSpec> spec;
  if (const int code = load(o.sweep, registry, spec, log); code != kOk) return code;
  // Under mpirun, rank 0 coordinates and the other ranks compute what it hands them.
  const std::unique_ptr<models::Executor> executor = make_executor(o.threads);
  std::optional<Progress> progress;
  models::SweepRequest request;
  request.out = o.out;
  request.shard = *shard;
  request.resume = o.resume;
  request.limits = o.limits;
  request.stop = &interrupted();
  request.on_start = [&progress, &log](std::uint64_t total, std::uint64_t done) {
    progress.emplace("chiptrail sweep", total, done, log);
  };
  request.on_done = [&progress] { progress->tick(); };

  interrupted().store(false);
  const auto previous_int = std::signal(SIGINT, on_interrupt);
  const auto previous_term = std::signal(SIGTERM, on_interrupt);
  models::SweepReport result;
  int code = kOk;
  const auto started = std::chrono::steady_clock::now();
  try {
    result = models::run_sweep(*spec, registry, request, *executor);
    log.debug("chiptrail: {}: {} of {} runs of this shard done, {:.3f} s", o.sweep,
              result.runs_done, result.runs_total,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  } catch (const models::SweepError& e) {
    code = report(e, log);
  } catch (const std::exception& e) {
    log.error("chiptrail: {}", e.what());
    // A run past its resource limits is the scenario's size, not a fault of ours; the runs
    // completed so far stay in the journal. A journal that cannot be written is an I/O error.
    code = dynamic_cast<const models::ResourceLimitExceeded*>(&e) != nullptr ? kDataError
           : dynamic_cast<const sim::JournalIoError*>(&e) != nullptr         ? kIoError
                                                                             : kSoftware;
  }
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  if (code != kOk) return code;
  if (progress) progress->finish();
  switch (result.outcome) {
    case models::SweepReport::Outcome::already_finished:
      log.info("chiptrail: {} already holds this sweep's finished outputs", o.out);
      return kOk;
    case models::SweepReport::Outcome::interrupted:
      log.warn(
          "chiptrail: interrupted: {} of {} runs done and kept; run again with --resume to finish",
          result.runs_done, result.runs_total);
      return 130;
    case models::SweepReport::Outcome::finished:
    case models::SweepReport::Outcome::worker:
      return kOk;
  }
  return kOk;
}

int merge(const std::string& out, const std::vector<std::string>& shard_dirs,
          const models::PolicyRegistry& registry, spdlog::logger& log) {
  try {
    return load_or_report(
        out, [&] { models::merge_shards(out, shard_dirs, registry); }, log);
  } catch (const models::SweepError& e) {
    return report(e, log);
  }
}

}  // namespace

void add_sweep_commands(CLI::App& app, const models::PolicyRegistry& registry, int& exit_code,
                        spdlog::logger& log) {
  auto plan_path = std::make_shared<std::string>();
  CLI::App* p = app.add_subcommand("plan",
                                   "List a sweep's runs (run id, point, replication, "
                                   "factor values) without running them");
  p->add_option("sweep", *plan_path, "Sweep file (.textproto)")->required();
  p->callback(
      [plan_path, &registry, &exit_code, &log] { exit_code = plan(*plan_path, registry, log); });

  auto o = std::make_shared<SweepOptions>();
  CLI::App* s = app.add_subcommand("sweep",
                                   "Run a sweep: runs.csv, summary.csv, manifest.json and, "
                                   "with common random numbers, paired.csv");
  s->add_option("sweep", o->sweep, "Sweep file (.textproto)")->required();
  s->add_option("--out,-o", o->out, "Output directory")->required();
  add_limit_options(s, o->limits);
  s->add_option("--threads,-j", o->threads, "Worker threads (results do not depend on it)")
      ->check(CLI::Range(1U, 1024U));
  s->add_option("--shard", o->shard, "Run only shard K of N (K/N, 0-based), e.g. for job arrays");
  s->add_flag("--resume", o->resume, "Finish an interrupted sweep in --out");
  s->callback([o, &registry, &exit_code, &log] { exit_code = sweep(*o, registry, log); });

  auto out = std::make_shared<std::string>();
  auto dirs = std::make_shared<std::vector<std::string>>();
  CLI::App* m = app.add_subcommand("merge", "Join the output directories of a sweep's shards");
  m->add_option("out", *out, "Output directory")->required();
  m->add_option("shards", *dirs, "Shard output directories")->required();
  m->callback(
      [out, dirs, &registry, &exit_code, &log] { exit_code = merge(*out, *dirs, registry, log); });
}

}  // namespace chiptrail::cli
