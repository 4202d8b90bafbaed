#include "models/output/plain_reading.hpp"

#include <cmath>
#include <cstdio>
#include <string_view>

#include "models/output/text_format.hpp"

namespace chiptrail::models {
namespace {

const MetricSummary* find(const std::vector<MetricSummary>& summary, std::string_view name) {
  for (const MetricSummary& s : summary) {
    if (s.metric == name) return &s;
  }
  return nullptr;
}

bool defined(const MetricSummary* s) {
  return s != nullptr && s->n > 0 && std::isfinite(s->mean);
}

std::string percent(double share) {
  if (!std::isfinite(share)) return "undefined";
  char buf[32];
  std::snprintf(buf, sizeof buf, share < 0.1 ? "%.2g%%" : "%.0f%%", share * 100);
  return buf;
}

std::string interval(const MetricSummary& s, bool as_percent) {
  if (!std::isfinite(s.ci_low) || !std::isfinite(s.ci_high)) return "";
  const auto f = [&](double x) { return as_percent ? percent(x) : significant_figures(x); };
  return " (" + f(s.ci_low) + " to " + f(s.ci_high) + ")";
}

}  // namespace

const std::vector<std::string>& headline_metrics() {
  static const std::vector<std::string> names{"h100e_delivered_restricted_per_year",
                                              "share_h100e_denied", "share_lots_flagged",
                                              "cost_usd_per_h100e_denied"};
  return names;
}

std::string describe_estimand(const ReadingContext& c) {
  const auto days = [](double d) { return significant_figures(d); };
  switch (c.estimand) {
    case World::Estimand::kSteadyState: {
      std::string out =
          "The yearly figures are meant as long-run rates: the scenario's warm-up of " +
          days(c.scenario_warmup_days) + " days outlasts its start-up transient";
      if (c.warmup_days + 1e-9 < c.scenario_warmup_days) {
        out += "; this run's warm-up of " + days(c.warmup_days) +
               " days is shorter, so they may still carry it";
      }
      return out + ".";
    }
    case World::Estimand::kYearsInForce: {
      const auto first = static_cast<long>(std::floor(c.warmup_days / 365 + 1e-9)) + 1;
      const auto last = static_cast<long>(std::ceil(c.horizon_days / 365 - 1e-9));
      const std::string years = first >= last
                                    ? "year " + std::to_string(last)
                                    : "years " + std::to_string(first) + "-" + std::to_string(last);
      return "The yearly figures are those of " + years +
             " of a supply chain started empty at day 0 with its policies in force, not "
             "long-run rates: the start-up transient is part of them.";
    }
    case World::Estimand::kUnspecified:
      break;
  }
  return "";
}

std::string plain_reading(const std::vector<MetricSummary>& summary, const ReadingContext& c) {
  std::string out = "Over " + std::to_string(c.replications) + " replications of " +
                    significant_figures(c.horizon_days) + " days";
  out += c.warmup_days > 0
             ? " (yearly figures from day " + significant_figures(c.warmup_days) + " on)"
             : "";
  out += ", intervals at " + significant_figures(c.ci_level * 100) + "%: ";

  const MetricSummary* delivered = find(summary, "h100e_delivered_restricted_per_year");
  const MetricSummary* diverted = find(summary, "h100e_diverted_per_year");
  if (defined(delivered)) {
    out += "about " + significant_figures(delivered->mean) +
           " H100-equivalents a year reached the restricted "
           "end user" +
           interval(*delivered, false);
    if (defined(diverted)) {
      // Both are flows of the measured years, not one the share of the other: a lot is counted
      // diverted when sold and delivered when it arrives, months later.
      out += "; about " + significant_figures(diverted->mean) + " a year were sold for diversion";
      if (delivered->mean > diverted->mean) {
        out += " (more arrived than was sold: deliveries include lots sold before the year)";
      }
    }
    out += ". ";
  }
  // Remote access (only scenarios with flows of leases report it).
  const MetricSummary* rented = find(summary, "h100e_years_remote_used_per_year");
  if (defined(rented)) {
    out += "Restricted users also kept about " + significant_figures(rented->mean) +
           interval(*rented, false) +
           " rented H100-equivalents in use on average, without any chip moving";
    const MetricSummary* refused = find(summary, "share_h100e_hours_remote_denied");
    if (defined(refused)) {
      out += "; " + percent(refused->mean) + interval(*refused, true) +
             " of the leased compute that finished was refused or cut off";
    }
    out += ". ";
  }
  const MetricSummary* denied = find(summary, "share_h100e_denied");
  if (defined(denied)) {
    out += "Enforcement interdicted " + percent(denied->mean) + interval(*denied, true) +
           " of the diverted compute that finished its journey (seized or disabled, against "
           "delivered). ";
  } else {
    out += "No diverted compute finished its journey, so no share denied can be given. ";
  }
  const MetricSummary* flagged = find(summary, "share_lots_flagged");
  const MetricSummary* lots = find(summary, "lots_diverted");
  if (defined(flagged)) {
    out += "Some measure flagged " + percent(flagged->mean) + " of the diverted lots";
    // The measure most often first to flag, as a share of diverted lots.
    const MetricSummary* first = nullptr;
    for (const MetricSummary& s : summary) {
      if (s.metric.rfind("lots_first_flagged_by.", 0) == 0 && defined(&s) && s.mean > 0 &&
          (first == nullptr || s.mean > first->mean)) {
        first = &s;
      }
    }
    if (first != nullptr && defined(lots) && lots->mean > 0) {
      out += ", most often first " + first->metric.substr(first->metric.find('.') + 1) + " (" +
             percent(first->mean / lots->mean) + " of lots)";
    }
    out += ". ";
    // Flags that stop nothing, and consignments that carry on after one is found.
    const MetricSummary* h100e_flagged = find(summary, "h100e_flagged");
    const MetricSummary* h100e_stopped = find(summary, "h100e_interdicted");
    const MetricSummary* chips_share = find(summary, "share_h100e_flagged");
    if (defined(h100e_flagged) && defined(h100e_stopped) && h100e_flagged->mean > 0) {
      const double stopped = h100e_stopped->mean / h100e_flagged->mean;
      const MetricSummary* closures = find(summary, "front_closures");
      const bool cases = defined(closures) && closures->mean > 0;
      if (stopped < 0.99) {
        out += "Only " + percent(stopped) + " of the flagged compute was seized or disabled" +
               (cases ? ": the other flags stopped none of the flagged chips. "
                      : ": the other flags stopped nothing. ");
      }
    }
    const MetricSummary* closures = find(summary, "front_closures");
    const MetricSummary* forgone = find(summary, "lots_forgone_expected");
    if (defined(closures) && closures->mean > 0) {
      out += "Confirmed cases closed a front company " + significant_figures(closures->mean) +
             " times per replication";
      if (defined(forgone) && forgone->mean > 0) {
        out += ", which would otherwise have bought about " + significant_figures(forgone->mean) +
               " lots";
      }
      out += ". ";
    }
    const MetricSummary* without = find(summary, "lots_found_without_authority");
    if (defined(without) && without->mean > 0 && defined(lots) && lots->mean > 0) {
      out += percent(without->mean / lots->mean) +
             " of the diverted lots were found where the law gave no power to seize them. ";
    }
    if (defined(chips_share) && flagged->mean > 1.5 * chips_share->mean) {
      out += "A lot counts as flagged when any of its consignments is found; the others go on. ";
    }
  }
  const MetricSummary* cost = find(summary, "enforcement_cost_usd_per_year");
  const MetricSummary* burden = find(summary, "legitimate_burden_usd_per_year");
  const MetricSummary* per_h100e = find(summary, "cost_usd_per_h100e_denied");
  if (defined(cost) && cost->mean > 0) {
    out += "The measures cost about $" + significant_figures(cost->mean) + " a year";
    if (defined(burden) && burden->mean > 0) {
      out += " and legitimate trade $" + significant_figures(burden->mean) + " a year";
    }
    if (defined(per_h100e))
      out += ", $" + significant_figures(per_h100e->mean) + " per H100e denied";
    out += ".";
  } else {
    out += "The scenario gives the measures no cost.";
  }
  const std::string estimand = describe_estimand(c);
  if (!estimand.empty()) out += " " + estimand;
  return out;
}

}  // namespace chiptrail::models
