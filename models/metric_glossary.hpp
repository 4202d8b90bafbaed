#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chiptrail::models {

// Every metric a replication reports, with what it counts. The outcome ladder of a diverted lot
// (and of its chips and H100-equivalents) runs
//   diverted -> flagged (some measure raised an alert) -> interdicted (seized or disabled:
//   stopped from reaching the end user) | delivered (reached the restricted end user)
// with what is still in the pipeline at the horizon kept apart, so that per chip and per H100e
//   diverted = interdicted + delivered + in pipeline
// in every replication, and per lot the same with "interdicted" meaning all of its chips were
// stopped and "delivered" meaning some of them arrived. Flagged is not a rung below
// interdicted: an alert that stops nothing (an end-use check, a registry mismatch) flags only.
// Names say the rung; no metric mixes rungs.
struct MetricInfo {
  std::string
      name;  // a column of runs.csv; per-policy names end in ".<policy>", per-flow ".<flow>"
  std::string rung;         // diverted, flagged, interdicted, delivered, pipeline, finished, ...
  std::string unit;         // lots, chips, H100e, USD, days, share, ...
  std::string description;  // one sentence: what is counted, and when
  // Ratio metrics (shares, costs per unit): numerator / denominator, each another metric. The
  // summary pools them over replications (sum over sum) and gives the ratio estimator's
  // interval with the replication as the unit, or Wilson's when `lot_trials` and the lots of
  // the scenario are provably independent (lots_independent).
  std::string numerator;
  std::string denominator;
  bool share = false;       // a ratio in [0, 1] (its interval is clipped to it)
  bool lot_trials = false;  // numerator and denominator count lots of one kind (a binomial)

  [[nodiscard]] bool is_ratio() const { return !denominator.empty(); }
};

// The glossary, in the order of runs.csv. Per-policy metrics appear once each, with the
// policy written as "<policy>".
const std::vector<MetricInfo>& metric_glossary();

// The glossary entry of a metric name (a per-policy name such as "lots_flagged_by.customs_hk"
// finds "lots_flagged_by.<policy>", a per-flow one its ".<flow>" entry); null for an unknown
// name.
const MetricInfo* find_metric(std::string_view name);

// Names of earlier versions, with the metric that replaced them (empty when none replaces it
// one for one), so an old sweep file or observation gets an error that says what to write.
std::string renamed_metric(std::string_view old_name);
// For an error about an unknown metric: "; renamed: write \"NEW\" (see `chiptrail metrics`)"
// when `name` is an old name, else empty.
std::string rename_hint(std::string_view name);

// The metrics counted per period in timeseries.csv (by when each event happened): the ladder's
// counts and the cost, whose sums over the periods are the totals of the same names; then the
// stock in service (rung "stock"), taken at each period's end.
const std::vector<std::string>& period_metric_names();

}  // namespace chiptrail::models
