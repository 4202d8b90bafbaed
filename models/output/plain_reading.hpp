#pragma once

#include <string>
#include <vector>

#include "models/summary.hpp"
#include "models/world.hpp"

namespace chiptrail::models {

// The headline metrics, in the order `run` and the report show them first: compute delivered
// per year, share of compute denied, share of lots flagged, cost per H100e denied.
const std::vector<std::string>& headline_metrics();

// What the run says, in sentences a researcher can quote: compute delivered to the restricted
// end user per year (after the warm-up) with its interval, the share denied, the share of lots
// flagged and by which measure first, and the cost. Built from a summary of the glossary's
// metrics; says so where a figure is undefined (nothing finished, nothing interdicted).
struct ReadingContext {
  std::uint64_t replications = 0;
  double horizon_days = 0;
  double warmup_days = 0;
  double ci_level = 0.95;
  // What the scenario says its yearly rates estimate, with the warm-up it says that for.
  World::Estimand estimand = World::Estimand::kUnspecified;
  double scenario_warmup_days = 0;
};
std::string plain_reading(const std::vector<MetricSummary>& summary, const ReadingContext& c);

// What the yearly figures estimate, as the scenario declares it (Scenario.estimand): one
// sentence, empty when the scenario does not say. The reading ends with it.
std::string describe_estimand(const ReadingContext& c);

}  // namespace chiptrail::models
