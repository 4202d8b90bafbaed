// One replication of the supply chain, assembled from its parts (models/replication/): the lot
// registry, the lots' lifecycle, enforcement dispatch, the periodic checks, the adaptive
// smugglers, the resource guard and the random streams, all on one simulator.
#include "models/supply_chain_model.hpp"

#include <memory>

#include "models/expected_size.hpp"
#include "models/metrics_recorder.hpp"
#include "models/replication/adaptive_smugglers.hpp"
#include "models/replication/enforcement.hpp"
#include "models/replication/front_companies.hpp"
#include "models/replication/lot_lifecycle.hpp"
#include "models/replication/lot_registry.hpp"
#include "models/replication/periodic_checks.hpp"
#include "models/replication/remote_access.hpp"
#include "models/replication/replication_context.hpp"
#include "models/replication/replication_streams.hpp"
#include "models/replication/run_guard.hpp"
#include "sim/simulator.hpp"

namespace chiptrail::models {
namespace {

class Replication {
 public:
  Replication(const World& world, const RunConfig& config, std::uint64_t replication,
              Recorder& recorder)
      : config_(config),
        streams_(config.seed, replication, world),
        guard_(config.limits, replication),
        policies_(world),
        context_{world, recorder, simulator_, streams_, lots_, guard_, policies_},
        fronts_(context_),
        enforcement_(context_, fronts_),
        checks_(context_, enforcement_, config.per_check_operation),
        smugglers_(world.adversary ? std::make_unique<AdaptiveSmugglers>(context_) : nullptr),
        remote_(context_),
        lifecycle_(context_, enforcement_, checks_, fronts_, remote_, smugglers_.get()) {}

  SimulationSummary run() {
    check_expected_size(context_.world, config_.limits);
    simulator_.set_watchdog(guard_.check_every(),
                            [this] { guard_.check(simulator_.events_processed()); });
    lifecycle_.start();
    checks_.start_audits();
    if (config_.drain) {
      simulator_.run();
    } else {
      simulator_.run_until(context_.world.horizon);
    }
    checks_.finish();
    SimulationSummary out;
    std::vector<double> h100e_per_chip;
    for (const ChipModel& c : context_.world.chips) h100e_per_chip.push_back(c.h100_equivalents);
    out.pipeline = lots_.in_chain(h100e_per_chip);
    out.events = simulator_.events_processed();
    out.peak_lots_in_flight = lots_.peak_in_chain();
    return out;
  }

 private:
  const RunConfig& config_;
  ReplicationStreams streams_;
  RunGuard guard_;
  LotRegistry lots_;
  ReplicationPolicies policies_;
  ReplicationContext context_;
  FrontCompanies fronts_;
  Enforcement enforcement_;
  PeriodicChecks checks_;
  std::unique_ptr<AdaptiveSmugglers> smugglers_;  // null: the smugglers do not adapt
  RemoteAccess remote_;
  LotLifecycle lifecycle_;
  sim::Simulator simulator_;  // last: destroyed first, its processes refer to the parts above
};

}  // namespace

SimulationSummary simulate(const World& world, const RunConfig& config, std::uint64_t replication,
                           Recorder& recorder) {
  Replication r(world, config, replication, recorder);
  return r.run();
}

RunMetrics run_replication(const World& world, const RunConfig& config, std::uint64_t replication) {
  MetricsRecorder recorder(world, config);
  return recorder.finish(simulate(world, config, replication, recorder).pipeline);
}

SimulationSummary simulate(const World& world, std::uint64_t replication, Recorder& recorder) {
  return simulate(world, default_run(world), replication, recorder);
}

RunMetrics run_replication(const World& world, std::uint64_t replication) {
  return run_replication(world, default_run(world), replication);
}

}  // namespace chiptrail::models
