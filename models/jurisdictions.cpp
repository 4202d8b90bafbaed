#include "models/jurisdictions.hpp"

#include <algorithm>

namespace chiptrail::models {

bool Authority::covers(const Lot& lot, sim::Time t) const {
  if (t < from) return false;
  switch (kind) {
    case AuthorityKind::kControlledItems:
      return lot.chip_model < chips.size() && chips[lot.chip_model];
    case AuthorityKind::kMisdeclaration:
      return lot.relabelled;
    case AuthorityKind::kEndUserFraud:
      return lot.diverted;
  }
  return false;
}

void Jurisdictions::describe(NodeIndex node, std::vector<Authority> authorities) {
  if (by_node_.size() <= node) by_node_.resize(node + 1);
  by_node_[node] = {true, std::move(authorities)};
}

bool Jurisdictions::may_seize(NodeIndex node, const Lot& lot, sim::Time t) const {
  if (node >= by_node_.size() || !by_node_[node].described) return true;
  const std::vector<Authority>& a = by_node_[node].authorities;
  return std::any_of(a.begin(), a.end(), [&](const Authority& x) { return x.covers(lot, t); });
}

}  // namespace chiptrail::models
