#include "models/adversary/answers.hpp"

#include <algorithm>

namespace chiptrail::models {

std::uint64_t consignment_chips_under_thresholds(const World& world, std::size_t chip_model,
                                                 std::uint64_t planned, std::uint64_t unit,
                                                 sim::Time now) {
  std::uint64_t size = planned;
  for (const PolicyInstance& p : world.policies) {
    const std::uint64_t threshold = p.policy->exempt_below_chips();
    if (threshold == 0 || now < p.start || !p.scope.covers_chip(chip_model)) continue;
    const std::uint64_t below = (threshold - 1) / unit * unit;
    if (below >= unit) size = std::min(size, below);
  }
  return size;
}

bool verified(const World& world, std::size_t chip_model, sim::Time now) {
  return std::any_of(world.policies.begin(), world.policies.end(), [&](const PolicyInstance& p) {
    return p.policy->operation_interval() > sim::Time::zero() && now >= p.start &&
           p.scope.covers_chip(chip_model);
  });
}

std::size_t chip_model_avoiding_verification(const World& world, const Flow& flow, sim::Time now) {
  if (!verified(world, flow.chip_model, now)) return flow.chip_model;
  for (const std::size_t alternative : flow.tactics.alternative_chip_models) {
    if (!verified(world, alternative, now)) return alternative;
  }
  return flow.chip_model;
}

}  // namespace chiptrail::models
