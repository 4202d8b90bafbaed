#include "cli/compare_command.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include "chiptrail/v1/results.pb.h"
#include "cli/exit_codes.hpp"
#include "cli/limit_options.hpp"
#include "cli/load_scenario.hpp"
#include "cli/number_options.hpp"
#include "cli/run_outputs.hpp"
#include "cli/time_options.hpp"
#include "models/experiment/replications.hpp"
#include "models/metric_glossary.hpp"
#include "models/output/glossary_text.hpp"
#include "models/output/manifest.hpp"
#include "models/output/output_set.hpp"
#include "models/output/plain_reading.hpp"
#include "models/output/text_format.hpp"

namespace chiptrail::cli {
namespace {

struct CompareOptions {
  std::string base;
  std::vector<std::string> variants;
  std::optional<std::uint32_t> replications;
  std::optional<std::uint64_t> seed;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  std::string out;
  std::vector<std::string> metrics;  // empty: the headline rows
  bool all = false;
  models::ResourceLimits limits;
  TimeOptions time;
  std::vector<std::string> command_line;
};

// What one scenario of the comparison is called in tables and files: its name, else its path;
// made unique with its position when two share one.
std::vector<std::string> labels_of(const std::vector<const LoadedScenario*>& scenarios,
                                   const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    std::string label = scenarios[i]->world.name.empty() ? paths[i] : scenarios[i]->world.name;
    if (!seen.insert(label).second) label += " (" + std::to_string(i) + ")";
    seen.insert(label);
    out.push_back(label);
  }
  return out;
}

const models::MetricSummary* find(const std::vector<models::MetricSummary>& list,
                                  const std::string& metric) {
  const auto it = std::find_if(list.begin(), list.end(),
                               [&](const models::MetricSummary& s) { return s.metric == metric; });
  return it == list.end() ? nullptr : &*it;
}

// A value with its interval; `absent` says why there is none when the arm lacks the metric.
std::string with_interval(const models::MetricSummary* s, const char* absent) {
  if (s == nullptr) return absent;
  if (s->n == 0) return "-";
  return fixed(s->mean) + " [" + fixed(s->ci_low) + ", " + fixed(s->ci_high) + "]";
}

// Every metric some arm reports, the base's first, then each variant's new ones in its order:
// a variant's own measure or route has metrics the base does not.
std::vector<std::string> union_of_metrics(const models::VariantComparison& c) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  const auto add = [&](const std::vector<models::MetricSummary>& summary) {
    for (const models::MetricSummary& s : summary) {
      if (seen.insert(s.metric).second) out.push_back(s.metric);
    }
  };
  add(c.baseline.summary);
  for (const models::ReplicationSet& v : c.variants) add(v.summary);
  return out;
}

// The metrics the table shows: every metric of any arm (--all), those asked for (--metrics),
// or the headline rows, in that order; the headline rows only where some arm reports them.
std::vector<std::string> shown_metrics(const CompareOptions& o,
                                       const models::VariantComparison& c) {
  const std::vector<std::string> all = union_of_metrics(c);
  if (o.all) return all;
  std::vector<std::string> wanted = o.metrics.empty() ? models::headline_metrics() : o.metrics;
  std::erase_if(wanted, [&](const std::string& m) {
    return std::find(all.begin(), all.end(), m) == all.end();
  });
  return wanted;
}

std::string table(const CompareOptions& o, const models::VariantComparison& c,
                  const std::vector<std::string>& labels, double level) {
  const std::vector<std::string> metrics = shown_metrics(o, c);
  std::size_t width = 6;
  for (const std::string& m : metrics) width = std::max(width, m.size());
  const int w = static_cast<int>(width);
  std::string out;
  char line[1024];
  for (std::size_t v = 0; v < c.variants.size(); ++v) {
    out += (v > 0 ? "\n" : "") + labels[v + 1] + " against " + labels[0] +
           " (base): " + std::to_string(c.baseline.runs.size()) +
           " paired replications, intervals at " + models::format_number(level * 100) + "%\n";
    std::snprintf(line, sizeof line, "%-*s  %-36s  %-36s  %s\n", w, "metric", "base", "variant",
                  "difference (variant - base)");
    out += line;
    for (const std::string& m : metrics) {
      std::snprintf(
          line, sizeof line, "%-*s  %-36s  %-36s  %s\n", w, m.c_str(),
          with_interval(find(c.baseline.summary, m), "- (not in this scenario)").c_str(),
          with_interval(find(c.variants[v].summary, m), "- (not in this scenario)").c_str(),
          with_interval(find(c.differences[v], m), "- (not in both)").c_str());
      out += line;
    }
  }
  return out;
}

