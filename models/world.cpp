#include "models/world.hpp"

#include <algorithm>

namespace chiptrail::models {

bool Scope::covers_chip(std::size_t chip_model) const {
  return chip_model < chips.size() && chips[chip_model];
}

bool Scope::covers_edge(std::optional<EdgeIndex> edge) const {
  if (edges.empty()) return true;
  return edge && std::find(edges.begin(), edges.end(), *edge) != edges.end();
}

void Scope::resolve_places(const Network& network) {
  places.clear();
  std::vector<bool> resolved(network.node_count());
  for (NodeIndex i = 0; i < network.node_count(); ++i) {
    resolved[i] = covers_place(&network.node(i), i);
  }
  places = std::move(resolved);
}

bool Scope::covers_place(const NodeInfo* node, NodeIndex index) const {
  if (node == nullptr) return nodes.empty() && countries.empty();
  if (index < places.size()) return places[index];
  if (!nodes.empty() && std::find(nodes.begin(), nodes.end(), index) == nodes.end()) return false;
  if (!countries.empty() &&
      std::find(countries.begin(), countries.end(), node->country) == countries.end()) {
    return false;
  }
  return true;
}

}  // namespace chiptrail::models
