#include "cli/sweep_command.hpp"

#include <google/protobuf/struct.pb.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include "cli/atomic_file.hpp"
#include "cli/exit_codes.hpp"
#include "cli/limit_options.hpp"
#include "cli/load_scenario.hpp"
#include "cli/manifest.hpp"
#include "cli/output_set.hpp"
#ifdef CHIPTRAIL_WITH_MPI
#include "cli/mpi_sweep.hpp"
#endif
#include "cli/progress.hpp"
#include "cli/sweep_outputs.hpp"
#include "cli/text_format.hpp"
#include "models/metrics_recorder.hpp"
#include "models/scenario/input_error.hpp"
#include "models/supply_chain_model.hpp"
#include "models/sweep/point_worlds.hpp"
#include "sim/analysis/run_journal.hpp"
#include "sim/analysis/run_pool.hpp"

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

struct Shard {
  std::uint64_t index = 0, count = 1;
  [[nodiscard]] bool whole() const { return count == 1; }
  [[nodiscard]] std::string text() const {
    return std::to_string(index) + "/" + std::to_string(count);
  }
};

// Shards of a sweep: at most this many (a merge tracks each).
constexpr std::uint64_t kMaxShards = 1'000'000;

// "K/N" in plain decimal digits (no sign, no spaces), 0 <= K < N <= kMaxShards.
std::optional<Shard> parse_shard(const std::string& s) {
  Shard sh;
  const char* end = s.data() + s.size();
  const auto [after_index, e1] = std::from_chars(s.data(), end, sh.index);
  if (e1 != std::errc() || after_index == end || *after_index != '/') return std::nullopt;
  const auto [after_count, e2] = std::from_chars(after_index + 1, end, sh.count);
  if (e2 != std::errc() || after_count != end || after_index + 1 == after_count || sh.count == 0 ||
      sh.count > kMaxShards || sh.index >= sh.count) {
    return std::nullopt;
  }
  return sh;
}

// The ids of a shard's runs: index, index + count, ... below runs (no wrap near 2^64).
std::uint64_t runs_in_shard(std::uint64_t runs, const Shard& shard) {
  return shard.index >= runs ? 0 : (runs - shard.index - 1) / shard.count + 1;
}

// Loads a sweep, printing errors the way every command does; returns the exit code.
int load(const std::string& path, const models::PolicyRegistry& registry,
         std::optional<models::SweepSpec>& spec) {
  return load_or_report(path, [&] { spec.emplace(models::load_sweep(path, registry)); });
}

std::string journal_header(const models::SweepSpec& spec, const Shard& shard) {
  return "chiptrail-journal v1 " + sweep_fingerprint(spec) + " shard " + shard.text();
}

