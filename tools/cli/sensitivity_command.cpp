#include "cli/sensitivity_command.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "chiptrail/v1/results.pb.h"
#include "cli/exit_codes.hpp"
#include "cli/number_options.hpp"
#include "models/metric_glossary.hpp"
#include "models/output/atomic_file.hpp"
#include "models/output/manifest.hpp"
#include "models/output/message_json.hpp"
#include "models/output/output_set.hpp"
#include "models/output/text_format.hpp"
#include "sim/analysis/sensitivity.hpp"

namespace chiptrail::cli {
namespace {

struct Options {
  std::string dir;
  std::size_t bootstrap = 1000;
  std::uint64_t seed = 1;
};

// Per metric, per point id, the value of every replication, from the sweep's runs.csv; empty
// when the file is missing or its points ran different numbers of replications (then the
// indices are computed from the point means alone, with nothing to correct for noise).
std::map<std::string, std::vector<std::vector<double>>> read_replications(
    const std::string& dir, const std::vector<std::string>& metrics, std::size_t points) {
  std::map<std::string, std::vector<std::vector<double>>> out;
  std::ifstream in(dir + "/runs.csv");
  std::string line;
  if (!in || !std::getline(in, line)) return {};
  const std::vector<std::string> header = models::split_csv(line);
  std::map<std::string, std::size_t> column;
  for (std::size_t c = 0; c < header.size(); ++c) column[header[c]] = c;
  if (!column.count("point_id")) return {};
  std::vector<std::pair<std::string, std::size_t>> wanted;
  for (const std::string& m : metrics) {
    if (column.count(m)) wanted.emplace_back(m, column[m]);
    out[m].resize(points);
  }
  while (std::getline(in, line)) {
    const std::vector<std::string> fields = models::split_csv(line);
    if (fields.size() != header.size()) return {};
    char* end = nullptr;
    const unsigned long long p = std::strtoull(fields[column["point_id"]].c_str(), &end, 10);
    if (p >= points) return {};
    for (const auto& [metric, c] : wanted) {
      out[metric][p].push_back(std::strtod(fields[c].c_str(), &end));
    }
  }
  for (const auto& [metric, by_point] : out) {
    for (const std::vector<double>& values : by_point) {
      if (values.empty() || values.size() != by_point.front().size()) return {};
    }
  }
  return out;
}

int run(const Options& o, spdlog::logger& log) {
  v1::Manifest manifest;
  std::ifstream summary_in(o.dir + "/summary.json");
  if (!models::read_manifest(o.dir, manifest) || !summary_in) {
    log.error("chiptrail: {}: no readable manifest.json and summary.json (not a finished sweep?)",
              o.dir);
    return kNoInput;
  }
  if (const std::string problem = models::check_output_set(o.dir); !problem.empty()) {
    log.error("chiptrail: {}", problem);
    return kDataError;
  }
  std::stringstream text;
  text << summary_in.rdbuf();
  v1::SweepSummary summary;
  if (!models::parse_message_json(text.str(), summary)) {
    log.error("chiptrail: {}/summary.json is not a sweep's summary", o.dir);
    return kDataError;
  }
  const std::string& design = summary.design();
  if (design != "saltelli" && design != "morris") {
    log.error("chiptrail: {} is a {} sweep; sensitivity needs a saltelli or morris design", o.dir,
              design);
    return kDataError;
  }
  const std::vector<std::string> factors(summary.factors().begin(), summary.factors().end());
  const std::size_t k = factors.size();
  std::vector<std::vector<double>> points;       // factor values by point id
  std::vector<std::vector<double>> unit_points;  // the same in the unit hypercube, if written
  std::map<std::string, std::vector<double>> y;  // metric -> mean by point id
  std::vector<std::string> metric_order;
  for (const v1::SweepPoint& point : summary.points()) {
    const auto p = static_cast<std::size_t>(point.point_id());
    if (point.values_size() != static_cast<int>(k) ||
        p >= static_cast<std::size_t>(summary.points_size())) {
      log.error("chiptrail: {}/summary.json: point {} does not fit the design", o.dir, p);
      return kDataError;
    }
    if (points.size() <= p) points.resize(p + 1);
    points[p].assign(point.values().begin(), point.values().end());
    if (point.unit_size() == static_cast<int>(k)) {
      if (unit_points.size() <= p) unit_points.resize(p + 1);
      unit_points[p].assign(point.unit().begin(), point.unit().end());
    }
    for (const v1::MetricSummary& m : point.metrics()) {
      if (!y.count(m.metric())) metric_order.push_back(m.metric());
      auto& values = y[m.metric()];
      if (values.size() <= p) values.resize(p + 1, std::numeric_limits<double>::quiet_NaN());
      values[p] = m.mean();
    }
  }
  for (auto& [metric, values] : y) {
    values.resize(points.size(), std::numeric_limits<double>::quiet_NaN());
  }

  std::string csv, table;
  char buf[512];
  if (design == "saltelli") {
    const auto replications = read_replications(o.dir, metric_order, points.size());
    if (replications.empty()) {
      log.warn(
          "chiptrail: {}/runs.csv unreadable: indices from the point means, not corrected "
          "for replication noise",
          o.dir);
    }
    csv =
        "metric,factor,first_order,first_low,first_high,total,total_low,total_high,"
        "noise_share\n";
    for (const std::string& metric : metric_order) {
      const std::vector<double>& v = y[metric];
      bool defined = true;
      for (const double x : v) defined &= std::isfinite(x);
      if (!defined) continue;  // e.g. a rate with no lots at some point
      // A rate's point value is pooled over the replications, not their mean: it has no
      // per-replication noise to subtract.
      const models::MetricInfo* info = models::find_metric(metric);
      const bool rate = info != nullptr && info->is_ratio();
      sim::SobolResult result;
      double noise_share = std::numeric_limits<double>::quiet_NaN();
      if (!rate && !replications.empty()) {
        result = sim::sobol_indices(replications.at(metric), k, o.bootstrap, o.seed);
        noise_share = result.noise_share;
      } else {
        result.indices = sim::sobol_indices(v, k, o.bootstrap, o.seed);
      }
      const std::vector<sim::SobolIndex>& idx = result.indices;
      table += metric;
      if (std::isfinite(noise_share)) {
        std::snprintf(buf, sizeof buf, "  (replication noise %.0f%% of the variance, corrected%s)",
                      100 * noise_share,
                      noise_share > 0.5 ? "; it dominates: run more replications per point" : "");
        table += buf;
      }
      table += "\n";
      for (std::size_t f = 0; f < k; ++f) {
        const sim::SobolIndex& s = idx[f];
        csv += models::csv_field(metric) + "," + models::csv_field(factors[f]) + "," +
               models::format_number(s.first) + "," + models::format_number(s.first_ci.low) + "," +
               models::format_number(s.first_ci.high) + "," + models::format_number(s.total) + "," +
               models::format_number(s.total_ci.low) + "," +
               models::format_number(s.total_ci.high) + "," + models::format_number(noise_share) +
               "\n";
        std::snprintf(buf, sizeof buf,
                      "  %-28s S1 %7.3f [%7.3f, %7.3f]   ST %7.3f [%7.3f, %7.3f]\n",
                      factors[f].c_str(), s.first, s.first_ci.low, s.first_ci.high, s.total,
                      s.total_ci.low, s.total_ci.high);
        table += buf;
      }
    }
  } else {
    const std::size_t trajectories = points.size() / (k + 1);
    // Steps in the unit hypercube (the design's own coordinates, which summary.json records;
    // for older outputs, the value's change over the factor's range): effects per whole range,
    // or per the whole distribution of a factor drawn from `uncertain`, comparable between
    // factors of any units.
    const bool have_unit = unit_points.size() == points.size();
    std::vector<double> range(k, 1.0);
    const v1::Sweep& sweep = manifest.resolved_sweep();
    for (std::size_t f = 0; f < k && f < static_cast<std::size_t>(sweep.factors_size()); ++f) {
      const v1::Range& r = sweep.factors(static_cast<int>(f)).range();
      if (r.max() > r.min()) range[f] = r.max() - r.min();
    }
    std::vector<std::size_t> moved(points.size(), 0);
    std::vector<double> step(points.size(), 0.0);
    for (std::size_t p = 0; p < points.size(); ++p) {
      if (p % (k + 1) == 0) continue;
      for (std::size_t f = 0; f < k; ++f) {
        if (points[p][f] != points[p - 1][f]) {
          moved[p] = f;
          step[p] = have_unit ? unit_points[p][f] - unit_points[p - 1][f]
                              : (points[p][f] - points[p - 1][f]) / range[f];
        }
      }
    }
    csv = "metric,factor,mu,mu_star,mu_star_low,mu_star_high,sigma,effects\n";
    for (const std::string& metric : metric_order) {
      const std::vector<double>& v = y[metric];
      bool defined = true;
      for (const double x : v) defined &= std::isfinite(x);
      if (!defined) continue;
      const auto m = sim::morris_measures(v, moved, step, k, trajectories);
      table += metric + "\n";
      for (std::size_t f = 0; f < k; ++f) {
        csv += models::csv_field(metric) + "," + models::csv_field(factors[f]) + "," +
               models::format_number(m[f].mu) + "," + models::format_number(m[f].mu_star) + "," +
               models::format_number(m[f].mu_star_ci.low) + "," +
               models::format_number(m[f].mu_star_ci.high) + "," +
               models::format_number(m[f].sigma) + "," + std::to_string(m[f].effects) + "\n";
        std::snprintf(buf, sizeof buf,
                      "  %-28s mu %10.4g   mu* %10.4g [%10.4g, %10.4g]   sigma %10.4g\n",
                      factors[f].c_str(), m[f].mu, m[f].mu_star, m[f].mu_star_ci.low,
                      m[f].mu_star_ci.high, m[f].sigma);
        table += buf;
      }
    }
  }
  std::fputs(table.c_str(), stdout);
  try {
    models::write_file_atomically(o.dir + "/sensitivity.csv", csv);
  } catch (const std::exception& e) {
    log.error("chiptrail: {}", e.what());
    return kIoError;
  }
  return kOk;
}

}  // namespace

void add_sensitivity_command(CLI::App& app, int& exit_code, spdlog::logger& log) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("sensitivity",
                                     "Sobol indices (Saltelli sweep) or Morris "
                                     "measures (Morris sweep) from a sweep's outputs");
  cmd->add_option("dir", o->dir, "Output directory of a finished sweep")->required();
  cmd->add_option("--bootstrap", o->bootstrap, "Bootstrap resamples for the Sobol CIs")
      ->check(CLI::Range(0, 1000000));
  cmd->add_option("--seed", o->seed, "Seed of the bootstrap")->check(whole_number(0, UINT64_MAX));
  cmd->callback([o, &exit_code, &log] { exit_code = run(*o, log); });
}

}  // namespace chiptrail::cli
