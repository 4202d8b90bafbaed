#include "cli/infer_command.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "cli/executors.hpp"
#include "cli/exit_codes.hpp"
#include "cli/limit_options.hpp"
#include "cli/load_scenario.hpp"
#include "cli/number_options.hpp"
#include "models/inference/infer.hpp"
#include "models/output/atomic_file.hpp"
#include "models/output/manifest.hpp"
#include "models/output/output_set.hpp"
#include "models/output/text_format.hpp"
#include "models/scenario/input_error.hpp"

namespace chiptrail::cli {
namespace {

struct Options {
  std::string scenario;
  std::string observed;
  std::string out;
  unsigned threads = std::max(1U, std::thread::hardware_concurrency());
  std::optional<std::uint64_t> seed;
  models::InferenceOptions run;
  std::vector<std::string> command_line;
};

struct Quantity {
  std::string name;
  std::string kind;  // "parameter" or "predictive"
  std::vector<double> values;
};

// Kish's effective sample size of normalised weights.
double effective_size(const std::vector<double>& w) {
  double sum_sq = 0;
  for (const double x : w) sum_sq += x * x;
  return sum_sq > 0 ? 1.0 / sum_sq : 0.0;
}

// posterior_summary.csv: per quantity its weighted mean, sd and quantiles, and each quantile's
// Monte Carlo standard error (sim::weighted_quantile_error).
std::string summary_csv(const std::vector<Quantity>& quantities, const std::vector<double>& w) {
  std::string out = "quantity,kind,mean,sd,p2_5,p50,p97_5,p2_5_mc_se,p50_mc_se,p97_5_mc_se\n";
  for (const Quantity& q : quantities) {
    double mean = 0, second = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
      mean += w[i] * q.values[i];
      second += w[i] * q.values[i] * q.values[i];
    }
    const double sd = std::sqrt(std::max(0.0, second - mean * mean));
    out += models::csv_field(q.name) + "," + q.kind + "," + models::format_number(mean) + "," +
           models::format_number(sd);
    for (const double p : {0.025, 0.5, 0.975}) {
      out += "," + models::format_number(sim::weighted_quantile(q.values, w, p));
    }
    for (const double p : {0.025, 0.5, 0.975}) {
      out += "," + models::format_number(sim::weighted_quantile_error(q.values, w, p));
    }
    out += "\n";
  }
  return out;
}

// Warnings for parameters whose 95% interval's ends move by more than a tenth of its width
// from one population to another of the same size (their Monte Carlo error is that large).
void warn_of_quantile_error(const std::vector<Quantity>& quantities, const std::vector<double>& w,
                            spdlog::logger& log) {
  const double ess = effective_size(w);
  for (const Quantity& q : quantities) {
    if (q.kind != "parameter") continue;
    const double width =
        sim::weighted_quantile(q.values, w, 0.975) - sim::weighted_quantile(q.values, w, 0.025);
    const double error = std::max(sim::weighted_quantile_error(q.values, w, 0.025),
                                  sim::weighted_quantile_error(q.values, w, 0.975));
    if (width > 0 && error > 0.1 * width) {
      log.warn(
          "chiptrail: the 95% interval of {} rests on few particles (effective sample {:.0f}): "
          "its ends have a Monte Carlo error of {} ({:.0f}% of its width); raise --particles",
          q.name, ess, models::format_number(error), 100 * error / width);
    }
  }
}

// The observations describe a steady state: a warning when the simulations count theirs
// before the model's start-up transient ends (models::Inference::transient).
void warn_of_short_warmup(const models::Inference& r, spdlog::logger& log) {
  if (!r.warmup_too_short()) return;
  if (!r.transient.settled) {
    log.warn(
        "chiptrail: at the priors' medians the model does not settle within half of a pilot "
        "four times a simulation's length, at least ten years (MSER on monthly diverted, flagged "
        "and interdicted "
        "lots): the observations are compared with a world still changing; read the posterior "
        "as that of the observed period, not of a steady state");
    return;
  }
  log.warn(
      "chiptrail: at the priors' medians the model's start-up transient lasts about {} days "
      "(MSER on monthly diverted, flagged and interdicted lots), longer than the scenario's "
      "warm-up of {} days: the counts simulated for the observation period are not yet those "
      "of the steady state the observations describe; raise warmup_days to at least {}",
      models::format_number(std::round(r.transient_days())), models::format_number(r.warmup_days),
      models::format_number(std::ceil(r.transient_days())));
}

int infer(const Options& o, const models::PolicyRegistry& registry, spdlog::logger& log) {
  std::optional<LoadedScenario> loaded;
  if (const int code = load_scenario(o.scenario, registry, loaded, log); code != kOk) return code;
  std::optional<models::Observations> observations;
  if (const int code = load_or_report(
          o.observed, [&] { observations.emplace(models::load_observations(o.observed)); }, log);
      code != kOk) {
    return code;
  }
  models::InferenceOptions options = o.run;
  options.abc.seed = o.seed.value_or(loaded->world.seed);
  // Batches run on threads, or under mpirun on the worker ranks: every rank runs this same
  // inference (the same draws from the same seed), rank 0 hands out each batch's simulations
  // and broadcasts their results, and only rank 0 writes.
  const std::unique_ptr<models::Executor> executor =
      make_executor(o.threads, /*report_counts=*/false);
  models::Inference result;
  try {
    result = models::infer(loaded->file, *observations, registry, options, *executor);
  } catch (const models::InvalidInput& e) {
    for (const models::InputError& err : e.errors()) log.error("{}", err.to_string());
    return kDataError;
  } catch (const std::invalid_argument& e) {
    log.error("chiptrail: {}", e.what());
    return kDataError;
  }

  if (!executor->coordinates()) return kOk;  // rank 0 reports

  const sim::AbcPopulation& pop = result.abc.population;
  std::vector<Quantity> quantities;
  for (std::size_t a = 0; a < result.parameters.size(); ++a) {
    Quantity q{result.parameters[a], "parameter", {}};
    for (const auto& theta : pop.parameters) q.values.push_back(theta[a]);
    quantities.push_back(std::move(q));
  }
  for (std::size_t m = 0; m < result.predictive_names.size(); ++m) {
    Quantity q{result.predictive_names[m] + "_per_year", "predictive", {}};
    for (const auto& v : result.predictive) q.values.push_back(v[m]);
    quantities.push_back(std::move(q));
  }
  const std::string summary = summary_csv(quantities, pop.weights);

  std::string rounds =
      "round,tolerance,proposed,simulated,accepted,acceptance_rate,"
      "effective_sample_size\n";
  for (std::size_t r = 0; r < result.abc.rounds.size(); ++r) {
    const sim::AbcRound& x = result.abc.rounds[r];
    rounds +=
        std::to_string(r) + "," + models::format_number(x.tolerance) + "," +
        std::to_string(x.proposed) + "," + std::to_string(x.simulated) + "," +
        std::to_string(x.accepted) + "," +
        models::format_number(static_cast<double>(x.accepted) / static_cast<double>(x.simulated)) +
        "," + models::format_number(x.effective_sample_size) + "\n";
  }
  std::string posterior = "particle,weight";
  for (const Quantity& q : quantities) posterior += "," + models::csv_field(q.name);
  posterior += ",distance";
  for (const std::string& s : result.statistics)
    posterior += "," + models::csv_field("simulated." + s);
  posterior += "\n";
  for (std::size_t i = 0; i < pop.parameters.size(); ++i) {
    posterior += std::to_string(i) + "," + models::format_number(pop.weights[i]);
    for (const Quantity& q : quantities) posterior += "," + models::format_number(q.values[i]);
    posterior += "," + models::format_number(pop.distances[i]);
    for (const double s : pop.statistics[i]) posterior += "," + models::format_number(s);
    posterior += "\n";
  }

  // The posterior predictive check: would the fitted model reproduce each observation?
  std::string check =
      "statistic,weight,observed,predictive_mean,predictive_p2_5,predictive_p97_5,p_value\n";
  for (std::size_t s = 0; s < result.statistics.size(); ++s) {
    const models::PredictiveCheck& c = result.checks[s];
    check += models::csv_field(result.statistics[s]) + "," +
             models::format_number(result.weights[s]) + "," +
             models::format_number(result.observed[s]) + "," + models::format_number(c.mean) + "," +
             models::format_number(c.low) + "," + models::format_number(c.high) + "," +
             models::format_number(c.p_value) + "\n";
  }

  // stdout: the posterior at a glance.
  const sim::AbcRound& last = result.abc.rounds.back();
  std::printf("%s given %s: %zu particles, %zu rounds, %llu simulations, final tolerance %.4g\n",
              o.scenario.c_str(), o.observed.c_str(), pop.parameters.size(),
              result.abc.rounds.size(), static_cast<unsigned long long>(result.abc.simulations),
              last.tolerance);
  std::fputs(summary.c_str(), stdout);
  warn_of_quantile_error(quantities, pop.weights, log);
  warn_of_short_warmup(result, log);
  std::printf(
      "posterior predictive check (observed; predictive mean and 95%%; p-value; these "
      "reuse the data the posterior was fitted to, so they rarely reject: a small p says "
      "the model cannot reproduce the observation, a large one proves little):\n");
  for (std::size_t s = 0; s < result.statistics.size(); ++s) {
    const models::PredictiveCheck& c = result.checks[s];
    std::printf("  %s: %.4g; %.4g (%.4g-%.4g); p = %.3g\n", result.statistics[s].c_str(),
                result.observed[s], c.mean, c.low, c.high, c.p_value);
  }

  if (!o.out.empty()) {
    try {
      std::filesystem::create_directories(o.out);
      v1::Manifest manifest = models::manifest_of(loaded->file, result.abc.simulations,
                                                  options.abc.seed, o.command_line);
      manifest.set_observations_path(o.observed);
      manifest.set_observations_fnv1a64(models::fnv1a64_hex(observations->text));
      manifest.set_period_days(observations->period_days);
      for (std::size_t i = 0; i < result.statistics.size(); ++i) {
        v1::ObservedCount& count = *manifest.add_observed();
        count.set_metric(result.statistics[i]);
        count.set_count(result.observed[i]);
        if (result.weights[i] != 1) count.set_weight(result.weights[i]);
      }
      manifest.set_particles(pop.parameters.size());
      if (observations->window_opens) manifest.set_reporting_lead_days(result.lead_days);
      manifest.set_warmup_days(result.warmup_days);
      if (result.transient.assessed) {
        manifest.set_transient_days(result.transient_days());
        manifest.set_transient_settled(result.transient.settled);
      }
      models::write_output_set(o.out,
                               {{"posterior.csv", posterior},
                                {"posterior_summary.csv", summary},
                                {"rounds.csv", rounds},
                                {"posterior_check.csv", check}},
                               std::move(manifest));
    } catch (const std::exception& e) {
      log.error("chiptrail: {}", e.what());
      return kIoError;
    }
  }
  return kOk;
}

}  // namespace

