#include "models/inference/observations.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <utility>
#include <variant>

#include "chiptrail/v1/observations.pb.h"
#include "models/metric_glossary.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/scenario/calendar_date.hpp"
#include "models/scenario/distribution_from_proto.hpp"
#include "models/scenario/field_path.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/input_parser.hpp"
#include "models/scenario/input_text.hpp"

namespace chiptrail::models {
namespace {

constexpr double kMaxPeriodDays = 1e6;  // as the scenario's horizon

InputError located(const FieldLocator& locator, const FieldPath& where, std::string message) {
  const SourceLocation at = locator.locate(where);
  return {at.file, at.line, at.column, where.to_string(), std::move(message)};
}

}  // namespace

namespace {

// A probability's prior must stay within [0, 1]: uniform or triangular there, or a fixed value.
bool within_unit_interval(const Distribution& d) {
  if (const auto* f = std::get_if<Distribution::Fixed>(&d.kind())) {
    return f->value >= 0 && f->value <= 1;
  }
  if (const auto* u = std::get_if<Distribution::Uniform>(&d.kind())) {
    return u->min >= 0 && u->max <= 1;
  }
  if (const auto* t = std::get_if<Distribution::Triangular>(&d.kind())) {
    return t->min >= 0 && t->max <= 1;
  }
  return false;
}

void parse_reporting(const v1::Observations& message, const FieldLocator& locator,
                     double window_days, Observations& out, std::vector<InputError>& errors) {
  std::set<std::string> names;
  for (int i = 0; i < message.reporting_size(); ++i) {
    const v1::Reporting& r = message.reporting(i);
    ReportingModel m;
    m.at = FieldPath{}.at("reporting", static_cast<std::size_t>(i));
    m.name = r.name();
    if (m.name.empty()) errors.push_back(located(locator, m.at / "name", "is required"));
    if (!m.name.empty() && !names.insert(m.name).second) {
      errors.push_back(located(locator, m.at / "name", "names two reporting models"));
    }
    m.policies.assign(r.policies().begin(), r.policies().end());
    m.countries.assign(r.countries().begin(), r.countries().end());
    m.interdictions_only = r.interdictions_only();
    const auto distribution = [&](const v1::Distribution& d, const std::string& field,
                                  Distribution& into) {
      try {
        into = distribution_from_proto(d, true);
        return true;
      } catch (const PolicyConfigError& e) {
        errors.push_back(located(locator, (m.at / field).dotted(e.field()), e.what()));
        return false;
      }
    };
    if (distribution(r.probability(), "probability", m.probability)) {
      if (!within_unit_interval(m.probability)) {
        errors.push_back(located(locator, m.at / "probability",
                                 "must be a probability in [0, 1], or a prior within [0, 1] "
                                 "(uniform or triangular)"));
      }
      m.probability_inferred = m.probability.density(0).has_value();
    }
    (void)distribution(r.delay_days(), "delay_days", m.delay_days);
    m.bin_days = r.has_bin_days() ? r.bin_days() : window_days;
    if (!(m.bin_days >= 1 && m.bin_days <= window_days)) {
      errors.push_back(located(locator, m.at / "bin_days",
                               "must be a number of days from 1 to the window's length (" +
                                   describe_number(window_days) + ")"));
    }
    m.count_weight = r.has_count_weight() ? r.count_weight() : 1;
    m.chips_weight = r.has_chips_weight() ? r.chips_weight() : 1;
    for (const auto& [field, w] :
         {std::pair{"count_weight", m.count_weight}, std::pair{"chips_weight", m.chips_weight}}) {
      if (!(std::isfinite(w) && w >= 0 && w <= 1e6)) {
        errors.push_back(located(locator, m.at / field, "must be a weight in [0, 1e6]"));
      }
    }
    m.sources.assign(r.sources().begin(), r.sources().end());
    out.reporting.push_back(std::move(m));
  }
}

void parse_cases(const v1::Observations& message, const FieldLocator& locator, std::int64_t opens,
                 double window_days, Observations& out, std::vector<InputError>& errors) {
  for (int i = 0; i < message.cases_size(); ++i) {
    const v1::PublicCase& c = message.cases(i);
    const FieldPath at = FieldPath{}.at("cases", static_cast<std::size_t>(i));
    PublicCase p;
    p.name = c.name();
    p.citation = c.citation();
    const auto model =
        std::find_if(out.reporting.begin(), out.reporting.end(),
                     [&](const ReportingModel& m) { return m.name == c.reporting(); });
    if (model == out.reporting.end()) {
      std::string known;
      for (const ReportingModel& m : out.reporting) known += (known.empty() ? "" : ", ") + m.name;
      errors.push_back(
          located(locator, at / "reporting",
                  "names no reporting model (\"" + c.reporting() + "\"); the file has: " + known));
    } else {
      p.reporting = static_cast<std::size_t>(model - out.reporting.begin());
    }
    const std::optional<std::int64_t> day = parse_iso_date(c.published());
    if (!day) {
      errors.push_back(located(locator, at / "published", "must be a date written YYYY-MM-DD"));
    } else if (*day < opens || static_cast<double>(*day - opens) >= window_days) {
      errors.push_back(located(locator, at / "published", "lies outside the window"));
    } else {
      p.day = static_cast<double>(*day - opens);
    }
    if (c.has_chips()) p.chips = c.chips();
    if (c.has_chips_low()) p.chips_low = c.chips_low();
    if (c.has_chips_high()) p.chips_high = c.chips_high();
    if (p.chips && !(std::isfinite(*p.chips) && *p.chips > 0 && *p.chips <= 1e9)) {
      errors.push_back(located(locator, at / "chips", "must be a number of chips in (0, 1e9]"));
    }
    if (p.chips_low.has_value() != p.chips_high.has_value()) {
      errors.push_back(located(locator, at / (p.chips_low ? "chips_high" : "chips_low"),
                               "is needed with the other end of the range"));
    } else if (p.chips_low && (!p.chips || !(*p.chips_low > 0 && *p.chips_low <= *p.chips &&
                                             *p.chips <= *p.chips_high))) {
      errors.push_back(located(locator, at / "chips_low",
                               "the range needs 0 < chips_low <= chips <= chips_high"));
    }
    if (!p.chips && model != out.reporting.end() && model->chips_weight > 0) {
      errors.push_back(located(
          locator, at / "chips",
          "is not given, but reporting " + model->name +
              " compares the chips its cases name: give the published figure (with "
              "chips_low and chips_high if it is an estimate) or set chips_weight: 0 there"));
    }
    out.cases.push_back(std::move(p));
  }
}

}  // namespace

Observations parse_observations_text(const std::string& path, std::string text) {
  Observations out;
  out.path = path;
  out.text = std::move(text);
  std::vector<InputError> errors;
  v1::Observations message;
  out.locator = parse_input_text(path, out.text, message, errors);
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  double period_days = message.period_days();
  if (message.has_window()) {
    const FieldPath at = FieldPath{} / "window";
    const std::optional<std::int64_t> opens = parse_iso_date(message.window().opens());
    const std::optional<std::int64_t> closes = parse_iso_date(message.window().closes());
    if (!opens) errors.push_back(located(out.locator, at / "opens", "must be a date YYYY-MM-DD"));
    if (!closes) {
      errors.push_back(located(out.locator, at / "closes", "must be a date YYYY-MM-DD"));
    }
    if (opens && closes && *closes < *opens) {
      errors.push_back(located(out.locator, at / "closes", "comes before `opens`"));
    }
    if (message.has_period_days()) {
      errors.push_back(located(out.locator, FieldPath{} / "period_days",
                               "give the window or period_days, not both: the window's length "
                               "is the period"));
    }
    if (!errors.empty()) throw InvalidInput(std::move(errors));
    out.window_opens = *opens;
    period_days = static_cast<double>(*closes - *opens + 1);
  } else if (message.reporting_size() > 0 || message.cases_size() > 0) {
    errors.push_back(
        located(out.locator, FieldPath{} / "window",
                "is needed with `reporting` and `cases`: the dates the record covers"));
  }
  if (!(period_days > 0 && period_days <= kMaxPeriodDays)) {
    errors.push_back(located(out.locator, FieldPath{} / "period_days",
                             "must be a number of days in (0, 1e6]: the window the counts cover"));
  }
  if (message.observed().empty() && message.reporting().empty()) {
    errors.push_back(located(out.locator, FieldPath{} / "observed",
                             "needs at least one observed count (or a public record: window, "
                             "reporting and cases)"));
  }
  std::set<std::string> metrics;
  for (int i = 0; i < message.observed_size(); ++i) {
    const v1::Observed& o = message.observed(i);
    const FieldPath at = FieldPath{}.at("observed", static_cast<std::size_t>(i));
    if (o.metric().empty()) errors.push_back(located(out.locator, at / "metric", "is required"));
    if (!o.metric().empty() && !metrics.insert(o.metric()).second) {
      errors.push_back(located(out.locator, at / "metric",
                               "observed twice: one count per metric over the period"));
    }
    if (!(std::isfinite(o.count()) && o.count() >= 0 && o.count() <= 1e12)) {
      errors.push_back(located(out.locator, at / "count", "must be a count in [0, 1e12]"));
    }
    const double weight = o.has_weight() ? o.weight() : 1;
    if (!(std::isfinite(weight) && weight >= 0 && weight <= 1e6)) {
      errors.push_back(located(out.locator, at / "weight", "must be a weight in [0, 1e6]"));
    }
    out.observed.push_back({o.metric(), o.count(), weight});
  }
  if (out.window_opens && period_days > 0 && period_days <= kMaxPeriodDays) {
    parse_reporting(message, out.locator, period_days, out, errors);
    parse_cases(message, out.locator, *out.window_opens, period_days, out, errors);
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  out.name = message.name();
  out.period_days = period_days;
  out.sources.assign(message.sources().begin(), message.sources().end());
  return out;
}

Observations load_observations(const std::string& path) {
  return parse_observations_text(path, read_input_file(path));
}

void check_observed_metrics(const Observations& observations,
                            const std::vector<std::string>& metrics) {
  // The error lists what the public record can count: lots and chips.
  std::string known;
  for (const std::string& name : metrics) {
    const MetricInfo* m = find_metric(name);
    if (m != nullptr && (m->unit == "lots" || m->unit == "chips")) {
      known += (known.empty() ? "" : ", ") + name;
    }
  }
  std::vector<InputError> errors;
  for (std::size_t i = 0; i < observations.observed.size(); ++i) {
    const std::string& m = observations.observed[i].metric;
    if (std::find(metrics.begin(), metrics.end(), m) != metrics.end()) continue;
    errors.push_back(located(
        observations.locator, FieldPath{}.at("observed", i) / "metric",
        "the scenario has no metric \"" + m + "\"" + rename_hint(m) + "; it has: " + known));
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
}

}  // namespace chiptrail::models
