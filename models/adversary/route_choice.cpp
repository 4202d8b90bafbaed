#include "models/adversary/route_choice.hpp"

#include <algorithm>
#include <cmath>

namespace chiptrail::models {

double edge_cost(const Network& net, EdgeIndex e, double detection_at_target, const Stake& stake) {
  const EdgeInfo& edge = net.edge(e);
  const double days =
      net.node(net.edge_source(e)).processing_days.mean() + edge.transit_days.mean();
  // A belief of exactly 1 would make the edge infinitely costly and Dijkstra's sums overflow;
  // a cap keeps a certain loss very expensive but finite.
  const double p = std::clamp(detection_at_target, 0.0, 1.0 - 1e-12);
  return edge.cost_usd + stake.delay_cost_per_chip_day_usd * stake.chips * days -
         stake.risk_aversion * stake.value_usd * std::log1p(-p);
}

double route_cost(const Network& net, std::span<const EdgeIndex> route,
                  const DetectionAt& detection, const Stake& stake) {
  double total = 0;
  for (const EdgeIndex e : route) total += edge_cost(net, e, detection(net.edge_target(e)), stake);
  return total;
}

double survival(const Network& net, std::span<const EdgeIndex> route,
                const DetectionAt& detection) {
  double through = 1;
  for (const EdgeIndex e : route) through *= 1.0 - detection(net.edge_target(e));
  return through;
}

std::vector<EdgeIndex> cheapest_route(const Network& net, NodeIndex from, NodeIndex to,
                                      const DetectionAt& detection, const Stake& stake,
                                      const std::vector<std::vector<EdgeIndex>>& candidates) {
  if (candidates.empty()) {
    return net.shortest_path(from, to, [&](EdgeIndex e) {
      return edge_cost(net, e, detection(net.edge_target(e)), stake);
    });
  }
  std::size_t best = 0;
  double best_cost = route_cost(net, candidates[0], detection, stake);
  for (std::size_t i = 1; i < candidates.size(); ++i) {
    const double c = route_cost(net, candidates[i], detection, stake);
    if (c < best_cost) {
      best = i;
      best_cost = c;
    }
  }
  return candidates[best];
}

}  // namespace chiptrail::models
