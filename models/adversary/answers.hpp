#pragma once

#include <cstddef>
#include <cstdint>

#include "models/world.hpp"

namespace chiptrail::models {

// Tactics with which adaptive smugglers answer the published rules of the policies in force at
// `now`. Rules are public (a size threshold, the chip models a verification scheme covers), so
// answering them needs no learning.

// Consignment size against size-based inspection: the largest multiple of `unit` below every
// threshold in force that covers `chip_model`, if that is smaller than `planned` and at least
// one unit; otherwise `planned`.
std::uint64_t consignment_chips_under_thresholds(const World& world, std::size_t chip_model,
                                                 std::uint64_t planned, std::uint64_t unit,
                                                 sim::Time now);

// Chip model against location verification: the flow's own model if no operation check
// (location verification, heartbeat) in force covers it, else its first alternative that none
// covers, else its own model.
std::size_t chip_model_avoiding_verification(const World& world, const Flow& flow, sim::Time now);

// Whether an operation check (location verification, heartbeat) in force at `now` covers it.
bool verified(const World& world, std::size_t chip_model, sim::Time now);

}  // namespace chiptrail::models
