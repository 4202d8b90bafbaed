#pragma once

#include <cstdint>
#include <vector>

#include "models/lot.hpp"
#include "models/random_streams.hpp"
#include "models/world.hpp"
#include "sim/random_stream.hpp"

namespace chiptrail::models {

// The random streams of one replication, addressed as models/random_streams.hpp lays out:
// (seed, replication, key, entity or lot). Every part of the replication draws through here.
// Nodes, flows and lots enter an address by their ids (hashed: node_key, flow_key, and a lot
// as its flow's key with its number in the flow), never by their positions in the scenario's
// lists, so inserting or reordering nodes or flows leaves every other draw where it was.
class ReplicationStreams {
 public:
  ReplicationStreams(std::uint64_t seed, std::uint64_t replication, const World& world)
      : seed_(seed), replication_(replication) {
    node_keys_.reserve(world.network.node_count());
    for (NodeIndex n = 0; n < world.network.node_count(); ++n) {
      node_keys_.push_back(sim::stream_key(world.network.node(n).id));
    }
    flow_keys_.reserve(world.flows.size());
    for (const Flow& f : world.flows) flow_keys_.push_back(sim::stream_key(f.id));
  }

  [[nodiscard]] sim::RandomStream stream(std::uint64_t key, std::uint64_t entity) const {
    return sim::RandomStream({seed_, replication_, key, entity});
  }
  [[nodiscard]] sim::RandomStream stream(std::uint64_t key, const Lot& lot) const {
    return sim::RandomStream({seed_, replication_, key, sold_lot_key(lot.id), lot.part});
  }
  // A stream of a sold lot as a whole (a case on it), by its id.
  [[nodiscard]] sim::RandomStream sold_lot_stream(std::uint64_t key, std::uint64_t lot_id) const {
    return stream(key, sold_lot_key(lot_id));
  }
  // A uniform fixed for (policy, sold lot): the same at every decision on that lot.
  [[nodiscard]] sim::StreamAddress lot_address(const PolicyInstance& p,
                                               std::uint64_t lot_id) const {
    return {seed_, replication_, streams::of_policy(streams::kLotProperty, p.name_key()),
            sold_lot_key(lot_id)};
  }

  // Node `n` and flow `f` as parts of an address: their ids' keys.
  [[nodiscard]] std::uint64_t node_key(NodeIndex n) const {
    return n < node_keys_.size() ? node_keys_[n] : n;
  }
  [[nodiscard]] std::uint64_t flow_key(std::size_t f) const {
    return f < flow_keys_.size() ? flow_keys_[f] : f;
  }

 private:
  // A lot's id is (flow index + 1) << 32 | its number in the flow (LotLifecycle::start_lot):
  // unique, but positional. Its address uses the flow's key instead.
  [[nodiscard]] std::uint64_t sold_lot_key(std::uint64_t lot_id) const {
    const std::uint64_t flow = (lot_id >> 32U) - 1;
    if (lot_id >> 32U == 0 || flow >= flow_keys_.size()) return lot_id;
    return sim::hash_combine(flow_keys_[flow], lot_id & 0xffffffffU);
  }

  std::uint64_t seed_;
  std::uint64_t replication_;
  std::vector<std::uint64_t> node_keys_, flow_keys_;
};

}  // namespace chiptrail::models
