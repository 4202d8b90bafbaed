#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "chiptrail/v1/results.pb.h"
#include "models/summary.hpp"
#include "models/sweep/sweep_spec.hpp"

namespace chiptrail::models {

// The results of a sweep's runs, by run id: every metric of the model, in `names` order.
struct SweepResults {
  std::vector<std::string> names;
  std::map<std::uint64_t, std::vector<double>> runs;
};

// runs.csv: run_id, point_id, replication, seed, [role], factor columns, the recorded metrics.
std::string sweep_runs_csv(const models::SweepSpec& spec, const SweepResults& r);
// Every point's metrics summarised over its replications, as `chiptrail run` summarises (lots
// are independent trials unless the base scenario's smugglers adapt).
using PointSummaries = std::vector<std::vector<MetricSummary>>;
PointSummaries point_summaries(const SweepSpec& spec, const SweepResults& r);
// summary.csv: per point and recorded metric: point_id, [role], factors, metric, n, mean, sd,
// ci_low, ci_high, ci_level, ci_method (intervals as for `chiptrail run`).
std::string sweep_summary_csv(const models::SweepSpec& spec, const SweepResults& r,
                              const PointSummaries& summaries);
// summary.json: summary.csv's content as a chiptrail.v1.SweepSummary in protobuf's JSON
// mapping (NaN as "NaN"), for programs: `chiptrail sensitivity` reads it.
std::string sweep_summary_json(const models::SweepSpec& spec, const SweepResults& r,
                               const PointSummaries& summaries);
// paired.csv (common random numbers only): per point after the first and recorded metric, the
// per-replication difference to point 0: n, mean, sd, Student-t CI.
std::string sweep_paired_csv(const models::SweepSpec& spec, const SweepResults& r);
// manifest.json: deterministic (no thread count, shard or time), so a merged sweep's manifest
// is byte-identical to an unsharded one's.
v1::Manifest sweep_manifest(const models::SweepSpec& spec, const std::string& shard);
// Fingerprint of the sweep and its base scenario, for journals and merges.
std::string sweep_fingerprint(const models::SweepSpec& spec);

// Writes runs.csv, summary.csv, summary.json, manifest.json and (with CRN) paired.csv into `dir`,
// atomically each; every run of the sweep must be present.
void write_sweep_outputs(const std::string& dir, const models::SweepSpec& spec,
                         const SweepResults& r);

}  // namespace chiptrail::models
