#include "models/transient.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "models/metric_glossary.hpp"
#include "models/metrics_recorder.hpp"
#include "models/run_config.hpp"
#include "models/supply_chain_model.hpp"
#include "sim/analysis/steady_state.hpp"

namespace chiptrail::models {

namespace {

// Whether the batches of periods [from, to) of the replications differ from the level of
// periods [to, end): Hotelling's T^2 (sim::equal_means_test) on per replication the batches'
// means and the kept periods' mean, at 1%. Each batch is compared, not their average: an
// effect that overshoots and then undershoots averages out to the steady level. When the
// test cannot be made (fewer replications than batches), they count as differing.
bool differs(const ReplicatedSeries& output, std::size_t from, std::size_t to, std::size_t batch) {
  std::vector<std::vector<double>> rows;
  for (const std::vector<double>& row : output) {
    std::vector<double> means;
    for (std::size_t b = from; b < to; b += batch) {
      const std::size_t end = std::min(b + batch, to);
      means.push_back(std::accumulate(row.begin() + static_cast<std::ptrdiff_t>(b),
                                      row.begin() + static_cast<std::ptrdiff_t>(end), 0.0) /
                      static_cast<double>(end - b));
    }
    means.push_back(std::accumulate(row.begin() + static_cast<std::ptrdiff_t>(to), row.end(), 0.0) /
                    static_cast<double>(row.size() - to));
    rows.push_back(std::move(means));
  }
  const sim::EqualMeansTest test = sim::equal_means_test(rows);
  if (!test.valid) {
    // Constant series (no spread at all) are equal exactly when their means are.
    bool all_equal = true;
    for (const std::vector<double>& r : rows)
      for (const double m : r) all_equal = all_equal && m == r.back();
    return !all_equal;
  }
  return test.p_value < 0.01;
}

}  // namespace

Transient longest_transient(const std::vector<ReplicatedSeries>& outputs) {
  Transient out;
  if (outputs.empty() || outputs.front().empty() || outputs.front().front().size() < 10) {
    return out;
  }
  const std::size_t periods = outputs.front().front().size();
  const std::size_t batch = periods >= 100 ? 5 : 1;
  out.assessed = true;
  for (const ReplicatedSeries& output : outputs) {
    const sim::Truncation cut = sim::mser_truncation(averaged(output, periods), batch);
    out.settled = out.settled && cut.settled;
    std::size_t end = std::min(cut.deleted, periods - 1);
    if (output.size() >= 2) {
      // The earliest batch boundary from which the periods MSER deletes no longer differ from
      // those it keeps: the rest of what it deleted is noise.
      for (std::size_t start = 0; start < end; start += batch) {
        if (!differs(output, start, end, batch)) {
          end = start;
          break;
        }
      }
    }
    out.periods = std::max(out.periods, end);
  }
  return out;
}

std::vector<std::vector<double>> per_period(const std::vector<RunMetrics>& runs,
                                            const std::string& metric, std::size_t periods) {
  const std::vector<std::string>& names = period_metric_names();
  const auto found = std::find(names.begin(), names.end(), metric);
  if (found == names.end()) throw std::invalid_argument(metric + " is not a period metric");
  const auto column = static_cast<std::size_t>(found - names.begin());
  std::vector<std::vector<double>> out(runs.size(), std::vector<double>(periods, 0.0));
  for (std::size_t r = 0; r < runs.size(); ++r) {
    for (std::size_t k = 0; k < periods && k < runs[r].periods.size(); ++k) {
      out[r][k] = runs[r].periods[k][column];
    }
  }
  return out;
}

std::vector<double> averaged(const std::vector<std::vector<double>>& rows, std::size_t periods) {
  std::vector<double> out(periods, 0.0);
  for (const std::vector<double>& row : rows) {
    for (std::size_t k = 0; k < periods; ++k) out[k] += row[k];
  }
  for (double& v : out) v /= static_cast<double>(std::max<std::size_t>(1, rows.size()));
  return out;
}

double pilot_days(double days) {
  return std::max(4 * days, 10 * 365.0);
}

Transient pilot_transient(const World& world, std::uint64_t seed, const ResourceLimits& limits,
                          Executor& executor) {
  RunConfig config;
  config.seed = sim::hash_combine(seed, sim::stream_key("transient-pilot"));
  config.limits = limits;
  config.warmup = world.warmup;
  config.period = sim::Time::from_days(kPilotPeriodDays);
  const auto months = static_cast<std::size_t>(world.horizon.to_days() / kPilotPeriodDays);
  const std::vector<std::string> series = {"lots_diverted", "lots_flagged", "lots_interdicted"};
  const std::vector<std::vector<double>> rows = executor.run_batch(kPilotRuns, [&](std::size_t k) {
    MetricsRecorder recorder(world, config);
    const std::vector<RunMetrics> one{
        recorder.finish(simulate(world, config, k, recorder).pipeline)};
    std::vector<double> flat;
    for (const std::string& metric : series) {
      const std::vector<double> counts = per_period(one, metric, months).front();
      flat.insert(flat.end(), counts.begin(), counts.end());
    }
    return flat;
  });
  std::vector<ReplicatedSeries> outputs(series.size(), ReplicatedSeries(kPilotRuns));
  for (std::size_t r = 0; r < kPilotRuns; ++r) {
    for (std::size_t m = 0; m < series.size(); ++m) {
      const auto first = rows[r].begin() + static_cast<std::ptrdiff_t>(m * months);
      outputs[m][r].assign(first, first + static_cast<std::ptrdiff_t>(months));
    }
  }
  return longest_transient(outputs);
}

}  // namespace chiptrail::models
