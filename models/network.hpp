#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/distribution.hpp"

namespace chiptrail::models {

enum class NodeKind {
  kVendor,
  kDistributor,
  kDataCenter,
  kDealer,
  kBorderCrossing,
  kTransitHub,
  kEndFacility
};
enum class TransportMode { kAir, kSea, kTruck, kHandCarry };

const char* to_string(NodeKind k);
const char* to_string(TransportMode m);

struct NodeInfo {
  std::string id;
  NodeKind kind = NodeKind::kVendor;
  std::string name;
  std::string country;
  double latitude = 0;
  double longitude = 0;
  Distribution processing_days;
};

struct EdgeInfo {
  TransportMode mode = TransportMode::kTruck;
  Distribution transit_days;
  double cost_usd = 0;
};

using NodeIndex = std::size_t;
using EdgeIndex = std::size_t;

// The supply-chain graph: a Boost.Graph adjacency list with the node and edge data bundled.
// Nodes are addressed by index (their order in the scenario) or by scenario id; edges by the
// order in which they were added. Boost stays inside network.cpp, so this header is cheap.
class Network {
 public:
  Network();
  Network(Network&&) noexcept;
  Network& operator=(Network&&) noexcept;
  ~Network();

  NodeIndex add_node(NodeInfo info);
  EdgeIndex add_edge(NodeIndex from, NodeIndex to, EdgeInfo info);

  [[nodiscard]] std::size_t node_count() const;
  [[nodiscard]] std::size_t edge_count() const;
  [[nodiscard]] const NodeInfo& node(NodeIndex i) const;
  [[nodiscard]] const EdgeInfo& edge(EdgeIndex e) const;
  [[nodiscard]] NodeIndex edge_source(EdgeIndex e) const;
  [[nodiscard]] NodeIndex edge_target(EdgeIndex e) const;
  [[nodiscard]] std::optional<NodeIndex> find(const std::string& id) const;
  // The edge from `from` to `to` with the least expected transit time; none if unconnected.
  [[nodiscard]] std::optional<EdgeIndex> fastest_edge(NodeIndex from, NodeIndex to) const;

  // Shortest path by expected transit time (Dijkstra), as the edges to take in order; empty
  // when `to` cannot be reached (or equals `from`).
  [[nodiscard]] std::vector<EdgeIndex> shortest_path(NodeIndex from, NodeIndex to) const;
  // The same by a given non-negative weight per edge.
  [[nodiscard]] std::vector<EdgeIndex> shortest_path(
      NodeIndex from, NodeIndex to, const std::function<double(EdgeIndex)>& weight) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chiptrail::models
