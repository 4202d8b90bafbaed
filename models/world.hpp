#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/adversary/adversary_config.hpp"
#include "models/arrival_rate.hpp"
#include "models/distribution.hpp"
#include "models/jurisdictions.hpp"
#include "models/lot.hpp"
#include "models/network.hpp"
#include "models/policies/policy.hpp"
#include "sim/random_stream.hpp"
#include "sim/time.hpp"

namespace chiptrail::models {

struct ChipModel {
  std::string model;
  std::string generation;
  double price_usd = 0;
  // Export-controlled to the restricted destinations: only controlled chips break a rule by
  // going there, so enforcement measures act on controlled chips only.
  bool controlled = true;
  double h100_equivalents = 1;  // performance relative to one H100
  // How long a chip delivered to a restricted end user keeps working; unset: for ever.
  std::optional<Distribution> lifetime_days;
};

// How the end user keeps verification and remote disable away from a delivered lot: each
// drawn once per lot (Countermeasures in proto/chiptrail/v1/scenario.proto).
struct Countermeasures {
  double air_gapped_probability = 0;
  double firmware_rollback_probability = 0;
  double air_gap_cost_per_chip_usd = 0;
  double rollback_cost_per_chip_usd = 0;
};

// How a diversion flow's lots leave their data center; paths are resolved edge lists.
struct Tactics {
  Distribution operate_days;
  std::uint64_t consignment_chips = 0;
  double relabel_probability = 0;
  Distribution reassembly_days;
  NodeIndex dismantle_at = 0;
  NodeIndex end_facility = 0;
  std::vector<EdgeIndex> to_dismantle;  // data center -> dealer, as whole lots
  std::vector<EdgeIndex> to_end;        // dealer -> end facility, as consignments
  // Branching alternatives to `to_end`, one chosen per consignment by weight (empty: to_end).
  std::vector<std::vector<EdgeIndex>> consignment_routes;
  std::vector<double> consignment_route_weights;
  std::vector<std::size_t> alternative_chip_models;  // same compute, for adaptive smugglers
  Countermeasures countermeasures;
};

// The front company buying for a diversion flow: closed by a confirmed case, replaced after
// `reform_days` by one buying at `volume_after_reform` times the flow's written rate.
struct FrontRule {
  Distribution reform_days;
  double volume_after_reform = 1;
};

// Deterrence: lots due are bought with probability (1 - r)^elasticity, r the flow's perceived
// risk: (I + prior_lots prior_risk) / (I + D + prior_lots), I and D the lots' worth of chips
// interdicted and delivered, weights halving every `memory`.
struct DeterrenceRule {
  double elasticity = 0;
  sim::Time memory = sim::Time::days(180);
  double prior_risk = 0;
  double prior_lots = 1;
};

struct Flow {
  std::string id;
  bool diversion = false;
  std::size_t chip_model = 0;
  ArrivalRate arrival_rate;  // Poisson, lots per year; used when `schedule_days` is empty
  std::vector<double> schedule_days;
  Distribution lot_chips;
  Packaging packaging = Packaging::kServer8;
  std::vector<EdgeIndex> route;  // source -> data center
  NodeIndex source = 0;
  NodeIndex destination = 0;
  Tactics tactics;  // diversion flows only
  Sophistication buyer_sophistication = Sophistication::kMedium;
  std::uint32_t payment_layers = 0;
  std::optional<FrontRule> front;            // unset: the flow never stops
  std::optional<DeterrenceRule> deterrence;  // unset: the flow buys as written
  // Remote access: the lots are leases of `lease_days` at `destination` (no route, no tactics).
  bool remote_access = false;
  Distribution lease_days;
  // Insiders at the seller (diversion flows): each lot is handled by one with
  // `insider_probability`, who waves it through vetting and/or falsifies its serial records.
  double insider_probability = 0;
  Lot::InsiderHelp insider_help;
  // The second-hand market: the lots leave an installation at `destination` written off through
  // this channel (kNone: lots sold new).
  WriteOff second_hand = WriteOff::kNone;
  // Second-hand chips' age when a lot's story starts (SecondHand.age_days).
  sim::Time second_hand_age;
};

// Where and on what a policy acts. Empty place sets mean everywhere.
struct Scope {
  std::vector<NodeIndex> nodes;
  std::vector<std::string> countries;
  // By chip model: whether the policy acts on it. Resolved at load: the scope's chip models (or
  // all of them), export-controlled ones only.
  std::vector<bool> chips;
  std::vector<EdgeIndex> edges;  // when set, shipments along these edges only
  // By node: whether `nodes` and `countries` cover it, resolved at load (resolve_places), so
  // that a decision does not compare country strings. Empty: decided from the lists.
  std::vector<bool> places;
  void resolve_places(const Network& network);
  [[nodiscard]] bool covers_chip(std::size_t chip_model) const;
  // A place: a node (its id and country), or no node at all (an offline chip), which only a
  // scope without nodes and countries covers.
  [[nodiscard]] bool covers_place(const NodeInfo* node, NodeIndex index) const;
  [[nodiscard]] bool covers_edge(std::optional<EdgeIndex> edge) const;
};

// What follows a policy's findings on diverted lots: a case, concluded after `delay_days`,
// confirmed with `confirm_probability`.
struct InvestigationRule {
  Distribution delay_days;
  double confirm_probability = 1;
};

struct PolicyInstance {
  std::string name;  // set with set_name(), which keys it
  void set_name(std::string n) {
    name = std::move(n);
    name_key_ = sim::stream_key(name);
  }
  // The name as a random-stream key (models/random_streams.hpp): a policy's draws depend on
  // its name, not on its position in the list. Hashed once: every decision's stream needs it.
  [[nodiscard]] std::uint64_t name_key() const { return name_key_; }
  std::string kind;
  Scope scope;
  sim::Time start;
  double cost_per_unit_usd = 0;
  double fixed_cost_per_year_usd = 0;       // from `start` to the horizon, whatever it does
  double false_positive_cost_usd = 0;       // to legitimate trade, per wrongful hold
  double legitimate_cost_per_unit_usd = 0;  // to the owner, per unit of effort on a legitimate lot
  Distribution legitimate_delay_days;       // a legitimate lot held, per decision with effort
  Distribution false_positive_delay_days;   // a legitimate lot wrongly held
  std::optional<InvestigationRule> investigation;
  std::shared_ptr<const Policy> policy;

