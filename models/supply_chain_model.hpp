#pragma once

#include <cstdint>

#include "models/recorder.hpp"
#include "models/run_metrics.hpp"
#include "models/world.hpp"

namespace chiptrail::models {

// Simulates one replication of `world` up to its horizon, reporting to `recorder`. Returns the
// chips still in the chain at the horizon (in transit, installed before diversion, or waiting
// for reassembly), counted from the lots alive in the model.
std::uint64_t simulate(const World& world, std::uint64_t replication, Recorder& recorder);

// One replication with the standard metrics.
RunMetrics run_replication(const World& world, std::uint64_t replication);

}  // namespace chiptrail::models
