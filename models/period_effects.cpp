#include "models/period_effects.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "models/metric_glossary.hpp"
#include "models/output/text_format.hpp"
#include "models/transient.hpp"

namespace chiptrail::models {

PeriodEffects period_effects(const std::vector<RunMetrics>& base,
                             const std::vector<RunMetrics>& other, const std::string& metric,
                             double period_days, double warmup_days, double horizon_days,
                             double level) {
  PeriodEffects out;
  out.metric = metric;
  out.period_days = period_days;
  const std::vector<std::string>& names = period_metric_names();
  const auto found = std::find(names.begin(), names.end(), metric);
  if (found == names.end() || !(period_days > 0) || base.size() != other.size() || base.empty()) {
    return out;
  }
  // Whole periods only: a period reaching past the horizon counts less by construction. The
  // slack absorbs the rounding of a month (365/12 days) to clock ticks.
  constexpr double kSlackDays = 1e-6;
  const auto periods =
      static_cast<std::size_t>(std::floor(horizon_days / period_days + kSlackDays));
  out.first_period =
      static_cast<std::size_t>(std::ceil(std::max(0.0, warmup_days / period_days - kSlackDays)));
  const std::vector<std::vector<double>> b = per_period(base, metric, periods);
  const std::vector<std::vector<double>> v = per_period(other, metric, periods);
  std::vector<std::vector<double>> effect(b.size(), std::vector<double>(periods, 0.0));
  for (std::size_t r = 0; r < b.size(); ++r) {
    for (std::size_t k = 0; k < periods; ++k) effect[r][k] = v[r][k] - b[r][k];
  }

  for (std::size_t k = out.first_period; k < periods; ++k) {
    std::vector<RunMetrics> in_base(base.size()), in_other(other.size());
    for (std::size_t r = 0; r < base.size(); ++r) {
      in_base[r].set(metric, b[r][k]);
      in_other[r].set(metric, v[r][k]);
    }
    out.by_period.push_back(paired_differences(in_base, in_other, level).front());
  }
  if (out.by_period.size() >= 2) {
    std::vector<std::vector<double>> counted;
    for (const std::vector<double>& row : effect) {
      counted.emplace_back(row.begin() + static_cast<std::ptrdiff_t>(out.first_period), row.end());
    }
    out.equal_effects = sim::equal_means_test(counted);
  }
  const Transient transient = longest_transient({b, v, effect});
  out.transient_assessed = transient.assessed;
  out.transient_periods = transient.periods;
  out.transient_settled = transient.settled;
  return out;
}

std::string describe_period_effects(const PeriodEffects& e) {
  if (e.by_period.empty()) return "";
  const auto days = [](double d) { return format_number(std::round(d)); };
  const auto effect = [](const MetricSummary& s) {
    return significant_figures(s.mean) + " [" + significant_figures(s.ci_low) + ", " +
           significant_figures(s.ci_high) + "]";
  };
  std::string out = "The effect on " + e.metric + " by period of " + days(e.period_days) +
                    " days (paired, periods counted from 1 at day 0):";
  constexpr std::size_t kListed = 10;  // beyond, the file holds them
  if (e.by_period.size() <= kListed) {
    for (std::size_t i = 0; i < e.by_period.size(); ++i) {
      out += (i > 0 ? "; " : " ") + std::to_string(e.first_period + i + 1) + ": " +
             effect(e.by_period[i]);
    }
    out += ".";
  } else {
    out += " " + std::to_string(e.by_period.size()) + " periods after the warm-up, from " +
           effect(e.by_period.front()) + " in period " + std::to_string(e.first_period + 1) +
           " to " + effect(e.by_period.back()) + " in the last (all in period_effects.csv).";
  }
  if (e.by_period.size() < 2) {
    out +=
        " One period after the warm-up: whether the effect is steady is not tested (a "
        "longer horizon, or a shorter --period, would say).";
  } else if (e.equal_effects.valid) {
    char p[32];
    std::snprintf(p, sizeof p, "%.2g", e.equal_effects.p_value);
    if (e.equal_effects.p_value < 0.05) {
      out += std::string(" Warning: the effect differs between periods (Hotelling's T^2, p = ") +
             p +
             "): the headline averages an effect that changes in time; quote it by period, "
             "or after a longer warm-up.";
    } else {
      out += std::string(" No difference between periods is detected (Hotelling's T^2, p = ") + p +
             ").";
    }
  }
  if (e.transient_assessed) {
    const double warmup = static_cast<double>(e.first_period) * e.period_days;
    if (!e.transient_settled) {
      out +=
          " Warning: the series do not settle within the first half of the horizon (MSER): "
          "there is no steady state to quote; lengthen the horizon.";
    } else if (e.transient_days() > warmup + 1e-9) {
      out += " Warning: the transient lasts about " + days(e.transient_days()) +
             " days (MSER), longer than the warm-up of " + days(warmup) + " days.";
    }
  }
  return out;
}

}  // namespace chiptrail::models
