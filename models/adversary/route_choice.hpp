#pragma once

#include <functional>
#include <span>
#include <vector>

#include "models/network.hpp"

namespace chiptrail::models {

// What one consignment puts at stake on a route, in the smugglers' reckoning.
struct Stake {
  double chips = 0;
  double value_usd = 0;  // what is lost if it is seized
  double risk_aversion = 1;
  double delay_cost_per_chip_day_usd = 0;
};

// The believed (or drawn) probability of being caught on arriving at a node.
using DetectionAt = std::function<double(NodeIndex)>;

// The smugglers' cost of one edge: its transport cost, the time it takes (processing where it
// starts and transit, at their expected values) at the stake's delay cost, and the value at
// risk on entering its target, risk_aversion * value * -ln(1 - p). Summed along a path, the
// last term is risk_aversion * value * -ln(chance of getting through): additive, so the
// cheapest path is a shortest path, and close to value * P(caught) while risks are small.
double edge_cost(const Network& net, EdgeIndex e, double detection_at_target, const Stake& stake);

double route_cost(const Network& net, std::span<const EdgeIndex> route,
                  const DetectionAt& detection, const Stake& stake);

// The chance of getting through every node a route enters.
double survival(const Network& net, std::span<const EdgeIndex> route, const DetectionAt& detection);

// The cheapest route from `from` to `to`: among `candidates` when there are any (the first of
// equals), else over the whole network by Dijkstra on the edge costs. Empty if unreachable.
std::vector<EdgeIndex> cheapest_route(const Network& net, NodeIndex from, NodeIndex to,
                                      const DetectionAt& detection, const Stake& stake,
                                      const std::vector<std::vector<EdgeIndex>>& candidates);

}  // namespace chiptrail::models
