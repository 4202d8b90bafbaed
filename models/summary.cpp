#include "models/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "models/metric_glossary.hpp"
#include "sim/analysis/intervals.hpp"
#include "sim/running_stats.hpp"

namespace chiptrail::models {

namespace {
// The glossary's ratio metric of this name, or null.
const MetricInfo* find_rate(const std::string& name) {
  const MetricInfo* m = find_metric(name);
  return m != nullptr && m->is_ratio() ? m : nullptr;
}
// Counts of whole units: no count of them is less dispersed than a Poisson count.
bool counts_whole_units(const MetricInfo* m) {
  if (m == nullptr) return false;
  for (const char* unit : {"lots", "chips", "leases", "listings", "closures"}) {
    if (m->unit == unit) return true;
  }
  return false;
}

// The interval of a metric that is not a ratio, from its per-replication values.
void summarize_values(const sim::RunningStats& per_run, const MetricInfo* info, double level,
                      bool lots_independent, MetricSummary& s) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (per_run.count() == 0) {
    s.ci_low = s.ci_high = nan;
    s.ci_method = "student-t";
  } else if (per_run.count() > 1 && per_run.sd() == 0 && per_run.mean() != 0) {
    // A constant metric has a zero-width interval; say so rather than print -inf..inf.
    s.ci_low = s.ci_high = s.mean;
    s.ci_method = "student-t";
  } else if ((per_run.count() == 1 && per_run.max() != 0) || per_run.min() < 0) {
    // One replication knows no spread (the interval is unbounded); a metric negative somewhere
    // has no support for the gamma interval to respect.
    const sim::Interval ci = sim::student_t_interval(per_run, level);
    s.ci_low = ci.low;
    s.ci_high = ci.high;
    s.ci_method = "student-t";
  } else if (per_run.max() == 0) {
    // Nothing seen. For lots that are independent trials the count per replication is
    // (at most) Poisson, so the one-sided bound holds; one unseen event of anything else
    // could carry any number of chips or dollars, and nothing bounds that.
    s.ci_low = 0;
    s.ci_high = info != nullptr && info->unit == "lots" && lots_independent
                    ? sim::poisson_none_seen_upper(per_run.count(), level)
                    : nan;
    s.ci_method = "none-seen";
  } else {
    const sim::Interval ci =
        sim::gamma_interval(per_run, level, counts_whole_units(info) ? 1.0 : 0.0);
    s.ci_low = ci.low;
    s.ci_high = ci.high;
    s.ci_method = "gamma";
  }
}

}  // namespace

std::vector<MetricSummary> summarize(const std::vector<RunMetrics>& runs, double level,
                                     bool lots_independent) {
  std::vector<MetricSummary> out;
  if (runs.empty()) return out;
  for (const std::string& name : runs.front().names) {
    MetricSummary s;
    s.metric = name;
    sim::RunningStats per_run;
    for (const RunMetrics& r : runs) {
      const double v = r.get(name);
      if (!std::isnan(v)) per_run.add(v);
    }
    s.sd = per_run.count() > 1 ? per_run.sd() : std::numeric_limits<double>::quiet_NaN();
    if (const MetricInfo* rate = find_rate(name)) {
      double successes = 0, trials = 0;
      for (const RunMetrics& r : runs) {
        successes += r.get(rate->numerator);
        trials += r.get(rate->denominator);
      }
      const double ratio =
          trials > 0 ? successes / trials : std::numeric_limits<double>::quiet_NaN();
      s.mean = ratio;
      if (rate->lot_trials && lots_independent) {
        const auto k = static_cast<std::uint64_t>(successes);
        const auto n = static_cast<std::uint64_t>(trials);
        const sim::Interval ci = sim::wilson_interval(k, n, level);
        s.n = n;
        s.ci_low = ci.low;
        s.ci_high = ci.high;
        s.ci_method = "wilson";
      } else {
        // Ratio of means R = sum(x)/sum(y): Var(R) ~ sum((x_i - R y_i)^2) / (n (n-1) ybar^2),
        // over every replication: one whose denominator is 0 (nothing interdicted) still adds
        // its numerator to sum(x), so it belongs in the residuals and in ybar (leaving it out
        // shrank the interval: 75-78% coverage for cost_usd_per_h100e_denied).
        sim::RunningStats residual, denominator;
        if (trials > 0) {
          for (const RunMetrics& r : runs) {
            const double y = r.get(rate->denominator);
            residual.add(r.get(rate->numerator) - ratio * y);
            denominator.add(y);
          }
        }
        const std::uint64_t n = residual.count();
        s.n = n;
        s.ci_method = "ratio";
        if (n > 1) {
          // The residuals sum to zero by construction, so their sample variance is the
          // sum of squares over n - 1.
          const sim::Interval ci = sim::student_t_interval(0.0, residual.sd(), n, level);
          const double scale = 1.0 / denominator.mean();
          s.ci_low = ratio + ci.low * scale;
          s.ci_high = ratio + ci.high * scale;
          if (rate->share) {
            s.ci_low = std::fmax(0.0, s.ci_low);
            s.ci_high = std::fmin(1.0, s.ci_high);
          }
        } else {
          s.ci_low = rate->share ? 0.0 : std::numeric_limits<double>::quiet_NaN();
          s.ci_high = rate->share ? 1.0 : std::numeric_limits<double>::quiet_NaN();
        }
      }
    } else {
      s.n = per_run.count();
      s.mean = per_run.mean();
      summarize_values(per_run, find_metric(name), level, lots_independent, s);
    }
    out.push_back(s);
  }
  return out;
}

