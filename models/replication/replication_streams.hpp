#pragma once

#include <cstdint>

#include "models/lot.hpp"
#include "models/random_streams.hpp"
#include "models/world.hpp"
#include "sim/random_stream.hpp"

namespace chiptrail::models {

// The random streams of one replication, addressed as models/random_streams.hpp lays out:
// (seed, replication, key, entity or lot). Every part of the replication draws through here.
class ReplicationStreams {
 public:
  ReplicationStreams(std::uint64_t seed, std::uint64_t replication)
      : seed_(seed), replication_(replication) {}

  [[nodiscard]] sim::RandomStream stream(std::uint64_t key, std::uint64_t entity) const {
    return sim::RandomStream({seed_, replication_, key, entity});
  }
  [[nodiscard]] sim::RandomStream stream(std::uint64_t key, const Lot& lot) const {
    return sim::RandomStream(streams::address(seed_, replication_, key, lot));
  }
  // A uniform fixed for (policy, sold lot): the same at every decision on that lot.
  [[nodiscard]] sim::StreamAddress lot_address(const PolicyInstance& p,
                                               std::uint64_t lot_id) const {
    return {seed_, replication_, streams::of_policy(streams::kLotProperty, p.name_key()), lot_id};
  }

 private:
  std::uint64_t seed_;
  std::uint64_t replication_;
};

}  // namespace chiptrail::models
