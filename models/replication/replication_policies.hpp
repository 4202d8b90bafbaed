#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "models/policies/policy.hpp"
#include "models/world.hpp"

namespace chiptrail::models {

// The policies as one replication asks them: the world's shared, immutable ones, except where a
// policy keeps state between its decisions (Policy::for_replication, a Python policy's own
// object): that replication then asks an instance of its own, made at its start, so no state
// passes from one replication to another, whatever thread runs it or what ran before.
class ReplicationPolicies {
 public:
  explicit ReplicationPolicies(const World& world) : world_(world) {
    for (std::size_t i = 0; i < world.policies.size(); ++i) {
      if (std::shared_ptr<const Policy> own = world.policies[i].policy->for_replication()) {
        if (own_.empty()) own_.resize(world.policies.size());
        own_[i] = std::move(own);
      }
    }
  }

  // The policy whose decisions this replication asks for World::policies[i].
  [[nodiscard]] const Policy& operator[](std::size_t i) const {
    return !own_.empty() && own_[i] ? *own_[i] : *world_.policies[i].policy;
  }

 private:
  const World& world_;
  std::vector<std::shared_ptr<const Policy>> own_;  // empty: every policy shared
};

}  // namespace chiptrail::models