std::vector<std::vector<MetricSummary>> summarize_periods(const std::vector<RunMetrics>& runs,
                                                          double level) {
  std::size_t periods = 0;
  for (const RunMetrics& r : runs) periods = std::max(periods, r.periods.size());
  const std::vector<std::string>& names = period_metric_names();
  std::vector<std::vector<MetricSummary>> out;
  for (std::size_t k = 0; k < periods; ++k) {
    std::vector<RunMetrics> in_period;
    for (const RunMetrics& r : runs) {
      RunMetrics m;
      for (std::size_t c = 0; c < names.size(); ++c) {
        m.set(names[c], k < r.periods.size() ? r.periods[k][c] : 0.0);
      }
      in_period.push_back(std::move(m));
    }
    // Counts only (no ratio among the period metrics), so independence does not matter.
    out.push_back(summarize(in_period, level, false));
  }
  return out;
}

std::vector<MetricSummary> paired_differences(const std::vector<RunMetrics>& base,
                                              const std::vector<RunMetrics>& other, double level) {
  if (base.size() != other.size()) {
    throw std::invalid_argument("paired_differences: the variants ran different replications");
  }
  std::vector<MetricSummary> out;
  if (base.empty()) return out;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const std::string& name : base.front().names) {
    MetricSummary s;
    s.metric = name;
    s.ci_method = "paired-t";
    sim::RunningStats terms;  // per replication: the difference, or its influence for a rate
    double estimate = nan;
    if (const MetricInfo* rate = find_rate(name)) {
      double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
      for (std::size_t r = 0; r < base.size(); ++r) {
        x0 += base[r].get(rate->numerator);
        y0 += base[r].get(rate->denominator);
        x1 += other[r].get(rate->numerator);
        y1 += other[r].get(rate->denominator);
      }
      if (y0 > 0 && y1 > 0) {
        const double n = static_cast<double>(base.size());
        const double r0 = x0 / y0, r1 = x1 / y1, ybar0 = y0 / n, ybar1 = y1 / n;
        for (std::size_t r = 0; r < base.size(); ++r) {
          terms.add((other[r].get(rate->numerator) - r1 * other[r].get(rate->denominator)) / ybar1 -
                    (base[r].get(rate->numerator) - r0 * base[r].get(rate->denominator)) / ybar0);
        }
        estimate = r1 - r0;
      }
    } else {
      for (std::size_t r = 0; r < base.size(); ++r) {
        const double b = base[r].get(name), o = other[r].get(name);
        if (!std::isnan(b) && !std::isnan(o)) terms.add(o - b);
      }
      if (terms.count() > 0) estimate = terms.mean();
    }
    s.n = terms.count();
    s.mean = estimate;
    s.sd = s.n > 1 ? terms.sd() : nan;
    if (s.n > 1) {
      // Centred on the estimate: the influences of a rate sum to zero by construction.
      const sim::Interval half = sim::student_t_interval(0.0, terms.sd(), s.n, level);
      s.ci_low = estimate + half.low;
      s.ci_high = estimate + half.high;
    } else {
      s.ci_low = s.ci_high = nan;
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace chiptrail::models
