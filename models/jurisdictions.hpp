#pragma once

#include <cstddef>
#include <vector>

#include "models/lot.hpp"
#include "models/network.hpp"
#include "sim/time.hpp"

namespace chiptrail::models {

// What a country's law lets its officers seize (DOMAIN.md, "Who may act").
enum class AuthorityKind {
  kControlledItems,  // a licence or permit regime covering the chips: any unpermitted consignment
  kMisdeclaration,   // customs fraud: a consignment declared as other goods (relabelled)
  kEndUserFraud,     // fraud on the end-user statement: any diverted lot (a front's false claim)
};

struct Authority {
  AuthorityKind kind = AuthorityKind::kControlledItems;
  sim::Time from;  // in force from this time on
  // kControlledItems: by chip model, whether the regime covers it.
  std::vector<bool> chips;

  [[nodiscard]] bool covers(const Lot& lot, sim::Time t) const;
};

// Who may seize what, where and from when. A seizure needs an authority in force at the place
// over the lot; a measure that finds a lot where none covers it can only pass the finding on
// (a flag). Nodes in countries the scenario does not describe may seize whatever their
// measures find (the rule before jurisdictions were modelled, and of simple scenarios).
class Jurisdictions {
 public:
  // The authorities of a described country, for the node at `node` (nodes are added in order;
  // a node of an undescribed country needs no call).
  void describe(NodeIndex node, std::vector<Authority> authorities);

  [[nodiscard]] bool may_seize(NodeIndex node, const Lot& lot, sim::Time t) const;
  [[nodiscard]] bool empty() const { return by_node_.empty(); }

 private:
  struct Described {
    bool described = false;
    std::vector<Authority> authorities;
  };
  std::vector<Described> by_node_;
};

}  // namespace chiptrail::models