void add_infer_command(CLI::App& app, const models::PolicyRegistry& registry,
                       const std::vector<std::string>& command_line, int& exit_code,
                       spdlog::logger& log) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "infer",
      "Posterior of the scenario's uncertain parameters given observed counts or a "
      "public record (approximate Bayesian computation, ABC-SMC)");
  cmd->add_option("scenario", o->scenario, "Scenario file whose `uncertain` entries are priors")
      ->required();
  cmd->add_option("--observed", o->observed, "Observations file (.textproto)")->required();
  cmd->add_option("--particles", o->run.abc.particles, "Population size")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{10}, std::size_t{1000000}));
  cmd->add_option("--rounds", o->run.abc.max_rounds, "Most rounds (the prior is round 0)")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{100}));
  cmd->add_option("--quantile", o->run.abc.quantile,
                  "Next tolerance: this quantile of the last population's distances")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 0.95));
  cmd->add_option("--min-acceptance", o->run.abc.min_acceptance,
                  "Stop once a round accepts fewer than this share of its proposals")
      ->capture_default_str()
      ->check(CLI::Range(0.001, 1.0));
  cmd->add_option("--seed", o->seed, "Master seed (default: the scenario's)")
      ->check(whole_number(0, UINT64_MAX));
  cmd->add_option("--threads,-j", o->threads, "Worker threads (results do not depend on it)")
      ->check(CLI::Range(1U, 1024U));
  cmd->add_option("--out,-o", o->out,
                  "Directory for posterior.csv, posterior_summary.csv, posterior_check.csv, "
                  "rounds.csv, manifest.json");
  add_limit_options(cmd, o->run.limits);
  cmd->callback([o, &registry, &command_line, &exit_code, &log] {
    o->command_line = command_line;
    exit_code = infer(*o, registry, log);
  });
}

}  // namespace chiptrail::cli
