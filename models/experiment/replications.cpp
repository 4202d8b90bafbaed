#include "models/experiment/replications.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "models/metrics_recorder.hpp"
#include "models/supply_chain_model.hpp"
#include "models/tee_recorder.hpp"

namespace chiptrail::models {
namespace {

// The execution's stop flag reaches the replications' watchdog through their limits.
RunConfig with_stop(RunConfig config, const Execution& execution) {
  if (config.limits.stop == nullptr) config.limits.stop = execution.stop;
  return config;
}

struct Replicated {
  RunMetrics metrics;
  std::vector<DetectionRecord> detections;
};

}  // namespace

bool lots_independent(const World& world) {
  // Every draw on a lot comes from streams addressed by the lot, so lots are independent
  // trials unless something shared couples them: smugglers learning from earlier lots, or
  // audit visits, one visit examining every lot on record at a site (and, announced, holding
  // back every removal there), an entity list (cases add up across lots), front companies a
  // confirmed case closes (one lot's case stops the flow's later lots), deterred buyers (earlier
  // outcomes change later purchases), or a checkpoint's daily capacity (one lot inspected is
  // another not).
  if (world.adversary || world.entity_list) return false;
  if (std::any_of(world.flows.begin(), world.flows.end(),
                  [](const Flow& f) { return f.front || f.deterrence; })) {
    return false;
  }
  return std::none_of(world.policies.begin(), world.policies.end(), [](const PolicyInstance& p) {
    return p.policy->audits_per_site_per_year() > 0 || p.policy->uses_checkpoint_load();
  });
}

ReplicationSet run_replications(const World& world, const RunConfig& run_config,
                                const Execution& execution, const ReplicationRequest& request) {
  const RunConfig config = with_stop(run_config, execution);
  std::vector<Replicated> results =
      run_indexed<Replicated>(config.replications, execution, [&](std::size_t r) {
        if (!request.keep_detections) return Replicated{run_replication(world, config, r), {}};
        MetricsRecorder metrics(world, config);
        DetectionLog detections;
        TeeRecorder both(metrics, detections);
        const SimulationSummary s = simulate(world, config, r, both);
        return Replicated{metrics.finish(s.pipeline), detections.records()};
      });
  ReplicationSet out;
  for (Replicated& r : results) {
    out.runs.push_back(std::move(r.metrics));
    if (request.keep_detections) out.detections.push_back(std::move(r.detections));
  }
  out.summary = summarize(out.runs, request.level, lots_independent(world));
  out.periods = summarize_periods(out.runs, request.level);
  return out;
}

VariantComparison compare_variants(const World& baseline, const std::vector<const World*>& variants,
                                   const RunConfig& config, const Execution& execution,
                                   const ReplicationRequest& request) {
  VariantComparison out;
  out.baseline = run_replications(baseline, config, execution, request);
  for (const World* variant : variants) {
    out.variants.push_back(run_replications(*variant, config, execution, request));
    out.differences.push_back(
        paired_differences(out.baseline.runs, out.variants.back().runs, request.level));
    out.period_effects.push_back(period_effects(
        out.baseline.runs, out.variants.back().runs, kEffectByPeriodMetric, config.period.to_days(),
        config.warmup.to_days(), std::min(baseline.horizon.to_days(), variant->horizon.to_days()),
        request.level));
  }
  return out;
}

Comparison compare_replications(const World& baseline, const World& variant,
                                const RunConfig& run_config, const Execution& execution,
                                double level) {
  const RunConfig config = with_stop(run_config, execution);
  // Both variants of replication r run together, so a progress count means pairs done.
  auto pairs = run_indexed<std::pair<RunMetrics, RunMetrics>>(
      config.replications, execution, [&](std::size_t r) {
        return std::pair{run_replication(baseline, config, r), run_replication(variant, config, r)};
      });
  std::vector<RunMetrics> base_runs, variant_runs;
  for (auto& [b, v] : pairs) {
    base_runs.push_back(std::move(b));
    variant_runs.push_back(std::move(v));
  }
  pairs.clear();
  const bool independent = lots_independent(baseline) && lots_independent(variant);
  Comparison out;
  out.baseline = summarize(base_runs, level, independent);
  out.difference = paired_differences(base_runs, variant_runs, level);
  const std::vector<MetricSummary> variant_summary = summarize(variant_runs, level, independent);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const MetricSummary& b : out.baseline) {
    const auto found = std::find_if(variant_summary.begin(), variant_summary.end(),
                                    [&](const MetricSummary& s) { return s.metric == b.metric; });
    out.variant.push_back(found != variant_summary.end()
                              ? *found
                              : MetricSummary{b.metric, 0, nan, nan, nan, nan, ""});
  }
  return out;
}

}  // namespace chiptrail::models
