#include "models/network.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/property_map/function_property_map.hpp>
#include <unordered_map>

namespace chiptrail::models {

const char* to_string(NodeKind k) {
  switch (k) {
    case NodeKind::kVendor:
      return "vendor";
    case NodeKind::kDistributor:
      return "distributor";
    case NodeKind::kDataCenter:
      return "data_center";
    case NodeKind::kDealer:
      return "dealer";
    case NodeKind::kBorderCrossing:
      return "border_crossing";
    case NodeKind::kTransitHub:
      return "transit_hub";
    case NodeKind::kEndFacility:
      return "end_facility";
  }
  return "?";
}

const char* to_string(TransportMode m) {
  switch (m) {
    case TransportMode::kAir:
      return "air";
    case TransportMode::kSea:
      return "sea";
    case TransportMode::kTruck:
      return "truck";
    case TransportMode::kHandCarry:
      return "hand_carry";
  }
  return "?";
}

struct Network::Impl {
  // An edge knows its index, so a weight given by EdgeIndex can be read during a search.
  struct EdgeBundle {
    EdgeInfo info;
    EdgeIndex index = 0;
  };
  using Graph =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, NodeInfo, EdgeBundle>;
  using EdgeDescriptor = Graph::edge_descriptor;
  Graph graph;
  std::vector<EdgeDescriptor> edges;  // by EdgeIndex
  std::unordered_map<std::string, NodeIndex> by_id;
};

Network::Network() : impl_(std::make_unique<Impl>()) {}
Network::Network(Network&&) noexcept = default;
Network& Network::operator=(Network&&) noexcept = default;
Network::~Network() = default;

std::size_t Network::node_count() const {
  return boost::num_vertices(impl_->graph);
}
std::size_t Network::edge_count() const {
  return impl_->edges.size();
}
const NodeInfo& Network::node(NodeIndex i) const {
  return impl_->graph[i];
}
const EdgeInfo& Network::edge(EdgeIndex e) const {
  return impl_->graph[impl_->edges[e]].info;
}
NodeIndex Network::edge_source(EdgeIndex e) const {
  return boost::source(impl_->edges[e], impl_->graph);
}
NodeIndex Network::edge_target(EdgeIndex e) const {
  return boost::target(impl_->edges[e], impl_->graph);
}

NodeIndex Network::add_node(NodeInfo info) {
  const std::string id = info.id;
  const NodeIndex v = boost::add_vertex(std::move(info), impl_->graph);
  impl_->by_id.emplace(id, v);
  return v;
}

EdgeIndex Network::add_edge(NodeIndex from, NodeIndex to, EdgeInfo info) {
  const EdgeIndex index = impl_->edges.size();
  impl_->edges.push_back(
      boost::add_edge(from, to, Impl::EdgeBundle{std::move(info), index}, impl_->graph).first);
  return impl_->edges.size() - 1;
}

std::optional<NodeIndex> Network::find(const std::string& id) const {
  const auto it = impl_->by_id.find(id);
  if (it == impl_->by_id.end()) return std::nullopt;
  return it->second;
}

std::optional<EdgeIndex> Network::fastest_edge(NodeIndex from, NodeIndex to) const {
  std::optional<EdgeIndex> best;
  for (EdgeIndex e = 0; e < impl_->edges.size(); ++e) {
    if (edge_source(e) == from && edge_target(e) == to &&
        (!best || edge(e).transit_days.mean() < edge(*best).transit_days.mean())) {
      best = e;
    }
  }
  return best;
}

std::vector<EdgeIndex> Network::shortest_path(NodeIndex from, NodeIndex to) const {
  return shortest_path(from, to, [this](EdgeIndex e) { return edge(e).transit_days.mean(); });
}

std::vector<EdgeIndex> Network::shortest_path(
    NodeIndex from, NodeIndex to, const std::function<double(EdgeIndex)>& weight) const {
  const std::size_t n = node_count();
  std::vector<NodeIndex> predecessor(n);
  std::vector<double> distance(n);
  const Impl::Graph& g = impl_->graph;
  const auto weight_map = boost::make_function_property_map<Impl::EdgeDescriptor, double>(
      [&g, &weight](const Impl::EdgeDescriptor& e) { return weight(g[e].index); });
  boost::dijkstra_shortest_paths(g, from,
                                 boost::predecessor_map(predecessor.data())
                                     .distance_map(distance.data())
                                     .weight_map(weight_map));
  std::vector<EdgeIndex> path;
  // Dijkstra leaves unreached nodes as their own predecessor (and their distance at
  // numeric_limits<double>::max(), not infinity).
  if (from == to || predecessor[to] == to) return path;
  // Among parallel edges, the lightest is the one Dijkstra relaxed (first of equals).
  for (NodeIndex v = to; v != from; v = predecessor[v]) {
    std::optional<EdgeIndex> best;
    for (const auto& e : boost::make_iterator_range(boost::out_edges(predecessor[v], g))) {
      if (boost::target(e, g) != v) continue;
      const EdgeIndex index = g[e].index;
      if (!best || weight(index) < weight(*best)) best = index;
    }
    path.push_back(*best);
  }
  return {path.rbegin(), path.rend()};
}

}  // namespace chiptrail::models
