#include "models/world.hpp"

#include <algorithm>

namespace chiptrail::models {

bool Scope::covers(const NodeInfo* node, NodeIndex index, std::size_t chip_model) const {
  if (!chip_models.empty() &&
      std::find(chip_models.begin(), chip_models.end(), chip_model) == chip_models.end()) {
    return false;
  }
  if (node == nullptr) return nodes.empty() && countries.empty();
  if (!nodes.empty() && std::find(nodes.begin(), nodes.end(), index) == nodes.end()) return false;
  if (!countries.empty() &&
      std::find(countries.begin(), countries.end(), node->country) == countries.end()) {
    return false;
  }
  return true;
}

}  // namespace chiptrail::models
