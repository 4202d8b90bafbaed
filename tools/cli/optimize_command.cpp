#include "cli/optimize_command.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "chiptrail/v1/scenario.pb.h"
#include "cli/exit_codes.hpp"
#include "cli/load_scenario.hpp"
#include "cli/number_options.hpp"
#include "models/allocation/allocation_search.hpp"
#include "models/output/atomic_file.hpp"
#include "models/output/manifest.hpp"
#include "models/output/output_set.hpp"
#include "models/output/text_format.hpp"
#include "models/scenario/input_error.hpp"

namespace chiptrail::cli {
namespace {

struct Options {
  std::string scenario;
  std::string out;
  std::string maximize;
  std::string minimize;
  std::optional<std::uint64_t> seed;
  models::AllocationSearchOptions search;
  std::vector<std::string> command_line;
};

std::string lever_columns(const std::vector<models::Lever>& levers) {
  std::string out;
  for (const models::Lever& l : levers)
    out += "," + models::csv_field(l.name) + "," + models::csv_field("spend_usd." + l.name);
  return out;
}

std::string allocation_columns(const models::Allocation& a) {
  std::string out;
  for (std::size_t i = 0; i < a.values.size(); ++i) {
    out += "," + models::format_number(a.values[i]) + "," + models::format_number(a.spend[i]);
  }
  return out;
}

// frontier.csv: per budget, the best allocation, its objective, its lead over the runner-up, and
// what the run reports it costs (total_cost_usd above the levers at their minimum).
std::string frontier_csv(const std::vector<models::Lever>& levers,
                         const std::vector<models::BudgetOutcome>& frontier, double level) {
  std::string out = "budget_usd,spent_usd" + lever_columns(levers) +
                    ",n,mean,ci_low,ci_high,ci_level,advantage_mean,advantage_ci_low,"
                    "advantage_ci_high,reported_cost_usd,reported_cost_ci_low,"
                    "reported_cost_ci_high,over_budget,not_worse,candidates,runs\n";
  for (const models::BudgetOutcome& b : frontier) {
    const models::Allocation& a = b.best_allocation();
    out += models::format_number(b.budget) + "," + models::format_number(a.total_spend()) +
           allocation_columns(a) + "," + std::to_string(b.best.n) + "," +
           models::format_number(b.best.mean) + "," + models::format_number(b.best.ci_low) + "," +
           models::format_number(b.best.ci_high) + "," + models::format_number(level) + "," +
           models::format_number(b.advantage.mean) + "," +
           models::format_number(b.advantage.ci_low) + "," +
           models::format_number(b.advantage.ci_high) + "," +
           models::format_number(b.reported_cost.mean) + "," +
           models::format_number(b.reported_cost.ci_low) + "," +
           models::format_number(b.reported_cost.ci_high) + "," + (b.over_budget ? "1" : "0") +
           "," + std::to_string(b.not_worse.size()) + "," + std::to_string(b.candidates.size()) +
           "," + std::to_string(b.race.runs + b.confirmation.runs) + "\n";
  }
  return out;
}

// allocations.csv: every candidate of every budget, with the replications it earned in the
// race and, for a finalist, its mean on the fresh replications and whether it is not
// significantly worse than the best.
std::string allocations_csv(const std::vector<models::Lever>& levers,
                            const std::vector<models::BudgetOutcome>& frontier) {
  std::string out = "budget_usd,candidate" + lever_columns(levers) +
                    ",rounds,n,mean,fresh_n,fresh_mean,not_worse,best\n";
  for (const models::BudgetOutcome& b : frontier) {
    for (std::size_t c = 0; c < b.candidates.size(); ++c) {
      const sim::Contender& k = b.race.contenders[c];
      const auto finalist =
          std::find(b.confirmation.finalists.begin(), b.confirmation.finalists.end(), c);
      std::string fresh = "0,";
      if (finalist != b.confirmation.finalists.end()) {
        const sim::Contender again{
            b.confirmation
                .values[static_cast<std::size_t>(finalist - b.confirmation.finalists.begin())],
            0};
        fresh = std::to_string(again.values.size()) + "," + models::format_number(again.mean());
      }
      const bool tied = std::find(b.not_worse.begin(), b.not_worse.end(), c) != b.not_worse.end();
      out += models::format_number(b.budget) + "," + std::to_string(c) +
             allocation_columns(b.candidates[c]) + "," + std::to_string(k.rounds) + "," +
             std::to_string(k.values.size()) + "," + models::format_number(k.mean()) + "," + fresh +
             "," + (tied ? "1" : "0") + "," + (c == b.chosen ? "1" : "0") + "\n";
    }
  }
  return out;
}

int run(Options o, const models::PolicyRegistry& registry, spdlog::logger& log) {
  if (!o.maximize.empty() && !o.minimize.empty()) {
    log.error("chiptrail: give --maximize or --minimize, not both");
    return kUsage;
  }
  o.search.halving.maximize = o.minimize.empty();
  if (!o.minimize.empty()) o.search.objective = o.minimize;
  if (!o.maximize.empty()) o.search.objective = o.maximize;
  if (o.search.halving.initial_replications > o.search.halving.max_replications) {
    log.error("chiptrail: --initial-replications exceeds --replications");
    return kUsage;
  }
  std::optional<LoadedScenario> loaded;
  if (const int code = load_scenario(o.scenario, registry, loaded, log); code != kOk) return code;
  if (o.seed) loaded->file.message->set_seed(*o.seed);
  std::vector<models::Lever> levers;
  std::vector<models::BudgetOutcome> frontier;
  try {
    models::AllocationSearch search = models::search_allocations(loaded->file, registry, o.search);
    levers = std::move(search.levers);
    frontier = std::move(search.frontier);
  } catch (const models::InvalidInput& e) {
    for (const models::InputError& error : e.errors()) {
      log.error("{}", error.to_string());
    }
    return kDataError;
  } catch (const std::invalid_argument& e) {
    log.error("chiptrail: {}", e.what());
    return kDataError;
  }
  std::printf("%s: %s %s over %zu levers, budget %s, seed %llu\n", o.scenario.c_str(),
              o.search.halving.maximize ? "maximise" : "minimise", o.search.objective.c_str(),
              levers.size(), models::format_number(o.search.budget).c_str(),
              static_cast<unsigned long long>(loaded->file.message->seed()));
  for (std::size_t i = 0; i < levers.size(); ++i) {
    std::printf("  lever %zu: %s ($%.6g per unit%s, %s..%s)\n", i + 1, levers[i].name.c_str(),
                levers[i].cost_per_unit_usd,
                levers[i].priced_by_run ? " of total_cost_usd, priced by the run" : "",
                models::format_number(levers[i].min).c_str(),
                models::format_number(levers[i].max).c_str());
  }
  std::printf("%14s", "budget");
  for (std::size_t i = 0; i < levers.size(); ++i)
    std::printf(" %10s", ("lever " + std::to_string(i + 1)).c_str());
  std::printf(" %12s %25s %25s %9s %14s %6s\n", "objective", "95% CI", "lead over runner-up",
              "not worse", "run's cost", "runs");
  for (const models::BudgetOutcome& b : frontier) {
    std::printf("%14.0f", b.budget);
    for (const double v : b.best_allocation().values) std::printf(" %10.4g", v);
    char ci[64], lead[64];
    std::snprintf(ci, sizeof ci, "[%.4g, %.4g]", b.best.ci_low, b.best.ci_high);
    std::snprintf(lead, sizeof lead, "%.3g [%.3g, %.3g]", b.advantage.mean, b.advantage.ci_low,
                  b.advantage.ci_high);
    std::printf(" %12.4g %25s %25s %9zu %13.0f%s %6llu\n", b.best.mean, ci,
                b.advantage.n > 0 ? lead : "-", b.not_worse.size(), b.reported_cost.mean,
                b.over_budget ? "!" : " ",
                static_cast<unsigned long long>(b.race.runs + b.confirmation.runs));
  }
  for (const models::BudgetOutcome& b : frontier) {
    if (b.over_budget) {
      log.warn(
          "chiptrail: at budget {}, every finalist's cost is significantly above it on fresh "
          "replications (marked !): the race's winner is shown; raise --replications or "
          "--initial-replications, or price the levers",
          models::format_number(b.budget));
    }
  }
  std::printf("%s\n",
              models::wrap_text(
                  "Objective, lead and cost are measured on " +
                      std::to_string(o.search.halving.max_replications) +
                      " fresh replications of the race's finalists: the race's own replications "
                      "favour what it chose. \"not worse\": the allocations (the best included) "
                      "whose paired difference from the best is not significant (one-sided, "
                      "Bonferroni over the finalists); more than one means the runs cannot "
                      "choose between them (allocations.csv lists them).",
                  96)
                  .c_str());
  if (!o.out.empty()) {
    try {
      std::filesystem::create_directories(o.out);
      models::write_output_set(o.out,
                               {{"frontier.csv", frontier_csv(levers, frontier, o.search.level)},
                                {"allocations.csv", allocations_csv(levers, frontier)}},
                               models::manifest_of(loaded->file, o.search.halving.max_replications,
                                                   loaded->file.message->seed(), o.command_line));
    } catch (const std::exception& e) {
      log.error("chiptrail: {}", e.what());
      return kIoError;
    }
  }
  return kOk;
}

}  // namespace

void add_optimize_command(CLI::App& app, const models::PolicyRegistry& registry,
                          const std::vector<std::string>& command_line, int& exit_code,
                          spdlog::logger& log) {
  auto o = std::make_shared<Options>();
  o->command_line = command_line;
  o->search.halving.max_replications = 64;
  o->search.halving.threads = std::max(1U, std::thread::hardware_concurrency());
  CLI::App* cmd = app.add_subcommand(
      "optimize", "Where to spend an enforcement budget over the scenario's levers");
  cmd->add_option("scenario", o->scenario, "Scenario file with `levers`")->required();
  cmd->add_option("--budget", o->search.budget, "Budget in USD over the horizon")
      ->required()
      ->check(positive_number());
  cmd->add_option("--maximize", o->maximize, "Metric to maximise (default chips_interdicted)");
  cmd->add_option("--minimize", o->minimize,
                  "Metric to minimise instead, e.g. chips_delivered_restricted");
  cmd->add_option("--divisions", o->search.divisions,
                  "Steps of the budget split: shares are multiples of 1/divisions")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--frontier", o->search.frontier_points,
                  "Budgets on the frontier: B/F, 2B/F, ..., B (and 0)")
      ->check(CLI::Range(1, 100));
  cmd->add_option("--replications", o->search.halving.max_replications,
                  "Replications of the finalists (the most any candidate gets)")
      ->check(CLI::Range(2, 10000000));
  cmd->add_option("--initial-replications", o->search.halving.initial_replications,
                  "Replications of every candidate in the first round")
      ->check(CLI::Range(2, 10000000));
  cmd->add_option("--eta", o->search.halving.eta, "Keep 1/eta of the candidates per round")
      ->check(CLI::Range(2, 100));
  cmd->add_option("--seed", o->seed, "Master seed (default: the scenario's)")
      ->check(whole_number(0, UINT64_MAX));
  cmd->add_option("--threads,-j", o->search.halving.threads, "Worker threads")
      ->check(CLI::Range(1U, 1024U));
  cmd->add_option("--out,-o", o->out, "Directory for frontier.csv, allocations.csv, manifest.json");
  cmd->callback([o, &registry, &exit_code, &log] { exit_code = run(*o, registry, log); });
}

}  // namespace chiptrail::cli
