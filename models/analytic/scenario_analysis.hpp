#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/world.hpp"

namespace chiptrail::models {

// Where a diverted lot can be found, and how likely.
struct FoundAt {
  std::size_t policy = 0;  // index into World::policies
  NodeIndex node = 0;
  Stage stage = Stage::kBorder;
  double probability = 0;  // P(some part of the lot is seized here by this policy)
};

// The analytic answer for one diversion flow, or why there is none.
struct FlowAnalysis {
  std::string flow;
  // Features that make the flow's detection depend on time or history; when non-empty, nothing
  // else is filled in. No silent approximation.
  std::vector<std::string> obstacles;
  std::uint64_t lot_chips = 0;
  std::vector<std::uint64_t> consignments;  // chips in each consignment after dismantling
  double detection_probability = 0;         // P(the lot is found at all)
  std::vector<FoundAt> found_at;
  // Mean days from sale to dismantling when nothing is found on the way (route, dwell, to the
  // dealer).
  double days_to_dismantling = 0;
  // E[days from sale to the seizure of a consignment | that consignment is seized after
  // dismantling].
  double days_to_consignment_seizure = 0;
};

// Builds, for each diversion flow, the absorbing Markov chain of its journey (the whole lot up
// to dismantling, then each consignment, relabelled or not, as a mixture of two chains) and
// solves it (AbsorbingChain). Valid when every policy is memoryless per hop
// (Policy::memoryless_seize_probability), in force from day 0, and the lot size is fixed.
// Results are for lots that complete their journey: a finite horizon cuts some off.
std::vector<FlowAnalysis> analyze(const World& world);

}  // namespace chiptrail::models
