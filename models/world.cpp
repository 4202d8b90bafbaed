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

bool Scope::covers_place(const NodeInfo* node, NodeIndex index) const {
  if (node == nullptr) return nodes.empty() && countries.empty();
  if (!nodes.empty() && std::find(nodes.begin(), nodes.end(), index) == nodes.end()) return false;
  if (!countries.empty() &&
      std::find(countries.begin(), countries.end(), node->country) == countries.end()) {
    return false;
  }
  return true;
}

}  // namespace chiptrail::models
