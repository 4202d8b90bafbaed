#include "models/experiment/sweep_runner.hpp"

#include <charconv>
#include <filesystem>
#include <memory>
#include <utility>

#include "models/experiment/sweep_outputs.hpp"
#include "models/metrics_recorder.hpp"
#include "models/output/manifest.hpp"
#include "models/output/output_set.hpp"
#include "models/supply_chain_model.hpp"
#include "models/sweep/point_worlds.hpp"
#include "sim/analysis/run_journal.hpp"

namespace chiptrail::models {
namespace {

constexpr std::uint64_t kMaxValuesInMemory = 50'000'000;  // metric values of one process

std::string journal_header(const SweepSpec& spec, const Shard& shard) {
  return "chiptrail-journal v1 " + sweep_fingerprint(spec) + " shard " + shard.text();
}

// Whether `dir` holds the complete outputs of this sweep (this shard of it).
bool finished(const std::string& dir, const SweepSpec& spec, const Shard& shard) {
  v1::Manifest manifest;
  if (!check_output_set(dir).empty() || !read_manifest(dir, manifest)) return false;
  return manifest.fingerprint() == sweep_fingerprint(spec) &&
         manifest.shard() == (shard.whole() ? "" : shard.text());
}

// The metric names every run of the sweep records (those of its first point).
std::vector<std::string> metric_names(const SweepSpec& spec, const PolicyRegistry& registry) {
  return MetricsRecorder(world_for_point(spec, 0, registry)).finish({}).names;
}

[[noreturn]] void fail(SweepError::Kind kind, const std::string& what) {
  throw SweepError(kind, what);
}

}  // namespace

std::string Shard::text() const {
  return std::to_string(index) + "/" + std::to_string(count);
}

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

std::vector<std::uint64_t> shard_run_ids(const SweepSpec& spec, const Shard& shard) {
  const std::uint64_t runs = spec.runs();
  // index, index + count, ... below runs (no wrap near 2^64)
  const std::uint64_t n = shard.index >= runs ? 0 : (runs - shard.index - 1) / shard.count + 1;
  std::vector<std::uint64_t> ids;
  ids.reserve(n);
  for (std::uint64_t k = 0; k < n; ++k) ids.push_back(shard.index + k * shard.count);
  return ids;
}

SweepReport run_sweep(const SweepSpec& spec, const PolicyRegistry& registry,
                      const SweepRequest& request, Executor& executor) {
  PointWorlds worlds(spec, registry, 4 * std::max(1U, executor.concurrency()));
  const auto run_one = [&](std::uint64_t id) {
    const std::shared_ptr<const World> w = worlds.get(spec.point_of(id));
    RunConfig config = default_run(*w);  // the point's seed (world_for_point)
    config.limits = request.limits;      // no stop flag: a stop lets the runs in hand finish
    return run_replication(*w, config, spec.stream_replication(id)).values;
  };
  SweepReport report;
  if (!executor.coordinates()) {  // an MPI worker: compute what the coordinator hands out
    executor.run({}, run_one, {}, {});
    report.outcome = SweepReport::Outcome::worker;
    return report;
  }
  const Shard& shard = request.shard;
  SweepResults results;
  results.names = metric_names(spec, registry);
  const std::vector<std::uint64_t> ids = shard_run_ids(spec, shard);
  report.runs_total = ids.size();
  // Every result of this process is held until the end (runs.csv is written in one piece):
  // refuse, before running, a shard whose values could not fit.
  if (ids.size() > kMaxValuesInMemory / results.names.size()) {
    fail(SweepError::Kind::data,
         std::to_string(ids.size()) + " runs of " + std::to_string(results.names.size()) +
             " metrics in one process is more than 50 million values to hold: split the sweep "
             "with --shard K/N");
  }
  const std::string journal_path = request.out + "/.journal";
  const std::string header = journal_header(spec, shard);
  try {
    std::filesystem::create_directories(request.out);
    if (request.resume && !std::filesystem::exists(journal_path) &&
        finished(request.out, spec, shard)) {
      report.outcome = SweepReport::Outcome::already_finished;
      report.runs_done = ids.size();
      return report;
    }
    if (std::filesystem::exists(journal_path)) {
      if (!request.resume) {
        fail(SweepError::Kind::usage, request.out +
                                          " holds an unfinished sweep: add --resume to finish "
                                          "it, or remove " +
                                          journal_path + " to start over");
      }
      results.runs = sim::RunJournal::read(journal_path, header, results.names.size(), spec.runs());
      // Runs of other shards have no place here (a journal edited by hand): run ours anew.
      std::erase_if(results.runs,
                    [&](const auto& run) { return run.first % shard.count != shard.index; });
    }
  } catch (const SweepError&) {
    throw;
  } catch (const sim::JournalIoError& e) {
    fail(SweepError::Kind::io, e.what());
  } catch (const std::filesystem::filesystem_error& e) {
    fail(SweepError::Kind::io, e.what());
  } catch (const std::exception& e) {  // a journal of another sweep
    fail(SweepError::Kind::data, e.what());
  }
  std::vector<std::uint64_t> todo;
  for (const std::uint64_t id : ids) {
    if (results.runs.count(id) == 0) todo.push_back(id);
  }
  if (request.on_start) request.on_start(ids.size(), ids.size() - todo.size());
  const auto stopped = [&request] { return request.stop != nullptr && request.stop->load(); };
  {
    sim::RunJournal journal(journal_path, header);  // throws JournalIoError
    const auto record = [&](std::uint64_t id, std::vector<double> values) {
      journal.append(id, values);
      results.runs.emplace(id, std::move(values));
      if (request.on_done) request.on_done();
    };
    executor.run(todo, run_one, record, stopped);
  }
  report.runs_done = results.runs.size();
  if (report.runs_done < ids.size()) {
    report.outcome = SweepReport::Outcome::interrupted;
    return report;
  }
  try {
    if (shard.whole()) {
      write_sweep_outputs(request.out, spec, results);
      std::filesystem::remove(journal_path);
    } else {
      // A shard keeps its complete results, exactly, for merge_shards; its runs.csv is for
      // people and scripts that want to look at one shard.
      std::filesystem::rename(journal_path, request.out + "/shard.journal");
      write_output_set(request.out, {{"runs.csv", sweep_runs_csv(spec, results)}},
                       sweep_manifest(spec, shard.text()));
    }
  } catch (const std::exception& e) {
    fail(SweepError::Kind::io, e.what());
  }
  return report;
}

void merge_shards(const std::string& out, const std::vector<std::string>& shard_dirs,
                  const PolicyRegistry& registry) {
  std::optional<SweepSpec> spec;
  SweepResults results;
  std::uint64_t count = 0;
  std::vector<bool> seen_shard;
  if (std::filesystem::exists(out + "/shard.journal")) {
    fail(SweepError::Kind::usage,
         out +
             " is a shard's directory: merge into another one, or its results would be "
             "overwritten");
  }
  for (const std::string& dir : shard_dirs) {
    if (const std::string problem = check_output_set(dir); !problem.empty()) {
      fail(SweepError::Kind::data, problem);
    }
    v1::Manifest manifest;
    if (!read_manifest(dir, manifest)) {
      fail(SweepError::Kind::missing,
           dir + "/manifest.json: missing or unreadable (not a finished shard?)");
    }
    if (!manifest.has_shard() || !manifest.has_sweep_path()) {
      fail(SweepError::Kind::data, dir + "/manifest.json is not a shard's manifest");
    }
    const std::optional<Shard> shard = parse_shard(manifest.shard());
    if (!spec) {
      spec.emplace(load_sweep(manifest.sweep_path(), registry));
      results.names = metric_names(*spec, registry);
    }
    if (!shard || (count != 0 && shard->count != count) ||
        manifest.fingerprint() != sweep_fingerprint(*spec)) {
      fail(SweepError::Kind::data, dir + " is a shard of another sweep, or of another split");
    }
    count = shard->count;
    seen_shard.resize(count);
    if (seen_shard[shard->index]) {
      fail(SweepError::Kind::data, "shard " + shard->text() + " given twice");
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
      fail(SweepError::Kind::data, e.what());
    }
  }
  if (!spec || results.runs.size() != spec->runs()) {
    fail(SweepError::Kind::data, "the shards hold " + std::to_string(results.runs.size()) + " of " +
                                     std::to_string(spec ? spec->runs() : 0) +
                                     " runs: some shard is missing");
  }
  try {
    std::filesystem::create_directories(out);
    write_sweep_outputs(out, *spec, results);
  } catch (const std::exception& e) {
    fail(SweepError::Kind::io, e.what());
  }
}

}  // namespace chiptrail::models
