#include "models/metric_glossary.hpp"

#include <algorithm>
#include <utility>

namespace chiptrail::models {
namespace {

MetricInfo count(std::string name, std::string rung, std::string unit, std::string description) {
  return {std::move(name),
          std::move(rung),
          std::move(unit),
          std::move(description),
          {},
          {},
          false,
          false};
}

MetricInfo share(std::string name, std::string rung, std::string description, std::string numerator,
                 std::string denominator, bool lot_trials) {
  return {std::move(name),      std::move(rung),        "share", std::move(description),
          std::move(numerator), std::move(denominator), true,    lot_trials};
}

MetricInfo per_unit(std::string name, std::string unit, std::string description,
                    std::string numerator, std::string denominator) {
  return {std::move(name),
          "cost",
          std::move(unit),
          std::move(description),
          std::move(numerator),
          std::move(denominator),
          false,
          false};
}

std::vector<MetricInfo> make_glossary() {
  std::vector<MetricInfo> g;
  // Per lot: each diverted lot as sold, whatever it was split into.
  g.push_back(count("lots_diverted", "diverted", "lots", "diverted lots sold"));
  g.push_back(count("lots_flagged", "flagged", "lots",
                    "diverted lots on which some measure raised an alert (on the lot or any of "
                    "its consignments), whether or not anything was stopped"));
  g.push_back(count("lots_interdicted", "interdicted", "lots",
                    "diverted lots all of whose chips were seized or disabled"));
  g.push_back(count("lots_delivered_restricted", "delivered", "lots",
                    "diverted lots of which some chips reached the restricted end user (and "
                    "were not disabled there)"));
  g.push_back(count("lots_in_pipeline", "pipeline", "lots",
                    "diverted lots neither interdicted nor delivered at the horizon"));
  g.push_back(count("lots_finished", "finished", "lots",
                    "diverted lots interdicted or delivered by the horizon"));
  g.push_back(count("lots_flagged_finished", "flagged", "lots",
                    "finished diverted lots that some measure flagged"));
  g.push_back(share("share_lots_flagged", "flagged",
                    "flagged lots over diverted lots (lots cut off by the horizon count as not "
                    "flagged yet)",
                    "lots_flagged", "lots_diverted", true));
  g.push_back(share("share_lots_flagged_finished", "flagged", "flagged lots over finished lots",
                    "lots_flagged_finished", "lots_finished", true));
  g.push_back(share("share_lots_denied", "interdicted",
                    "interdicted lots over finished lots (interdicted + delivered)",
                    "lots_interdicted", "lots_finished", true));
  // Per chip.
  g.push_back(count("chips_diverted", "diverted", "chips", "chips of the diverted lots sold"));
  g.push_back(count("chips_flagged", "flagged", "chips",
                    "diverted chips in a lot or consignment some measure raised an alert on, "
                    "each chip once"));
  g.push_back(count("chips_interdicted", "interdicted", "chips",
                    "diverted chips seized or disabled (chips_seized + chips_disabled)"));
  g.push_back(count("chips_seized", "interdicted", "chips", "diverted chips seized"));
  g.push_back(count("chips_disabled", "interdicted", "chips",
                    "diverted chips remotely disabled, before or after delivery"));
  g.push_back(count("chips_delivered_restricted", "delivered", "chips",
                    "diverted chips that reached the restricted end user, net of those "
                    "disabled there later"));
  g.push_back(count("chips_in_pipeline", "pipeline", "chips",
                    "diverted chips still in the chain at the horizon (in transit, installed "
                    "before removal, awaiting reassembly), counted from the model's live lots"));
  g.push_back(
      count("chips_finished", "finished", "chips", "diverted chips interdicted or delivered"));
  g.push_back(share("share_chips_flagged", "flagged", "flagged chips over diverted chips",
                    "chips_flagged", "chips_diverted", false));
  g.push_back(share("share_chips_denied", "interdicted",
                    "interdicted chips over finished chips (interdicted + delivered)",
                    "chips_interdicted", "chips_finished", false));
  // Per H100-equivalent (chips weighted by the catalog's h100_equivalents).
  g.push_back(count("h100e_diverted", "diverted", "H100e", "compute of the diverted lots sold"));
  g.push_back(count("h100e_flagged", "flagged", "H100e", "compute of the flagged chips"));
  g.push_back(count("h100e_interdicted", "interdicted", "H100e", "compute seized or disabled"));
  g.push_back(count("h100e_delivered_restricted", "delivered", "H100e",
                    "compute that reached the restricted end user, net of later disables"));
  g.push_back(count("h100e_in_pipeline", "pipeline", "H100e",
                    "diverted compute still in the chain at the horizon"));
  g.push_back(count("h100e_in_service_restricted", "stock", "H100e",
                    "expected compute delivered to restricted end users and still working at the "
                    "horizon, by the chips' lifetimes (chips.lifetime_days), net of remote "
                    "disables; in timeseries.csv, at each period's end"));
  g.push_back(count("h100e_finished", "finished", "H100e", "compute interdicted or delivered"));
  g.push_back(share("share_h100e_flagged", "flagged", "flagged compute over diverted compute",
                    "h100e_flagged", "h100e_diverted", false));
  g.push_back(share("share_h100e_denied", "interdicted",
                    "interdicted compute over finished compute: interdicted / (interdicted + "
                    "delivered)",
                    "h100e_interdicted", "h100e_finished", false));
  // Steady-state rates: events in [warm-up, horizon), per 365 days.
  g.push_back(count("lots_diverted_per_year", "diverted", "lots/year",
                    "diverted lots sold per year after the warm-up"));
  g.push_back(count("h100e_diverted_per_year", "diverted", "H100e/year",
                    "diverted compute sold per year after the warm-up"));
  g.push_back(count("h100e_interdicted_per_year", "interdicted", "H100e/year",
                    "compute seized or disabled per year after the warm-up"));
  g.push_back(count("h100e_delivered_restricted_per_year", "delivered", "H100e/year",
                    "compute delivered to the restricted end user per year after the warm-up "
                    "(net of disables in the same window)"));
  g.push_back(count("chips_interdicted_per_year", "interdicted", "chips/year",
                    "diverted chips seized or disabled per year after the warm-up"));
  g.push_back(count("chips_delivered_restricted_per_year", "delivered", "chips/year",
                    "diverted chips delivered per year after the warm-up"));
  g.push_back(count("enforcement_cost_usd_per_year", "cost", "USD/year",
                    "enforcement cost per year after the warm-up (fixed and variable)"));
  g.push_back(count("legitimate_burden_usd_per_year", "cost", "USD/year",
                    "burden on legitimate trade per year after the warm-up"));
  g.push_back(count("total_cost_usd_per_year", "cost", "USD/year",
                    "enforcement cost and burden on legitimate trade per year after the warm-up"));
  // Timing and overlap.
  g.push_back(count("mean_days_to_first_flag", "flagged", "days",
                    "mean over flagged lots of the days from sale to the first alert"));
  g.push_back(count("lots_flagged_by_several", "flagged", "lots",
                    "diverted lots flagged by two measures or more (overlap)"));
  g.push_back(count("lots_found_without_authority", "flagged", "lots",
                    "diverted lots some of whose chips a measure found where the law gave no "
                    "power to seize them (scenario jurisdictions): passed on as a flag"));
  g.push_back(count("lots_deterred", "deterred", "lots",
                    "diversion lots due but not bought: their buyers judged the risk too high "
                    "(Flow.deterrence)"));
  g.push_back(count("h100e_deterred", "deterred", "H100e", "compute of the deterred lots"));
  g.push_back(count("entity_listings", "deterred", "listings",
                    "dealers put on the entity list after enough confirmed cases "
                    "(entity_list)"));
  g.push_back(count("entity_listed_days", "deterred", "days",
                    "days dealers spent on the entity list within the horizon, summed"));
  g.push_back(count("front_closures", "deterred", "closures",
                    "front companies closed by a confirmed case (Flow.front)"));
  g.push_back(count("front_closed_days", "deterred", "days",
                    "days the diversion flows' fronts were closed within the horizon, summed over "
                    "flows"));
  g.push_back(count("lots_forgone_expected", "deterred", "lots",
                    "diverted lots the closed fronts would have bought meanwhile, in expectation "
                    "(each flow's Poisson rate times the days closed; schedules count 0)"));
  g.push_back(count("chips_delivered_silent", "delivered", "chips",
                    "diverted chips delivered and kept silent (air-gapped or firmware rolled "
                    "back): out of reach of location checks and remote commands"));
  // Costs.
  g.push_back(
      count("smuggler_countermeasure_cost_usd", "cost", "USD",
            "what the end users paid to keep delivered chips silent (air gaps, firmware "
            "rollback): a cost enforcement imposes on them, not counted in total_cost_usd"));
  g.push_back(count("enforcement_cost_usd", "cost", "USD",
                    "what the measures cost over the horizon: fixed costs per year from each "
                    "policy's start, and variable costs per action (inspecting legitimate cargo "
                    "included)"));
  g.push_back(count("legitimate_burden_usd", "cost", "USD",
                    "what the measures cost legitimate trade: effort on legitimate lots at its "
                    "policy's legitimate_cost_per_unit_usd (exam fees), each wrongful hold at "
                    "false_positive_cost_usd, and chips wrongly disabled at their price"));
  g.push_back(
      count("total_cost_usd", "cost", "USD", "enforcement_cost_usd + legitimate_burden_usd"));
  g.push_back(per_unit("cost_usd_per_h100e_denied", "USD/H100e",
                       "total cost (enforcement and legitimate burden) over compute interdicted",
                       "total_cost_usd", "h100e_interdicted"));
  g.push_back(per_unit("cost_usd_per_lot_interdicted", "USD/lot",
                       "total cost (enforcement and legitimate burden) over lots interdicted",
                       "total_cost_usd", "lots_interdicted"));
  // Legitimate trade.
  g.push_back(count("lots_legitimate", "legitimate", "lots", "legitimate lots sold"));
  g.push_back(count("chips_legitimate", "legitimate", "chips", "chips of legitimate lots sold"));
  g.push_back(count("chips_delivered_legitimate", "legitimate", "chips",
                    "legitimate chips installed at their data center"));
  g.push_back(count("chips_legitimate_in_pipeline", "legitimate", "chips",
                    "legitimate chips still on their way at the horizon"));
  g.push_back(count("false_positive_lots", "legitimate", "lots",
                    "legitimate lots some measure wrongly held (each lot once)"));
  g.push_back(share("false_positive_rate_lots", "legitimate",
                    "legitimate lots wrongly held over legitimate lots", "false_positive_lots",
                    "lots_legitimate", true));
  g.push_back(count("chips_legitimate_disabled", "legitimate", "chips",
                    "legitimate chips wrongly disabled (each lot once)"));
  g.push_back(count("legitimate_delay_days", "legitimate", "lot-days",
                    "days legitimate lots were held by exams and wrongful holds, summed over "
                    "lots"));
  // Adaptive smugglers with a substitute (only in such scenarios).
  g.push_back(count("lots_substituted", "substitution", "lots",
                    "diversion lots not bought: the end user bought the substitute instead"));
  g.push_back(count("h100e_demanded", "substitution", "H100e",
                    "compute the restricted end users sought: diverted plus substituted demand"));
  g.push_back(count("h100e_substituted", "substitution", "H100e",
                    "substitute compute bought with the money of the lots not bought"));
  g.push_back(count("h100e_substitution_shortfall", "substitution", "H100e",
                    "compute demanded but not obtained through the substitute"));
  // Remote access: leases of cloud capacity (only in scenarios with flows of leases). Counted by
  // the lease's start; an H100e-hour is one H100-equivalent used for an hour, so
  //   sought = denied + used + in pipeline.
  g.push_back(count("leases_restricted", "diverted", "leases", "leases by restricted users"));
  g.push_back(count("leases_refused_restricted", "interdicted", "leases",
                    "restricted users' leases refused at the start (a screening)"));
  g.push_back(count("leases_cut_restricted", "interdicted", "leases",
                    "restricted users' leases cut short before the horizon (monitoring)"));
  g.push_back(count("h100e_hours_remote_sought", "diverted", "H100e-hours",
                    "compute restricted users leased: chips x H100e x lease hours"));
  g.push_back(count("h100e_hours_remote_denied", "interdicted", "H100e-hours",
                    "leased compute refused, or cut off before the horizon"));
  g.push_back(count("h100e_hours_remote_used", "delivered", "H100e-hours",
                    "leased compute restricted users used before the horizon"));
  g.push_back(count("h100e_hours_remote_in_pipeline", "pipeline", "H100e-hours",
                    "what leases running at the horizon would still use"));
  g.push_back(count("h100e_hours_remote_finished", "finished", "H100e-hours",
                    "leased compute denied or used"));
  g.push_back(share("share_h100e_hours_remote_denied", "interdicted",
                    "denied over finished leased compute: denied / (denied + used)",
                    "h100e_hours_remote_denied", "h100e_hours_remote_finished", false));
  g.push_back(count("h100e_years_remote_used_per_year", "delivered", "H100e",
                    "leased compute in use by restricted users on average after the warm-up "
                    "(H100e-years used per year): compare with h100e_in_service_restricted"));
  g.push_back(count("leases_legitimate", "legitimate", "leases", "leases by legitimate tenants"));
  g.push_back(count("leases_legitimate_refused", "legitimate", "leases",
                    "legitimate tenants' leases refused at the start"));
  g.push_back(count("h100e_hours_legitimate_refused", "legitimate", "H100e-hours",
                    "compute of the legitimate leases refused"));
  g.push_back(count("leases_legitimate_false_positive", "legitimate", "leases",
                    "legitimate leases refused or wrongly reported (each lease once)"));
  g.push_back(share("false_positive_rate_leases", "legitimate",
                    "legitimate leases refused or wrongly reported over legitimate leases",
                    "leases_legitimate_false_positive", "leases_legitimate", true));
  // Per policy (attribution).
  g.push_back(count("lots_flagged_by.<policy>", "flagged", "lots",
                    "diverted lots this policy raised an alert on, first or not"));
  g.push_back(count("lots_first_flagged_by.<policy>", "flagged", "lots",
                    "diverted lots this policy was first to flag"));
  g.push_back(count("lots_first_interdicted_by.<policy>", "interdicted", "lots",
                    "diverted lots of which this policy was first to seize or disable chips"));
  g.push_back(count("chips_interdicted_by.<policy>", "interdicted", "chips",
                    "diverted chips this policy seized or disabled"));
  g.push_back(count("h100e_interdicted_by.<policy>", "interdicted", "H100e",
                    "compute this policy seized or disabled"));
  g.push_back(count("cost_usd_by.<policy>", "cost", "USD", "what this policy cost"));
  g.push_back(count("h100e_hours_remote_denied_by.<policy>", "interdicted", "H100e-hours",
                    "leased compute this policy refused or cut off (with flows of leases)"));
  // Per pathway: each diversion flow's share of what reached restricted users.
  g.push_back(count("h100e_delivered_restricted_per_year_via.<flow>", "delivered", "H100e/year",
                    "compute this diversion flow delivered to restricted users per year after the "
                    "warm-up (net of disables in the same window)"));
  g.push_back(count("h100e_years_remote_used_per_year_via.<flow>", "delivered", "H100e",
                    "leased compute in use by this flow's restricted users on average after the "
                    "warm-up"));
  return g;
}

}  // namespace

const std::vector<MetricInfo>& metric_glossary() {
  static const std::vector<MetricInfo> glossary = make_glossary();
  return glossary;
}

const MetricInfo* find_metric(std::string_view name) {
  const auto& g = metric_glossary();
  const auto find = [&](const std::string& key) -> const MetricInfo* {
    const auto it =
        std::find_if(g.begin(), g.end(), [&](const MetricInfo& m) { return m.name == key; });
    return it == g.end() ? nullptr : &*it;
  };
  const auto dot = name.find('.');
  if (dot == std::string_view::npos) return find(std::string(name));
  const std::string stem(name.substr(0, dot));
  const MetricInfo* per_policy = find(stem + ".<policy>");
  return per_policy != nullptr ? per_policy : find(stem + ".<flow>");
}

std::string renamed_metric(std::string_view old_name) {
  static const std::vector<std::pair<std::string_view, std::string_view>> renamed{
      {"lots_detected", "lots_flagged"},
      {"chips_detected", "chips_interdicted"},
      {"detection_rate_lots", "share_lots_flagged"},
      {"detection_rate_chips", "share_chips_denied"},
      {"mean_time_to_detection_days", "mean_days_to_first_flag"},
      {"h100e_denied", "h100e_interdicted"},
      {"lots_detected_by", "lots_first_flagged_by"},
      {"chips_detected_by", "chips_interdicted_by"},
  };
  const std::string_view stem = old_name.substr(0, old_name.find('.'));
  for (const auto& [from, to] : renamed) {
    if (stem == from) return std::string(to) + std::string(old_name.substr(stem.size()));
  }
  return {};
}

std::string rename_hint(std::string_view name) {
  const std::string now = renamed_metric(name);
  if (now.empty()) return {};
  return "; renamed: write \"" + now + "\" (see `chiptrail metrics`)";
}

const std::vector<std::string>& period_metric_names() {
  static const std::vector<std::string> names{
      "lots_diverted",         "lots_flagged",
      "lots_interdicted",      "lots_delivered_restricted",
      "chips_diverted",        "chips_flagged",
      "chips_interdicted",     "chips_delivered_restricted",
      "h100e_diverted",        "h100e_flagged",
      "h100e_interdicted",     "h100e_delivered_restricted",
      "enforcement_cost_usd",  "legitimate_burden_usd",
      "legitimate_delay_days", "h100e_in_service_restricted"};
  return names;
}

}  // namespace chiptrail::models
