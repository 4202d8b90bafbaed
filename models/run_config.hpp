#pragma once

#include <cstdint>

#include "models/resource_limits.hpp"
#include "models/world.hpp"

namespace chiptrail::models {

// How to run a world: which random numbers, how many replications, how large one may grow.
// Travels beside the World (which holds only the scenario), so running a world never means
// editing it. Start from default_run(world) and override what the caller was asked to.
struct RunConfig {
  std::uint64_t seed = 1;
  std::uint32_t replications = 1;
  ResourceLimits limits;
  // Run past the horizon until every lot has finished its journey (no lot starts after the
  // horizon). Only for memoryless scenarios, whose event queue empties: the analytic check
  // compares lots that completed, without the horizon cutting off the slow ones.
  bool drain = false;
};

// The scenario's own seed and replications, with the default limits.
inline RunConfig default_run(const World& world) {
  RunConfig config;
  config.seed = world.seed;
  config.replications = world.replications;
  return config;
}

}  // namespace chiptrail::models