int plan(const std::string& path, const models::PolicyRegistry& registry) {
  std::optional<models::SweepSpec> spec;
  if (const int code = load(path, registry, spec); code != kOk) return code;
  std::string out = "run_id,point_id,replication";
  const bool roles = spec->design != "full_factorial";
  if (roles) out += ",role";
  for (const auto& f : spec->factors) out += "," + csv_field(f.name);
  out += "\n";
  std::fputs(out.c_str(), stdout);
  for (std::uint64_t id = 0; id < spec->runs(); ++id) {
    const std::size_t p = spec->point_of(id);
    std::string line = std::to_string(id) + "," + std::to_string(p) + "," +
                       std::to_string(spec->replication_of(id));
    if (roles) line += "," + csv_field(spec->points[p].role);
    for (const double v : spec->points[p].values) line += "," + format_number(v);
    line += "\n";
    std::fputs(line.c_str(), stdout);
  }
  std::fprintf(stderr, "%s: %s design, %zu points x %u replications = %llu runs\n", path.c_str(),
               spec->design.c_str(), spec->points.size(), spec->replications,
               static_cast<unsigned long long>(spec->runs()));
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

constexpr std::uint64_t kMaxValuesInMemory = 50'000'000;  // metric values of one process

// Whether `dir` holds the complete outputs of this sweep (this shard of it).
bool finished(const std::string& dir, const models::SweepSpec& spec, const Shard& shard) {
  google::protobuf::Struct manifest;
  if (!check_output_set(dir).empty() || !read_manifest(dir, manifest)) return false;
  const auto& f = manifest.fields();
  const auto text = [&](const char* key) {
    return f.contains(key) ? f.at(key).string_value() : std::string();
  };
  return text("fingerprint") == sweep_fingerprint(spec) &&
         text("shard") == (shard.whole() ? "" : shard.text());
}

int sweep(const SweepOptions& o, const models::PolicyRegistry& registry) {
  const std::optional<Shard> shard = parse_shard(o.shard);
  if (!shard) {
    std::fprintf(stderr, "chiptrail: --shard must be K/N with 0 <= K < N <= 1000000, got %s\n",
                 o.shard.c_str());
    return kUsage;
  }
  std::optional<models::SweepSpec> spec;
  if (const int code = load(o.sweep, registry, spec); code != kOk) return code;
  models::PointWorlds worlds(*spec, registry, 4 * std::max(1U, o.threads));
  const auto run_one = [&](std::uint64_t id) {
    const std::shared_ptr<const models::World> w = worlds.get(spec->point_of(id));
    models::RunConfig config = models::default_run(*w);  // the point's seed (world_for_point)
    config.limits = o.limits;
    return models::run_replication(*w, config, spec->stream_replication(id)).values;
  };
#ifdef CHIPTRAIL_WITH_MPI
  // Under mpirun, ranks other than 0 only compute what rank 0 hands them.
  const bool use_mpi = MpiSession::size() > 1;
  if (use_mpi && MpiSession::rank() != 0) {
    serve_runs(run_one);
    return kOk;
  }
  // Rank 0 must release the workers on every path, including early errors.
  bool workers_released = !use_mpi;
  struct Release {
    bool& released;
    ~Release() {
      if (!released)
        coordinate_runs(
            {}, [](std::uint64_t, std::vector<double>) {}, [] { return true; });
    }
  } release{workers_released};
#endif
  SweepResults results;
  results.names = models::MetricsRecorder(*worlds.get(0)).finish(0).names;
  // Every result of this process is held until the end (runs.csv is written in one piece):
  // refuse, before running, a shard whose values could not fit.
  const std::uint64_t shard_runs = runs_in_shard(spec->runs(), *shard);
  if (shard_runs > kMaxValuesInMemory / results.names.size()) {
    std::fprintf(stderr,
                 "chiptrail: %s: %llu runs of %zu metrics in one process is more than 50 million "
                 "values to hold: split the sweep with --shard K/N\n",
                 o.sweep.c_str(), static_cast<unsigned long long>(shard_runs),
                 results.names.size());
    return kDataError;
  }

  std::vector<std::uint64_t> ids;
  ids.reserve(shard_runs);
  for (std::uint64_t k = 0; k < shard_runs; ++k) ids.push_back(shard->index + k * shard->count);
  const std::string journal_path = o.out + "/.journal";
  const std::string header = journal_header(*spec, *shard);
  try {
    std::filesystem::create_directories(o.out);
    if (o.resume && !std::filesystem::exists(journal_path) && finished(o.out, *spec, *shard)) {
      std::fprintf(stderr, "chiptrail: %s already holds this sweep's finished outputs\n",
                   o.out.c_str());
      return kOk;
    }
    if (std::filesystem::exists(journal_path)) {
      if (!o.resume) {
        std::fprintf(stderr,
                     "chiptrail: %s holds an unfinished sweep: add --resume to finish it, "
                     "or remove %s to start over\n",
                     o.out.c_str(), journal_path.c_str());
        return kUsage;
      }
      results.runs =
          sim::RunJournal::read(journal_path, header, results.names.size(), spec->runs());
      // Runs of other shards have no place here (a journal edited by hand): run ours anew.
      std::erase_if(results.runs,
                    [&](const auto& run) { return run.first % shard->count != shard->index; });
    }
  } catch (const sim::JournalIoError& e) {
    std::fprintf(stderr, "chiptrail: %s\n", e.what());
    return kIoError;
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "chiptrail: %s\n", e.what());
    return kIoError;
  } catch (const std::exception& e) {  // a journal of another sweep
    std::fprintf(stderr, "chiptrail: %s\n", e.what());
    return kDataError;
  }
  std::vector<std::uint64_t> todo;
  for (const std::uint64_t id : ids) {
    if (results.runs.count(id) == 0) todo.push_back(id);
  }

  interrupted().store(false);
  const auto previous_int = std::signal(SIGINT, on_interrupt);
  const auto previous_term = std::signal(SIGTERM, on_interrupt);
  Progress progress("chiptrail sweep", ids.size(), ids.size() - todo.size());
  try {
    sim::RunJournal journal(journal_path, header);
    const auto record = [&](std::uint64_t id, std::vector<double> values) {
      journal.append(id, values);
      results.runs.emplace(id, std::move(values));
      progress.tick();
    };
    const auto stop = [] { return interrupted().load(); };
#ifdef CHIPTRAIL_WITH_MPI
    if (use_mpi) {
      workers_released = true;
      coordinate_runs(todo, record, stop);
    } else {
      sim::run_pool(todo, o.threads, run_one, record, stop);
    }
#else
    sim::run_pool(todo, o.threads, run_one, record, stop);
#endif
  } catch (const std::exception& e) {
    std::signal(SIGINT, previous_int);
    std::signal(SIGTERM, previous_term);
    std::fprintf(stderr, "\nchiptrail: %s\n", e.what());
    // A run past its resource limits is the scenario's size, not a fault of ours; the runs
    // completed so far stay in the journal. A journal that cannot be written is an I/O error.
    if (dynamic_cast<const models::ResourceLimitExceeded*>(&e) != nullptr) return kDataError;
    if (dynamic_cast<const sim::JournalIoError*>(&e) != nullptr) return kIoError;
    return kSoftware;
  }
  std::signal(SIGINT, previous_int);
  std::signal(SIGTERM, previous_term);
  progress.finish();
  if (interrupted().load()) {
    std::fprintf(stderr,
                 "chiptrail: interrupted: %zu of %zu runs done and kept; run again with "
                 "--resume to finish\n",
                 results.runs.size(), ids.size());
    return 130;
  }
  try {
    if (shard->whole()) {
      write_sweep_outputs(o.out, *spec, results);
      std::filesystem::remove(journal_path);
    } else {
      // A shard keeps its complete results, exactly, for `chiptrail merge`; its runs.csv is for
      // people and scripts that want to look at one shard.
      std::filesystem::rename(journal_path, o.out + "/shard.journal");
      write_output_set(o.out, {{"runs.csv", sweep_runs_csv(*spec, results)}},
                       sweep_manifest_json(*spec, shard->text()));
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "chiptrail: %s\n", e.what());
    return kIoError;
  }
  return kOk;
}

