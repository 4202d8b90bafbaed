#include "cli/run_command.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "chiptrail/v1/results.pb.h"
#include "cli/exit_codes.hpp"
#include "cli/limit_options.hpp"
#include "cli/load_scenario.hpp"
#include "cli/number_options.hpp"
#include "cli/run_outputs.hpp"
#include "cli/time_options.hpp"
#include "cli/trace_recorder.hpp"
#include "models/analytic/flow_outcomes.hpp"
#include "models/analytic/scenario_analysis.hpp"
#include "models/experiment/replications.hpp"
#include "models/output/atomic_file.hpp"
#include "models/output/glossary_text.hpp"
#include "models/output/manifest.hpp"
#include "models/output/output_set.hpp"
#include "models/supply_chain_model.hpp"
#include "sim/analysis/intervals.hpp"

namespace chiptrail::cli {
namespace {

struct RunOptions {
  std::string scenario;
  std::optional<std::uint32_t> replications;
  std::optional<std::uint64_t> seed;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  std::string out;
  std::string format = "table";
  bool check_analytic = false;
  std::vector<std::string> command_line;
  models::ResourceLimits limits;
  std::string trace;
  std::uint64_t trace_limit = 1000000;
  std::uint64_t trace_replication = 0;
  TimeOptions time;
};

// --trace: the chosen replication again, every event as JSON lines. The same scenario, seed
// and replication give the same events whatever recorder listens, so this replays the run.
int write_trace(const RunOptions& o, const models::World& world, const models::RunConfig& config,
                spdlog::logger& log) {
  TraceRecorder trace(world, o.trace_limit);
  try {
    (void)models::simulate(world, config, o.trace_replication, trace);
  } catch (const models::ResourceLimitExceeded& e) {
    log.error("chiptrail: {}: {}", o.scenario, e.what());
    return kDataError;
  }
  try {
    models::write_file_atomically(o.trace, trace.text());
  } catch (const std::exception& e) {
    log.error("chiptrail: {}", e.what());
    return kIoError;
  }
  if (trace.truncated()) {
    log.warn("chiptrail: trace of replication {} stopped at --trace-limit {}", o.trace_replication,
             o.trace_limit);
  }
  return kOk;
}

int write_outputs(const RunOptions& o, const LoadedScenario& loaded, const RunReport& report,
                  spdlog::logger& log) {
  try {
    std::filesystem::create_directories(o.out);
    v1::Manifest manifest =
        models::manifest_of(loaded.file, report.runs.size(), report.seed, o.command_line);
    manifest.set_period_days(report.period_days);
    manifest.set_warmup_days(report.warmup_days);
    models::write_output_set(o.out,
                             {{"runs.csv", runs_csv(report)},
                              {"summary.csv", summary_csv(report)},
                              {"timeseries.csv", timeseries_csv(report)},
                              {"timeseries_summary.csv", timeseries_summary_csv(report)},
                              {"reading.txt", reading_text(report)},
                              {"glossary.csv", models::glossary_text("csv")},
                              {"detections.csv", detections_csv(loaded.world, report)},
                              {"where.json", where_found_json(loaded.world, report)}},
                             manifest);
  } catch (const std::exception& e) {
    log.error("chiptrail: {}", e.what());
    return kIoError;
  }
  return kOk;
}

// --check-analytic: per diversion flow, the simulated share of lots found (every lot run to the
// end of its journey) beside the analytic probability, with the z-score of the difference.
// Drains the world past the horizon while it runs, and leaves it as it was; kDataError when no
// flow can be analysed, as `chiptrail analyze`.
int check_analytic(const RunOptions& o, const models::World& world,
                   const models::RunConfig& run_config) {
  const std::vector<models::FlowAnalysis> analysis = models::analyze(world);
  // Draining needs an event queue that empties: true exactly when every policy is memoryless,
  // which any analysable flow implies (time-driven policies are obstacles for all flows).
  const bool any = std::any_of(analysis.begin(), analysis.end(),
                               [](const models::FlowAnalysis& fa) { return fa.obstacles.empty(); });
  if (!any) {
    for (const models::FlowAnalysis& fa : analysis) {
      std::printf("%-24s not analysable: %s\n", fa.flow.c_str(), fa.obstacles.front().c_str());
    }
    if (analysis.empty()) std::printf("no diversion flows to analyse\n");
    return kDataError;
  }
  models::RunConfig config = run_config;
  config.drain = true;
  models::Execution execution;
  execution.threads = o.threads;
  const auto outcomes = models::run_indexed<std::vector<std::pair<std::uint64_t, std::uint64_t>>>(
      config.replications, execution, [&](std::size_t r) {
        models::FlowOutcomes rec(world);
        (void)models::simulate(world, config, r, rec);
        std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
        for (std::size_t f = 0; f < world.flows.size(); ++f)
          out.emplace_back(rec.found(f), rec.sold(f));
        return out;
      });
  std::printf("%-24s %10s %-22s %10s %8s %8s\n", "flow", "simulated", "99.9% CI", "analytic", "z",
              "lots");
  std::size_t a = 0;
  for (std::size_t f = 0; f < world.flows.size(); ++f) {
    if (!world.flows[f].diversion) continue;
    const models::FlowAnalysis& fa = analysis[a++];
    std::uint64_t found = 0, sold = 0;
    for (const auto& rep : outcomes) {
      found += rep[f].first;
      sold += rep[f].second;
    }
    if (!fa.obstacles.empty()) {
      std::printf("%-24s not analysable: %s\n", fa.flow.c_str(), fa.obstacles.front().c_str());
      continue;
    }
    const double p = fa.detection_probability;
    const double share = sold > 0 ? static_cast<double>(found) / static_cast<double>(sold) : 0.0;
    const double se =
        std::sqrt(p * (1 - p) / static_cast<double>(std::max<std::uint64_t>(sold, 1)));
    const sim::Interval ci = sim::wilson_interval(found, sold, 0.999);
    char interval[64];
    std::snprintf(interval, sizeof interval, "[%.4f, %.4f]", ci.low, ci.high);
    std::printf("%-24s %10.4f %-22s %10.4f %8.2f %8llu\n", fa.flow.c_str(), share, interval, p,
                se > 0 ? (share - p) / se : 0.0, static_cast<unsigned long long>(sold));
  }
  return kOk;
}

int run(const RunOptions& o, const models::PolicyRegistry& registry, spdlog::logger& log) {
  std::optional<LoadedScenario> loaded;
  if (const int code = load_scenario(o.scenario, registry, loaded, log); code != kOk) return code;
  const models::World& world = loaded->world;
  models::RunConfig config = models::default_run(world);
  if (o.seed) config.seed = *o.seed;
  if (o.replications) config.replications = *o.replications;
  config.limits = o.limits;
  if (!apply_time_options(o.time, world, config, log)) return kUsage;
  // The analytic comparison first, then the metric table of the run as usual.
  const int analytic_code = o.check_analytic ? check_analytic(o, world, config) : kOk;
  if (o.check_analytic) std::printf("\n");

  RunReport report;
  report.scenario_name = world.name.empty() ? o.scenario : world.name;
  report.seed = config.seed;
  report.horizon_days = world.horizon.to_days();
  report.warmup_days = config.warmup.to_days();
  report.estimand = world.estimand;
  report.scenario_warmup_days = world.warmup.to_days();
  report.period_days = config.period.to_days();
  log.debug("chiptrail: {}: {} replications from seed {} on {} threads", o.scenario,
            config.replications, config.seed, o.threads);
  const auto started = std::chrono::steady_clock::now();
  try {
    models::Execution execution;
    execution.threads = o.threads;
    models::ReplicationRequest request;
    request.level = report.ci_level;
    request.keep_detections = !o.out.empty();  // detections.csv, where.json: with --out only
    models::ReplicationSet set = models::run_replications(world, config, execution, request);
    report.runs = std::move(set.runs);
    report.detections = std::move(set.detections);
    report.summary = std::move(set.summary);
    report.periods = std::move(set.periods);
    log.debug("chiptrail: {} replications in {:.3f} s", config.replications,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  } catch (const models::ResourceLimitExceeded& e) {
    log.error("chiptrail: {}: {}", o.scenario, e.what());
    return kDataError;
  }

  if (o.format == "csv") {
    std::fputs(summary_csv(report).c_str(), stdout);
  } else if (o.format == "json") {
    std::fputs(summary_json(report).c_str(), stdout);
  } else {
    std::printf("%s: %u replications, seed %llu, horizon %.0f days, warm-up %.0f days\n",
                report.scenario_name.c_str(), config.replications,
                static_cast<unsigned long long>(config.seed), world.horizon.to_days(),
                config.warmup.to_days());
    std::fputs(summary_table(report).c_str(), stdout);
  }
  std::fflush(stdout);
  if (!o.trace.empty()) {
    if (const int code = write_trace(o, world, config, log); code != kOk) return code;
  }
  if (!o.out.empty()) {
    if (const int code = write_outputs(o, *loaded, report, log); code != kOk) return code;
  }
  return analytic_code;
}

}  // namespace

void add_run_command(CLI::App& app, const models::PolicyRegistry& registry,
                     const std::vector<std::string>& command_line, int& exit_code,
                     spdlog::logger& log) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run",
                                     "Run replications of a scenario and print what reaches "
                                     "the restricted end user, what the measures flag, stop "
                                     "and cost, with 95% CIs (`chiptrail metrics` explains each)");
  cmd->add_option("scenario", o->scenario, "Scenario file (.textproto or .json)")->required();
  cmd->add_option("--replications,-n", o->replications,
                  "Replications (default: the scenario's, else 100)")
      ->check(whole_number(1, 1000000));
  cmd->add_option("--seed", o->seed, "Master seed (default: the scenario's)")
      ->check(whole_number(0, UINT64_MAX));
  cmd->add_option("--threads,-j", o->threads, "Worker threads (results do not depend on it)")
      ->check(CLI::Range(1U, 1024U));
  cmd->add_option("--out,-o", o->out,
                  "Directory for runs.csv, summary.csv, timeseries.csv, timeseries_summary.csv, "
                  "detections.csv, where.json, manifest.json");
  add_time_options(cmd, o->time);
  cmd->add_flag("--check-analytic", o->check_analytic,
                "Compare, per diversion flow, the simulated share of lots found with the analytic "
                "solver's probability (lots run to the end of their journey)");
  add_limit_options(cmd, o->limits);
  cmd->add_option("--trace", o->trace,
                  "Write every event of one replication to this file (JSON lines)");
  cmd->add_option("--trace-limit", o->trace_limit, "Most events written to the trace")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  cmd->add_option("--trace-replication", o->trace_replication,
                  "The replication to trace (default 0)");
  cmd->add_option("--format", o->format, "Summary on stdout: table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
  cmd->callback([o, &registry, &command_line, &exit_code, &log] {
    o->command_line = command_line;
    exit_code = run(*o, registry, log);
  });
}

}  // namespace chiptrail::cli
