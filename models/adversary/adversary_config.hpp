#pragma once

#include <cstddef>
#include <optional>

#include "sim/time.hpp"

namespace chiptrail::models {

// How smugglers react to enforcement (scenario field `adversary`; see scenario.proto for the
// decision rule). Absent from a World: smugglers follow their flows as written.
struct AdversaryConfig {
  double learning_rate = 1;
  sim::Time information_delay;
  double observed_share = 1;
  double risk_aversion = 1;
  double prior_detection = 0.1;             // at border crossings and transit hubs
  double prior_detection_elsewhere = 0.01;  // at other nodes
  double prior_strength = 2;
  double delay_cost_per_chip_day_usd = 0;
  bool split_below_inspection_threshold = false;
  bool avoid_verified_chips = false;
  std::optional<std::size_t> substitute_chip;  // index into World::chips
  double grey_market_markup = 0.5;
  std::optional<double> substitution_elasticity;             // none: all or nothing
  std::optional<double> substitute_capacity_h100e_per_year;  // none: unlimited
};

}  // namespace chiptrail::models