// compare.csv: per scenario and metric, its summary, and for a variant its paired difference to
// the base (empty for the base itself).
std::string compare_csv(const models::VariantComparison& c, const std::vector<std::string>& labels,
                        double level) {
  std::string out =
      "scenario,role,metric,n,mean,ci_low,ci_high,difference_n,difference_mean,"
      "difference_ci_low,difference_ci_high,ci_level\n";
  const std::vector<std::string> metrics = union_of_metrics(c);
  const auto rows = [&](const std::string& label, const char* role,
                        const std::vector<models::MetricSummary>& summary,
                        const std::vector<models::MetricSummary>* difference) {
    for (const std::string& metric : metrics) {
      const models::MetricSummary* s = find(summary, metric);
      const models::MetricSummary* d = difference ? find(*difference, metric) : nullptr;
      out += models::csv_field(label) + "," + role + "," + models::csv_field(metric) + ",";
      out += s ? std::to_string(s->n) + "," + models::format_number(s->mean) + "," +
                     models::format_number(s->ci_low) + "," + models::format_number(s->ci_high)
               : "0,,,";
      out += ",";
      out += d ? std::to_string(d->n) + "," + models::format_number(d->mean) + "," +
                     models::format_number(d->ci_low) + "," + models::format_number(d->ci_high)
               : ",,,";
      out += "," + models::format_number(level) + "\n";
    }
  };
  rows(labels[0], "base", c.baseline.summary, nullptr);
  for (std::size_t v = 0; v < c.variants.size(); ++v) {
    rows(labels[v + 1], "variant", c.variants[v].summary, &c.differences[v]);
  }
  return out;
}

// timeseries_summary.csv of every scenario, a `scenario` column first.
std::string timeseries_csv(const models::VariantComparison& c,
                           const std::vector<std::string>& labels, const models::RunConfig& config,
                           double level) {
  std::string out;
  const auto add = [&](const std::string& label, const models::ReplicationSet& set) {
    RunReport report;
    report.periods = set.periods;
    report.ci_level = level;
    report.period_days = config.period.to_days();
    std::istringstream lines(timeseries_summary_csv(report));
    std::string row;
    std::getline(lines, row);  // the header
    if (out.empty()) out = "scenario," + row + "\n";
    while (std::getline(lines, row)) out += models::csv_field(label) + "," + row + "\n";
  };
  add(labels[0], c.baseline);
  for (std::size_t v = 0; v < c.variants.size(); ++v) add(labels[v + 1], c.variants[v]);
  return out;
}

// period_effects.csv: per variant and counted period, the paired effect on the compute
// delivered, with the variant's test of equal effects and its transient (repeated per row).
std::string period_effects_csv(const models::VariantComparison& c,
                               const std::vector<std::string>& labels, double level) {
  std::string out =
      "scenario,period,start_day,end_day,metric,n,mean_difference,ci_low,ci_high,ci_level,"
      "equal_effects_p,transient_days\n";
  for (std::size_t v = 0; v < c.period_effects.size(); ++v) {
    const models::PeriodEffects& e = c.period_effects[v];
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double p = e.equal_effects.valid ? e.equal_effects.p_value : nan;
    const double transient = e.transient_assessed ? e.transient_days() : nan;
    for (std::size_t i = 0; i < e.by_period.size(); ++i) {
      const models::MetricSummary& s = e.by_period[i];
      const auto k = static_cast<double>(e.first_period + i);
      out += models::csv_field(labels[v + 1]) + "," + std::to_string(e.first_period + i) + "," +
             models::format_number(k * e.period_days) + "," +
             models::format_number((k + 1) * e.period_days) + "," + e.metric + "," +
             std::to_string(s.n) + "," + models::format_number(s.mean) + "," +
             models::format_number(s.ci_low) + "," + models::format_number(s.ci_high) + "," +
             models::format_number(level) + "," + models::format_number(p) + "," +
             models::format_number(transient) + "\n";
    }
  }
  return out;
}

