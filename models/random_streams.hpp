#pragma once

#include <cstdint>
#include <string_view>

#include "models/lot.hpp"
#include "models/policies/policy.hpp"
#include "sim/random_stream.hpp"

// Every random-stream address the supply-chain model uses, in one place.
//
// A draw's address is (master seed, replication, stream, entity, part, draw index)
// (sim::StreamAddress). The model fills it in as follows:
//   master seed, replication  the run's
//   stream                    a family key (the named constants below), combined with
//                             sim::hash_combine, in this order, with what makes one decision
//                             distinct from another of the same family: the policy's name, the
//                             stage, the place (a node; an audit visit or operation check number),
//                             the encounter
//   entity                    the lot as sold (its flow's key with its number in the flow),
//                             or the flow or the site for the families drawn once per flow
//                             or site
//   part                      0 for a whole lot, k + 1 for its consignment k (Lot::part)
// Nodes, flows and policies enter addresses by their ids' keys (sim::stream_key of the id or
// name; ReplicationStreams::node_key, flow_key), never by their positions in the scenario's
// lists: inserting, removing or reordering unused nodes, flows or policies moves no draw.
// The encounter counts how many times before this lot (or consignment) arrived at the same node:
// a consignment that passes one hub twice, or tries again after being turned back, gets a fresh
// draw each time. Nothing in an address depends on the order events happen in or on what other
// lots do, so common random numbers hold across variants of a scenario. Three families are
// drawn in sequence instead, because what they time is itself a sequence: a flow's front
// re-formations (kFrontReform, the k-th closure's k-th draw), the entity list's listings
// (kEntityList) and a checkpoint's other traffic within a day (kCheckpointTraffic); they stay
// reproducible, but a variant that changes how many closures come first shifts them.
namespace chiptrail::models::streams {

inline constexpr std::uint64_t kArrivals = sim::stream_key("arrivals");  // entity: flow
inline constexpr std::uint64_t kLotSize = sim::stream_key("lot-size");   // entity: lot
inline constexpr std::uint64_t kTransit = sim::stream_key("transit");    // processing, legs
inline constexpr std::uint64_t kDwell = sim::stream_key("dwell");        // operate, reassemble
inline constexpr std::uint64_t kRelabel = sim::stream_key("relabel");    // per consignment
inline constexpr std::uint64_t kRoute = sim::stream_key("consignment-route");   // per consignment
inline constexpr std::uint64_t kAuditVisits = sim::stream_key("audit-visits");  // entity: site
inline constexpr std::uint64_t kBeliefDraw = sim::stream_key("adversary-belief-draw");
inline constexpr std::uint64_t kLearn = sim::stream_key("adversary-learns");
inline constexpr std::uint64_t kPolicyDecision = sim::stream_key("policy-decision");
inline constexpr std::uint64_t kLotProperty = sim::stream_key("policy-lot-property");
inline constexpr std::uint64_t kLegitimateHold = sim::stream_key("legitimate-hold");
inline constexpr std::uint64_t kFrontReform = sim::stream_key("front-reform");  // entity: flow
// A case's conclusion (delay, then confirmation) on a sold lot, by the policy that opened it and
// the case's number (investigation()).
inline constexpr std::uint64_t kInvestigation = sim::stream_key("investigation");
// A capacity-limited checkpoint's other traffic: by policy and node; entity: the day.
inline constexpr std::uint64_t kSubstitution = sim::stream_key("substitution");  // per lot
inline constexpr std::uint64_t kDeterrence = sim::stream_key("deterrence");      // per lot due
inline constexpr std::uint64_t kEntityList = sim::stream_key("entity-list");     // listing times
inline constexpr std::uint64_t kCountermeasures = sim::stream_key("countermeasures");  // per lot
inline constexpr std::uint64_t kCheckpointTraffic = sim::stream_key("checkpoint-traffic");
// Operation checks run as trials (trial_walk): by policy and walk (a lot's walks are numbered
// from 0, one more each time its state changes); entity: the lot.
inline constexpr std::uint64_t kCheckTrials = sim::stream_key("check-trials");
inline constexpr std::uint64_t kLeaseLength = sim::stream_key("lease-length");  // per lease
inline constexpr std::uint64_t kInsider = sim::stream_key("insider");           // per lot

// A family's stream at one node, on the lot's `encounter`-th arrival there (0 for the first).
constexpr std::uint64_t at_node(std::uint64_t family, std::uint64_t node,
                                std::uint64_t encounter = 0) {
  return sim::hash_combine(sim::hash_combine(family, node), encounter);
}

// One policy's stream (its name's key, sim::stream_key(name)) within a family.
constexpr std::uint64_t of_policy(std::uint64_t family, std::uint64_t policy_key) {
  return sim::hash_combine(family, policy_key);
}

// A policy's decision on a lot at `stage` and `place` (a node, or an audit visit or operation
// check number), on the lot's `encounter`-th arrival there.
constexpr std::uint64_t policy_decision(std::uint64_t policy_key, Stage stage, std::uint64_t place,
                                        std::uint64_t encounter = 0) {
  return at_node(
      sim::hash_combine(of_policy(kPolicyDecision, policy_key), static_cast<std::uint64_t>(stage)),
      place, encounter);
}

// How long a policy holds a legitimate lot at `stage` and `place` (its exam, then a wrongful
// hold), on the lot's `encounter`-th arrival there: apart from the decision's own stream.
constexpr std::uint64_t legitimate_hold(std::uint64_t policy_key, Stage stage, std::uint64_t place,
                                        std::uint64_t encounter = 0) {
  return at_node(
      sim::hash_combine(of_policy(kLegitimateHold, policy_key), static_cast<std::uint64_t>(stage)),
      place, encounter);
}

// The `n`-th case (from 0) a policy opens on one sold lot: its delay and confirmation. Each case
// its own draw, as each encounter is: a second case does not replay the first.
constexpr std::uint64_t investigation(std::uint64_t policy_key, std::uint64_t n) {
  return sim::hash_combine(of_policy(kInvestigation, policy_key), n);
}

}  // namespace chiptrail::models::streams
