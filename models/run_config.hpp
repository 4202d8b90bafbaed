#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "models/resource_limits.hpp"
#include "models/world.hpp"
#include "sim/time.hpp"

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
  // How outcomes are measured in time: the steady-state rates (`*_per_year`) count events from
  // `warmup` to the horizon, so the empty pipeline of the first months does not read as a
  // quieter year; timeseries.csv counts them per `period`.
  sim::Time warmup;
  sim::Time period = sim::Time::days(365);
  // Events before this time are not counted at all: every count is then of [count_from,
  // horizon) (`infer` compares observations with the steady state this way). What is in the
  // pipeline at the horizon is counted whole. Zero normally.
  sim::Time count_from;
  // Operation checks (location verification, heartbeats) one event per check instead of as
  // trials with the first acting check drawn directly (PeriodicChecks): the slow reference
  // that tests compare the trials with. Same distribution, other random numbers.
  bool per_check_operation = false;
};

// A period for time series: "year" (365 days), "quarter" (365/4), "month" (365/12), or a
// positive number of days ("30"); nullopt for anything else.
inline std::optional<sim::Time> parse_period(const std::string& text) {
  if (text == "year") return sim::Time::days(365);
  if (text == "quarter") return sim::Time::from_days(365.0 / 4);
  if (text == "month") return sim::Time::from_days(365.0 / 12);
  try {
    std::size_t used = 0;
    const double days = std::stod(text, &used);
    if (used == text.size() && days >= 1.0 / 24 && days <= 1e6) return sim::Time::from_days(days);
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// The scenario's own seed and replications, with the default limits.
inline RunConfig default_run(const World& world) {
  RunConfig config;
  config.seed = world.seed;
  config.replications = world.replications;
  config.warmup = world.warmup;
  return config;
}

}  // namespace chiptrail::models