int compare(const CompareOptions& o, const models::PolicyRegistry& registry, spdlog::logger& log) {
  for (const std::string& m : o.metrics) {
    if (models::find_metric(m) == nullptr) {
      log.error("chiptrail: --metrics: unknown metric \"{}\"{} (see `chiptrail metrics`)", m,
                models::rename_hint(m));
      return kUsage;
    }
  }
  std::vector<std::string> paths{o.base};
  paths.insert(paths.end(), o.variants.begin(), o.variants.end());
  std::vector<LoadedScenario> loaded;
  loaded.reserve(paths.size());
  int code = kOk;
  for (const std::string& path : paths) {  // every file's errors, not only the first's
    std::optional<LoadedScenario> one;
    if (const int c = load_scenario(path, registry, one, log); c != kOk) {
      code = code == kOk ? c : code;
      continue;
    }
    loaded.push_back(std::move(*one));
  }
  if (code != kOk) return code;

  const models::World& base = loaded[0].world;
  models::RunConfig config = models::default_run(base);
  if (o.seed) config.seed = *o.seed;
  if (o.replications) config.replications = *o.replications;
  config.limits = o.limits;
  if (!apply_time_options(o.time, base, config, log)) return kUsage;
  std::vector<const models::World*> variants;
  std::vector<const LoadedScenario*> scenarios;
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    if (i > 0) variants.push_back(&loaded[i].world);
    scenarios.push_back(&loaded[i]);
  }
  const std::vector<std::string> labels = labels_of(scenarios, paths);
  models::VariantComparison result;
  models::ReplicationRequest request;
  try {
    models::Execution execution;
    execution.threads = o.threads;
    result = models::compare_variants(base, variants, config, execution, request);
  } catch (const models::ResourceLimitExceeded& e) {
    log.error("chiptrail: {}", e.what());
    return kDataError;
  }
  // A metric asked for by name that no arm reports is an error of the inputs, not an empty row.
  const std::vector<std::string> reported = union_of_metrics(result);
  for (const std::string& m : o.metrics) {
    if (std::find(reported.begin(), reported.end(), m) == reported.end()) {
      log.error("chiptrail: --metrics: no scenario of the comparison reports \"{}\"", m);
      return kDataError;
    }
  }
  std::fputs(table(o, result, labels, request.level).c_str(), stdout);
  for (std::size_t v = 0; v < result.variants.size(); ++v) {
    const std::string reading = models::describe_period_effects(result.period_effects[v]);
    if (!reading.empty()) {
      std::printf("\n%s\n", models::wrap_text(labels[v + 1] + ": " + reading, 96).c_str());
    }
  }
  // What the yearly figures of the comparison estimate: the base's declaration, and any
  // variant's that differs.
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    const models::World& w = loaded[i].world;
    if (i > 0 && w.estimand == base.estimand) continue;
    const std::string said = models::describe_estimand({config.replications, w.horizon.to_days(),
                                                        config.warmup.to_days(), request.level,
                                                        w.estimand, w.warmup.to_days()});
    if (!said.empty()) {
      std::printf("\n%s\n", models::wrap_text(labels[i] + ": " + said, 96).c_str());
    }
  }
  std::fflush(stdout);
  if (o.out.empty()) return kOk;
  try {
    std::filesystem::create_directories(o.out);
    v1::Manifest manifest =
        models::manifest_of(loaded[0].file, config.replications, config.seed, o.command_line);
    manifest.set_period_days(config.period.to_days());
    manifest.set_warmup_days(config.warmup.to_days());
    for (std::size_t v = 0; v < result.period_effects.size(); ++v) {
      const models::PeriodEffects& e = result.period_effects[v];
      v1::PeriodEffectsCheck& check = *manifest.add_period_effects();
      check.set_variant(labels[v + 1]);
      check.set_metric(e.metric);
      check.set_period_days(e.period_days);
      check.set_periods_counted(e.by_period.size());
      if (e.equal_effects.valid) check.set_equal_effects_p(e.equal_effects.p_value);
      if (e.transient_assessed) {
        check.set_transient_days(e.transient_days());
        check.set_transient_settled(e.transient_settled);
      }
    }
    for (std::size_t i = 1; i < loaded.size(); ++i) {
      v1::InputFile* input = manifest.add_variants();
      input->set_path(loaded[i].file.path);
      input->set_fnv1a64(models::fnv1a64_hex(loaded[i].file.text));
    }
    models::write_output_set(
        o.out,
        {{"compare.csv", compare_csv(result, labels, request.level)},
         {"timeseries_summary.csv", timeseries_csv(result, labels, config, request.level)},
         {"period_effects.csv", period_effects_csv(result, labels, request.level)},
         {"glossary.csv", models::glossary_text("csv")}},
        manifest);
  } catch (const std::exception& e) {
    log.error("chiptrail: {}", e.what());
    return kIoError;
  }
  return kOk;
}

}  // namespace

void add_compare_command(CLI::App& app, const models::PolicyRegistry& registry,
                         const std::vector<std::string>& command_line, int& exit_code,
                         spdlog::logger& log) {
  auto o = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compare",
      "Scenarios against a base on common random numbers: each metric's value and its paired "
      "difference to the base, with 95% CIs");
  cmd->add_option("base", o->base, "The base scenario")->required();
  cmd->add_option("variants", o->variants, "The scenarios compared with it")->required();
  cmd->add_option("--replications,-n", o->replications,
                  "Replications of each (default: the base's, else 100)")
      ->check(whole_number(2, 1000000));
  cmd->add_option("--seed", o->seed, "Master seed (default: the base's)")
      ->check(whole_number(0, UINT64_MAX));
  cmd->add_option("--threads,-j", o->threads, "Worker threads (results do not depend on it)")
      ->check(CLI::Range(1U, 1024U));
  cmd->add_option("--metrics", o->metrics,
                  "Metrics to show (default: the headline rows; `chiptrail metrics` lists all)")
      ->delimiter(',');
  cmd->add_flag("--all", o->all, "Show every metric of the base");
  cmd->add_option("--out,-o", o->out,
                  "Directory for compare.csv, timeseries_summary.csv, period_effects.csv, "
                  "glossary.csv, "
                  "manifest.json (`chiptrail report` renders it)");
  add_time_options(cmd, o->time);
  add_limit_options(cmd, o->limits);
  cmd->callback([o, &registry, &command_line, &exit_code, &log] {
    o->command_line = command_line;
    exit_code = compare(*o, registry, log);
  });
}

}  // namespace chiptrail::cli
