#pragma once

#include <string>

#include "models/policies/policy_registry.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/world.hpp"

namespace chiptrail::models {

// Validates a parsed scenario and turns it into a World. Collects every problem it can find
// (unknown nodes, routes that are not paths, probabilities outside [0, 1], negative times,
// flows with no path, duplicate ids, bad policy parameters ...) and throws InvalidInput with
// all of them, each located at file:line:column with its field path.
World build_world(const ScenarioFile& file, const PolicyRegistry& registry);

// The same for a scenario message edited after reading (fields overridden): errors are located
// through the locator of the file it was read from.
World build_world(const v1::Scenario& scenario, const FieldLocator& locator,
                  const PolicyRegistry& registry);

// read_scenario_file + build_world.
World load_world(const std::string& path, const PolicyRegistry& registry);

}  // namespace chiptrail::models
