#include "models/inference/observations.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>

#include "chiptrail/v1/observations.pb.h"
#include "models/metric_glossary.hpp"
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

Observations parse_observations_text(const std::string& path, std::string text) {
  Observations out;
  out.path = path;
  out.text = std::move(text);
  std::vector<InputError> errors;
  v1::Observations message;
  out.locator = parse_input_text(path, out.text, message, errors);
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  if (!(message.period_days() > 0 && message.period_days() <= kMaxPeriodDays)) {
    errors.push_back(located(out.locator, FieldPath{} / "period_days",
                             "must be a number of days in (0, 1e6]: the window the counts cover"));
  }
  if (message.observed().empty()) {
    errors.push_back(
        located(out.locator, FieldPath{} / "observed", "needs at least one observed count"));
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
    out.observed.push_back({o.metric(), o.count()});
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  out.name = message.name();
  out.period_days = message.period_days();
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
