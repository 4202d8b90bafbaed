#include "cli/uncertainty_command.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "cli/exit_codes.hpp"
#include "cli/load_scenario.hpp"
#include "cli/number_options.hpp"
#include "models/output/atomic_file.hpp"
#include "models/output/manifest.hpp"
#include "models/output/output_set.hpp"
#include "models/output/text_format.hpp"
#include "models/uncertainty.hpp"

namespace chiptrail::cli {
namespace {

struct Options {
  std::string scenario;
  std::string out;
  models::UncertaintyOptions run;
  std::vector<std::string> command_line;
};

// Every draw's world and every run's metrics are held in memory until the summary.
constexpr std::uint64_t kMaxRuns = 1'000'000;

int run(const Options& o, const models::PolicyRegistry& registry, spdlog::logger& log) {
  if (std::uint64_t{o.run.samples} * o.run.replications > kMaxRuns) {
    log.error(
        "chiptrail: --samples {} x --replications {} is more than 1,000,000 runs to hold in memory",
        o.run.samples, o.run.replications);
    return kUsage;
  }
  std::optional<LoadedScenario> loaded;
  if (const int code = load_scenario(o.scenario, registry, loaded, log); code != kOk) return code;
  std::vector<models::UncertaintySummary> result;
  try {
    result = models::run_uncertainty(loaded->file, registry, o.run);
  } catch (const std::invalid_argument& e) {
    log.error("chiptrail: {}", e.what());
    return kDataError;
  }
  std::string csv =
      "metric,samples,mean,p05,p50,p95,parameter_variance,stochastic_variance,parameter_share\n";
  std::printf("%s: %u parameter draws x %u replications\n", o.scenario.c_str(), o.run.samples,
              o.run.replications);
  std::printf("%-34s %12s %25s %12s\n", "metric", "mean", "90% band of draws", "from params");
  for (const models::UncertaintySummary& u : result) {
    const double total = u.parameter_variance + u.stochastic_variance;
    const double share = total > 0 ? u.parameter_variance / total : 0.0;
    csv += models::csv_field(u.metric) + "," + std::to_string(u.samples) + "," +
           models::format_number(u.mean) + "," + models::format_number(u.p05) + "," +
           models::format_number(u.p50) + "," + models::format_number(u.p95) + "," +
           models::format_number(u.parameter_variance) + "," +
           models::format_number(u.stochastic_variance) + "," + models::format_number(share) + "\n";
    char band[64];
    std::snprintf(band, sizeof band, "[%.4g, %.4g]", u.p05, u.p95);
    std::printf("%-34s %12.4g %25s %11.1f%%\n", u.metric.c_str(), u.mean, band, 100 * share);
  }
  if (!o.out.empty()) {
    try {
      std::filesystem::create_directories(o.out);
      v1::Manifest manifest =
          models::manifest_of(loaded->file, o.run.replications, o.run.seed, o.command_line);
      manifest.set_samples(o.run.samples);
      models::write_output_set(o.out, {{"uncertainty.csv", csv}}, std::move(manifest));
    } catch (const std::exception& e) {
      log.error("chiptrail: {}", e.what());
      return kIoError;
    }
  }
  return kOk;
}

}  // namespace

void add_uncertainty_command(CLI::App& app, const models::PolicyRegistry& registry,
                             const std::vector<std::string>& command_line, int& exit_code,
                             spdlog::logger& log) {
  auto o = std::make_shared<Options>();
  o->run.threads = std::max(1U, std::thread::hardware_concurrency());
  CLI::App* cmd = app.add_subcommand("uncertainty",
                                     "Second-order Monte Carlo over the scenario's "
                                     "uncertain parameters: variance by source");
  cmd->add_option("scenario", o->scenario, "Scenario file with `uncertain` entries")->required();
  cmd->add_option("--samples", o->run.samples, "Parameter draws (outer loop)")
      ->check(whole_number(2, 100000));
  cmd->add_option("--replications", o->run.replications, "Replications per draw (inner loop)")
      ->check(whole_number(2, 1000000));
  cmd->add_option("--seed", o->run.seed, "Master seed")->check(whole_number(0, UINT64_MAX));
  cmd->add_option("--threads,-j", o->run.threads, "Worker threads")->check(CLI::Range(1U, 1024U));
  cmd->add_option("--out,-o", o->out, "Directory for uncertainty.csv");
  cmd->callback([o, &registry, &command_line, &exit_code, &log] {
    o->command_line = command_line;
    exit_code = run(*o, registry, log);
  });
}

}  // namespace chiptrail::cli