  // Whether it is in force at `now` and its scope covers the chip model and the place (a node,
  // or none): whether it is asked at all.
  [[nodiscard]] bool acts_at(sim::Time now, std::size_t chip_model, const NodeInfo* node,
                             NodeIndex index) const {
    return now >= start && scope.covers_chip(chip_model) && scope.covers_place(node, index);
  }

 private:
  std::uint64_t name_key_ = sim::stream_key("");
};

// The entity list: a dealer through which `cases_to_list` confirmed cases passed is listed for
// `listed_days`, and flows dismantling there buy nothing meanwhile.
struct EntityListRule {
  std::uint32_t cases_to_list = 1;
  Distribution listed_days;
};

// A validated scenario: everything one replication needs, with no protobuf in sight.
struct World {
  std::string name;
  std::string description;
  sim::Time horizon;
  // The scenario's warm-up (`warmup_days`): the steady-state rates start after it by default.
  sim::Time warmup;
  // What the yearly rates estimate (Scenario.estimand).
  enum class Estimand { kUnspecified, kSteadyState, kYearsInForce };
  Estimand estimand = Estimand::kUnspecified;
  std::vector<ChipModel> chips;
  Network network;
  std::vector<Flow> flows;
  std::vector<PolicyInstance> policies;
  Jurisdictions jurisdictions;  // who may seize what, by node
  std::optional<EntityListRule> entity_list;
  std::optional<AdversaryConfig> adversary;  // set: smugglers adapt (models/adversary/)
  // The scenario's suggestions for a run (its `replications` and `seed` fields); how a world is
  // actually run travels separately, in a RunConfig (models/run_config.hpp).
  std::uint32_t replications = 1;
  std::uint64_t seed = 1;
};

}  // namespace chiptrail::models
