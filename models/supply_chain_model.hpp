#pragma once

#include <cstdint>

#include "models/recorder.hpp"
#include "models/run_config.hpp"
#include "models/run_metrics.hpp"
#include "models/world.hpp"

namespace chiptrail::models {

struct SimulationSummary {
  // What is still in the chain at the horizon (in transit, installed before diversion, waiting
  // for reassembly), counted from the lots alive in the model.
  Pipeline pipeline;
  std::uint64_t events = 0;             // engine events processed
  std::size_t peak_lots_in_flight = 0;  // most lots and consignments alive at once
};

// Simulates one replication of `world` up to its horizon, reporting to `recorder`. The
// replication's random numbers are addressed by (config.seed, replication).
SimulationSummary simulate(const World& world, const RunConfig& config, std::uint64_t replication,
                           Recorder& recorder);

// One replication with the standard metrics.
RunMetrics run_replication(const World& world, const RunConfig& config, std::uint64_t replication);

// The same with the scenario's own seed and the default limits (default_run).
SimulationSummary simulate(const World& world, std::uint64_t replication, Recorder& recorder);
RunMetrics run_replication(const World& world, std::uint64_t replication);

}  // namespace chiptrail::models