int merge(const std::string& out, const std::vector<std::string>& shard_dirs,
          const models::PolicyRegistry& registry) {
  std::optional<models::SweepSpec> spec;
  SweepResults results;
  std::uint64_t count = 0;
  std::vector<bool> seen_shard;
  if (std::filesystem::exists(out + "/shard.journal")) {
    std::fprintf(stderr,
                 "chiptrail: %s is a shard's directory: merge into another one, or its results "
                 "would be overwritten\n",
                 out.c_str());
    return kUsage;
  }
  for (const std::string& dir : shard_dirs) {
    if (const std::string problem = check_output_set(dir); !problem.empty()) {
      std::fprintf(stderr, "chiptrail: %s\n", problem.c_str());
      return kDataError;
    }
    google::protobuf::Struct manifest;
    if (!read_manifest(dir, manifest)) {
      std::fprintf(stderr,
                   "chiptrail: %s/manifest.json: missing or unreadable (not a finished shard?)\n",
                   dir.c_str());
      return kNoInput;
    }
    if (!manifest.fields().contains("shard") || !manifest.fields().contains("sweep_path")) {
      std::fprintf(stderr, "chiptrail: %s/manifest.json is not a shard's manifest\n", dir.c_str());
      return kDataError;
    }
    const std::optional<Shard> shard = parse_shard(manifest.fields().at("shard").string_value());
    if (!spec) {
      if (const int code = load(manifest.fields().at("sweep_path").string_value(), registry, spec);
          code != kOk)
        return code;
      results.names =
          models::MetricsRecorder(models::world_for_point(*spec, 0, registry)).finish(0).names;
    }
    if (!shard || (count != 0 && shard->count != count) ||
        manifest.fields().at("fingerprint").string_value() != sweep_fingerprint(*spec)) {
      std::fprintf(stderr, "chiptrail: %s is a shard of another sweep, or of another split\n",
                   dir.c_str());
      return kDataError;
    }
    count = shard->count;
    seen_shard.resize(count);
    if (seen_shard[shard->index]) {
      std::fprintf(stderr, "chiptrail: shard %s given twice\n", shard->text().c_str());
      return kDataError;
    }
    seen_shard[shard->index] = true;
    try {
      for (auto& [id, values] :
           sim::RunJournal::read(dir + "/shard.journal", journal_header(*spec, *shard),
                                 results.names.size(), spec->runs())) {
        if (id % shard->count != shard->index) continue;
        results.runs.emplace(id, std::move(values));
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "chiptrail: %s\n", e.what());
      return kDataError;
    }
  }
  if (!spec || results.runs.size() != spec->runs()) {
    std::fprintf(stderr, "chiptrail: the shards hold %zu of %llu runs: some shard is missing\n",
                 results.runs.size(), spec ? static_cast<unsigned long long>(spec->runs()) : 0ULL);
    return kDataError;
  }
  try {
    std::filesystem::create_directories(out);
    write_sweep_outputs(out, *spec, results);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "chiptrail: %s\n", e.what());
    return kIoError;
  }
  return kOk;
}

}  // namespace

void add_sweep_commands(CLI::App& app, const models::PolicyRegistry& registry, int& exit_code) {
  auto plan_path = std::make_shared<std::string>();
  CLI::App* p = app.add_subcommand("plan",
                                   "List a sweep's runs (run id, point, replication, "
                                   "factor values) without running them");
  p->add_option("sweep", *plan_path, "Sweep file (.textproto)")->required();
  p->callback([plan_path, &registry, &exit_code] { exit_code = plan(*plan_path, registry); });

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
  s->callback([o, &registry, &exit_code] { exit_code = sweep(*o, registry); });

  auto out = std::make_shared<std::string>();
  auto dirs = std::make_shared<std::vector<std::string>>();
  CLI::App* m = app.add_subcommand("merge", "Join the output directories of a sweep's shards");
  m->add_option("out", *out, "Output directory")->required();
  m->add_option("shards", *dirs, "Shard output directories")->required();
  m->callback([out, dirs, &registry, &exit_code] { exit_code = merge(*out, *dirs, registry); });
}

}  // namespace chiptrail::cli
