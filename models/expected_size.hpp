#pragma once

#include "models/resource_limits.hpp"
#include "models/world.hpp"

namespace chiptrail::models {

// Refuses, before any event runs, a replication that its own rates say would exceed the
// given limits: more sold lots than --max-lots (the flows' expected arrivals over the
// horizon), or more engine events than --max-events from periodic work that creates no lots
// (audit visits to every site in scope, operation checks on every covered lot), which the
// run-time guards would only stop after hours. Throws ResourceLimitExceeded naming the flow
// or policy and the flag. Estimates are means: a replication that passes can still be
// stopped by the run-time guards.
void check_expected_size(const World& world, const ResourceLimits& limits);

}  // namespace chiptrail::models
