#pragma once

#include <cstdint>
#include <vector>

#include "models/adversary/checkpoint_beliefs.hpp"
#include "models/adversary/route_choice.hpp"
#include "models/replication/replication_context.hpp"

namespace chiptrail::models {

// The adversary's hooks in a replication, when the scenario's smugglers adapt
// (models/adversary/): what they believe of each checkpoint, how they choose routes and
// purchases from it, and what they learn from each diverted lot's arrivals.
class AdaptiveSmugglers {
 public:
  // The world must have an adversary.
  explicit AdaptiveSmugglers(ReplicationContext& ctx);

  // A consignment's route by Thompson sampling: every node's detection probability drawn from
  // the beliefs (lazily, each from its own address, so the draws do not depend on the order in
  // which the search asks for them), then the cheapest route under those draws.
  [[nodiscard]] std::vector<EdgeIndex> choose_route(const Lot& part) const;

  // Adaptive choices at purchase: the chip model (against verification) and whether to buy
  // smuggled chips at all (substitution). False when the end user buys domestic instead.
  bool adapt_purchase(const Flow& flow, Lot& lot);

  // A diverted lot's arrival at `node`: caught there or through. The smugglers learn of it
  // (with probability observed_share) after the information delay.
  void learn(const Lot& lot, NodeIndex node, std::uint64_t encounter, bool caught);

 private:
  // The stake of a consignment of `chips` chips of `chip_model`, for route choice.
  [[nodiscard]] Stake stake(std::size_t chip_model, std::uint64_t chips) const;
  // The chance a lot gets through, as the smugglers believe it now: every node on its way to
  // the dealer, then the route a consignment would take by the beliefs' means.
  [[nodiscard]] double believed_survival(const Flow& flow, const Lot& lot) const;

  ReplicationContext& ctx_;
  CheckpointBeliefs beliefs_;
  // The substitute sold to these end users in the current calendar year (from day 0).
  std::int64_t substitute_year_ = -1;
  double substitute_sold_h100e_ = 0;
};

}  // namespace chiptrail::models
