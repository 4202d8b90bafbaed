#include "models/scenario/build_world.hpp"

#include <cmath>
#include <set>
#include <sstream>

#include "chiptrail/v1/scenario.pb.h"
#include "models/scenario/calendar_date.hpp"
#include "models/scenario/distribution_from_proto.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/input_text.hpp"
#include "models/sweep/field_setter.hpp"

namespace chiptrail::models {
namespace {

std::string quoted(const std::string& s) {
  return "\"" + s + "\"";
}

// Limits on what a scenario may ask for, so that a typo or a hostile file is refused at load
// instead of exhausting the machine (the run-time guards, ResourceLimits, catch the rest).
constexpr double kMaxHorizonDays = 1e6;
constexpr double kMaxExpectedLots = 1e7;  // lots one flow expects to create in a replication
constexpr int kMaxNodes = 100000;
constexpr int kMaxEdges = 1000000;
constexpr std::uint32_t kDefaultReplications = 100;  // when the scenario does not say

class WorldBuilder {
 public:
  WorldBuilder(const ScenarioFile& file, const PolicyRegistry& registry)
      : locator_(file.locator), registry_(registry), s_(*file.message) {}
  WorldBuilder(const v1::Scenario& scenario, const FieldLocator& locator,
               const PolicyRegistry& registry)
      : locator_(locator), registry_(registry), s_(scenario) {}

  World build() {
    world_.name = s_.metadata().name();
    world_.description = s_.metadata().description();
    world_.seed = s_.seed();
    world_.replications = s_.has_replications() ? s_.replications() : kDefaultReplications;
    if (world_.replications == 0) error(FieldPath{} / "replications", "must be at least 1");
    if (!positive_finite(s_.horizon_days())) {
      error(FieldPath{} / "horizon_days",
            "must be a positive number of days, got " + describe_number(s_.horizon_days()));
    } else if (s_.horizon_days() > kMaxHorizonDays) {
      error(FieldPath{} / "horizon_days", "must be at most 1,000,000 days (2,700 years), got " +
                                              describe_number(s_.horizon_days()));
    } else {
      world_.horizon = sim::Time::from_days(s_.horizon_days());
    }
    if (check_non_negative(FieldPath{} / "warmup_days", s_.warmup_days(), "number of days")) {
      if (s_.warmup_days() >= s_.horizon_days() && world_.horizon > sim::Time::zero()) {
        error(FieldPath{} / "warmup_days", "must be below horizon_days (" +
                                               describe_number(s_.horizon_days()) + "), got " +
                                               describe_number(s_.warmup_days()));
      } else {
        world_.warmup = sim::Time::from_days(s_.warmup_days());
      }
    }
    switch (s_.estimand()) {
      case v1::STEADY_STATE:
        world_.estimand = World::Estimand::kSteadyState;
        break;
      case v1::YEARS_IN_FORCE:
        world_.estimand = World::Estimand::kYearsInForce;
        break;
      default:
        world_.estimand = World::Estimand::kUnspecified;
    }
    if (!s_.start_date().empty()) {
      start_date_ = parse_iso_date(s_.start_date());
      if (!start_date_) {
        error(FieldPath{} / "start_date",
              "must be a date written YYYY-MM-DD, got " + quoted(s_.start_date()));
      }
    }
    chips();
    nodes();
    edges();
    flows();
    policies();
    jurisdictions();
    if (s_.has_entity_list()) {
      const FieldPath p = FieldPath{} / "entity_list";
      EntityListRule rule;
      if (s_.entity_list().has_cases_to_list())
        rule.cases_to_list = s_.entity_list().cases_to_list();
      if (rule.cases_to_list == 0) error(p / "cases_to_list", "must be at least 1");
      rule.listed_days = distribution(p / "listed_days", s_.entity_list().listed_days(), true);
      world_.entity_list = std::move(rule);
    }
    adversary();
    uncertain();
    levers();
    if (!errors_.empty()) throw InvalidInput(std::move(errors_));
    return std::move(world_);
  }

 private:
  void error(const FieldPath& where, const std::string& message) {
    const SourceLocation at = locator_.locate(where);
    errors_.push_back({at.file, at.line, at.column, where.to_string(), message});
  }

  static bool positive_finite(double x) { return std::isfinite(x) && x > 0; }

  bool check_probability(const FieldPath& where, double p) {
    if (p >= 0.0 && p <= 1.0) return true;
    error(where, "must be a probability in [0, 1], got " + describe_number(p));
    return false;
  }

  bool check_non_negative(const FieldPath& where, double x, const char* what) {
    if (std::isfinite(x) && x >= 0) return true;
    error(where, std::string("must be a non-negative ") + what + ", got " + describe_number(x));
    return false;
  }

  // A distribution of a quantity that cannot be negative (times, chip counts).
  Distribution distribution(const FieldPath& where, const v1::Distribution& d, bool required) {
    try {
      return distribution_from_proto(d, required);
    } catch (const PolicyConfigError& e) {
      error(where.dotted(e.field()), e.what());
      return {};
    }
  }

  void chips() {
    for (int i = 0; i < s_.chips_size(); ++i) {
      const auto& c = s_.chips(i);
      const FieldPath p = FieldPath{}.at("chips", static_cast<std::size_t>(i));
      if (c.model().empty()) error(p / "model", "is required");
      if (!chip_index_.emplace(c.model(), world_.chips.size()).second) {
        error(p / "model", "duplicate chip model " + quoted(c.model()));
      }
      check_non_negative(p / "price_usd", c.price_usd(), "price");
      ChipModel chip;
      chip.model = c.model();
      chip.generation = c.generation();
      chip.price_usd = c.price_usd();
      if (c.has_h100_equivalents()) {
        if (positive_finite(c.h100_equivalents())) {
          chip.h100_equivalents = c.h100_equivalents();
        } else {
          error(p / "h100_equivalents",
                "must be positive, got " + describe_number(c.h100_equivalents()));
        }
      }
      if (c.has_controlled()) chip.controlled = c.controlled();
      if (c.has_lifetime_days()) {
        chip.lifetime_days = distribution(p / "lifetime_days", c.lifetime_days(), true);
      }
      world_.chips.push_back(std::move(chip));
    }
  }

  void nodes() {
    std::set<std::string> seen;
    if (s_.nodes_size() > kMaxNodes) {
      error(FieldPath{}.at("nodes", kMaxNodes), "more than 100,000 nodes: over the limit");
      return;
    }
    for (int i = 0; i < s_.nodes_size(); ++i) {
      const auto& n = s_.nodes(i);
      const FieldPath p = FieldPath{}.at("nodes", static_cast<std::size_t>(i));
      if (n.id().empty()) error(p / "id", "is required");
      if (!seen.insert(n.id()).second) error(p / "id", "duplicate node id " + quoted(n.id()));
      if (n.kind() == v1::NODE_KIND_UNSPECIFIED) error(p / "kind", "is required");
      if (!(n.latitude() >= -90 && n.latitude() <= 90)) {
        error(p / "latitude", "must be in [-90, 90], got " + describe_number(n.latitude()));
      }
      if (!(n.longitude() >= -180 && n.longitude() <= 180)) {
        error(p / "longitude", "must be in [-180, 180], got " + describe_number(n.longitude()));
      }
      NodeInfo info;
      info.id = n.id();
      info.kind = static_cast<NodeKind>(std::max(0, static_cast<int>(n.kind()) - 1));
      info.name = n.name().empty() ? n.id() : n.name();
      info.country = n.country();
      info.latitude = n.latitude();
      info.longitude = n.longitude();
      info.processing_days = distribution(p / "processing_days", n.processing_days(), false);
      world_.network.add_node(std::move(info));
    }
  }

  // A chip model of the catalog by name; an error at `where` if there is none.
  std::optional<std::size_t> chip_ref(const FieldPath& where, const std::string& model) {
    const auto it = chip_index_.find(model);
    if (it != chip_index_.end()) return it->second;
    error(where, "unknown chip model " + quoted(model));
    return std::nullopt;
  }

  std::optional<NodeIndex> node_ref(const FieldPath& where, const std::string& id) {
    if (id.empty()) {
      error(where, "is required");
      return std::nullopt;
    }
    const auto n = world_.network.find(id);
    if (!n) error(where, "unknown node " + quoted(id));
    return n;
  }

  void edges() {
    if (s_.edges_size() > kMaxEdges) {
      error(FieldPath{}.at("edges", kMaxEdges), "more than 1,000,000 edges: over the limit");
      return;
    }
    for (int i = 0; i < s_.edges_size(); ++i) {
      const auto& e = s_.edges(i);
      const FieldPath p = FieldPath{}.at("edges", static_cast<std::size_t>(i));
      const auto from = node_ref(p / "from", e.from());
      const auto to = node_ref(p / "to", e.to());
      if (e.mode() == v1::TRANSPORT_MODE_UNSPECIFIED) error(p / "mode", "is required");
      check_non_negative(p / "cost_usd", e.cost_usd(), "cost");
      EdgeInfo info;
      info.mode = static_cast<TransportMode>(std::max(0, static_cast<int>(e.mode()) - 1));
      info.transit_days = distribution(p / "transit_days", e.transit_days(), true);
      info.cost_usd = e.cost_usd();
      if (from && to) world_.network.add_edge(*from, *to, std::move(info));
    }
  }

  // A path given as node ids must follow edges; returns its edges.
  std::optional<std::vector<EdgeIndex>> explicit_path(
      const FieldPath& where, const google::protobuf::RepeatedPtrField<std::string>& ids,
      const char* field) {
    std::vector<NodeIndex> nodes;
    bool ok = true;
    for (int k = 0; k < ids.size(); ++k) {
      const auto n = node_ref(where.at(field, static_cast<std::size_t>(k)), ids[k]);
      if (n) nodes.push_back(*n);
      ok &= n.has_value();
    }
    if (!ok) return std::nullopt;
    if (nodes.size() < 2) {
      error(where / field, "needs at least two nodes");
      return std::nullopt;
    }
    std::vector<EdgeIndex> path;
    for (std::size_t k = 1; k < nodes.size(); ++k) {
      // Among parallel edges, take the fastest, as the router would.
      const std::optional<EdgeIndex> best = world_.network.fastest_edge(nodes[k - 1], nodes[k]);
      if (!best) {
        error(where.at(field, k), "is not a path: no edge from " +
                                      quoted(ids[static_cast<int>(k - 1)]) + " to " +
                                      quoted(ids[static_cast<int>(k)]));
        return std::nullopt;
      }
      path.push_back(*best);
    }
    return path;
  }

  std::optional<std::vector<EdgeIndex>> routed_path(const FieldPath& where, NodeIndex from,
                                                    NodeIndex to) {
    if (from == to) return std::vector<EdgeIndex>{};
    auto path = world_.network.shortest_path(from, to);
    if (path.empty()) {
      error(where, "no path from " + quoted(world_.network.node(from).id) + " to " +
                       quoted(world_.network.node(to).id));
      return std::nullopt;
    }
    return path;
  }

  void flows() {
    std::set<std::string> seen;
    for (int i = 0; i < s_.flows_size(); ++i) {
      const auto& f = s_.flows(i);
      const FieldPath p = FieldPath{}.at("flows", static_cast<std::size_t>(i));
      Flow flow;
      flow.id = f.id();
      if (f.id().empty()) error(p / "id", "is required");
      if (!seen.insert(f.id()).second) error(p / "id", "duplicate flow id " + quoted(f.id()));
      if (f.kind() == v1::FLOW_KIND_UNSPECIFIED)
        error(p / "kind", "is required: LEGITIMATE or DIVERSION");
      flow.diversion = f.kind() == v1::DIVERSION;
      if (f.chip_model().empty()) {
        error(p / "chip_model", "is required");
      } else if (const auto chip = chip_ref(p / "chip_model", f.chip_model())) {
        flow.chip_model = *chip;
      }
      arrivals(p / "arrivals", f.arrivals(), flow);
      flow.lot_chips = distribution(p / "lot_chips", f.lot_chips(), true);
      flow.remote_access = f.has_remote_access();
      if (f.packaging() == v1::PACKAGING_UNSPECIFIED && !flow.remote_access) {
        error(p / "packaging", "is required: SERVER_8, TRAY_4 or LOOSE");
      }
      flow.packaging = f.packaging() == v1::PACKAGING_UNSPECIFIED
                           ? Packaging::kLoose  // a lease of chips, not of servers
                           : static_cast<Packaging>(static_cast<int>(f.packaging()) - 1);
      flow.buyer_sophistication = f.buyer_sophistication() == v1::LOW    ? Sophistication::kLow
                                  : f.buyer_sophistication() == v1::HIGH ? Sophistication::kHigh
                                                                         : Sophistication::kMedium;
      flow.payment_layers = f.payment_layers();
      if (flow.remote_access) {
        remote_access(p, f, flow);
      } else if (f.has_second_hand()) {
        second_hand(p, f, flow);
      } else {
        route(p, f, flow);
        if (flow.diversion) tactics(p / "tactics", f, flow);
      }
      // Leases and write-offs refuse an insider themselves (there is no sale to help).
      if (f.has_insider() && !flow.remote_access && !f.has_second_hand()) {
        insider(p / "insider", f, flow);
      }
      if (f.has_front()) {
        if (!flow.diversion) error(p / "front", "applies to DIVERSION flows only");
        FrontRule front;
        front.reform_days =
            distribution(p / "front" / "reform_days", f.front().reform_days(), true);
        if (f.front().has_volume_after_reform()) {
          front.volume_after_reform = f.front().volume_after_reform();
          if (!positive_finite(front.volume_after_reform) || front.volume_after_reform > 10) {
            error(p / "front" / "volume_after_reform",
                  "must be in (0, 10], got " + describe_number(front.volume_after_reform));
          }
        }
        flow.front = std::move(front);
      }
      if (f.has_deterrence()) {
        const FieldPath dp = p / "deterrence";
        if (!flow.diversion) error(dp, "applies to DIVERSION flows only");
        DeterrenceRule rule;
        if (!f.deterrence().has_elasticity()) {
          error(dp / "elasticity", "is required");
        } else if (check_non_negative(dp / "elasticity", f.deterrence().elasticity(),
                                      "elasticity")) {
          rule.elasticity = f.deterrence().elasticity();
        }
        if (f.deterrence().has_memory_days()) {
          if (!positive_finite(f.deterrence().memory_days())) {
            error(dp / "memory_days", "must be a positive number of days, got " +
                                          describe_number(f.deterrence().memory_days()));
          } else {
            rule.memory = sim::Time::from_days(f.deterrence().memory_days());
          }
        }
        if (f.deterrence().has_prior_risk()) rule.prior_risk = f.deterrence().prior_risk();
        check_probability(dp / "prior_risk", rule.prior_risk);
        if (f.deterrence().has_prior_lots()) rule.prior_lots = f.deterrence().prior_lots();
        if (!positive_finite(rule.prior_lots)) {
          error(dp / "prior_lots", "must be positive, got " + describe_number(rule.prior_lots));
        }
        flow.deterrence = rule;
      }
      world_.flows.push_back(std::move(flow));
    }
  }

  // A flow of leases (Flow.remote_access): a data center and a lease length, nothing that moves.
  void remote_access(const FieldPath& p, const v1::Flow& f, Flow& flow) {
    flow.lease_days =
        distribution(p / "remote_access" / "lease_days", f.remote_access().lease_days(), true);
    const char* moves = "does not apply to remote access (Flow.remote_access): no chip moves";
    if (f.has_tactics()) error(p / "tactics", moves);
    if (f.has_front()) error(p / "front", "is not supported for remote access yet");
    if (f.has_deterrence()) error(p / "deterrence", "is not supported for remote access yet");
    if (f.has_insider()) error(p / "insider", "applies to flows of chips sold, not leases");
    if (f.has_second_hand()) error(p / "second_hand", "and remote_access exclude each other");
    data_center_only(p, f, flow, "the data center whose capacity is leased", moves);
  }

  // A flow of the second-hand market (Flow.second_hand): chips that leave an installation.
  void second_hand(const FieldPath& p, const v1::Flow& f, Flow& flow) {
    if (!flow.diversion) error(p / "second_hand", "applies to DIVERSION flows only");
    if (f.second_hand().channel() == v1::WRITE_OFF_CHANNEL_UNSPECIFIED) {
      error(p / "second_hand" / "channel",
            "is required: RESALE, REFURBISHMENT, RMA_SWAP or FAILED_UNIT");
    }
    flow.second_hand = static_cast<WriteOff>(f.second_hand().channel());
    if (check_non_negative(p / "second_hand" / "age_days", f.second_hand().age_days(),
                           "number of days")) {
      flow.second_hand_age = sim::Time::from_days(f.second_hand().age_days());
    }
    if (f.has_insider()) error(p / "insider", "applies to new sales, not the second-hand market");
    data_center_only(p, f, flow, "the data center whose installation the chips leave",
                     "does not apply to the second-hand market: the chips start installed");
    if (flow.diversion) tactics(p / "tactics", f, flow);
  }

  // Flows placed at one data center (`destination`), with no way to it.
  void data_center_only(const FieldPath& p, const v1::Flow& f, Flow& flow, const char* what,
                        const char* no_route) {
    if (!f.route().empty()) error(p / "route", no_route);
    if (!f.source().empty()) error(p / "source", no_route);
    if (f.destination().empty()) {
      error(p / "destination", std::string("is required: ") + what);
      return;
    }
    const auto dc = node_ref(p / "destination", f.destination());
    if (!dc) return;
    flow.destination = *dc;
    flow.source = *dc;
    if (world_.network.node(*dc).kind != NodeKind::kDataCenter) {
      error(p / "destination", "must be a DATA_CENTER node, but " + quoted(f.destination()) +
                                   " is a " + to_string(world_.network.node(*dc).kind));
    }
  }

  void insider(const FieldPath& p, const v1::Flow& f, Flow& flow) {
    const v1::Insider& in = f.insider();
    if (!flow.diversion) error(p, "applies to DIVERSION flows only");
    if (!in.has_probability()) {
      error(p / "probability", "is required");
    } else if (check_probability(p / "probability", in.probability())) {
      flow.insider_probability = in.probability();
    }
    flow.insider_help.vetting = !in.has_bypasses_vetting() || in.bypasses_vetting();
    flow.insider_help.serials = !in.has_falsifies_serials() || in.falsifies_serials();
  }

  void arrivals(const FieldPath& p, const v1::Arrivals& a, Flow& flow) {
    switch (a.kind_case()) {
      case v1::Arrivals::KIND_NOT_SET:
        error(p, "is required: set poisson_per_year or schedule");
        break;
      case v1::Arrivals::kPoissonPerYear:
        // 0 means what it says: the flow is off (until a rate change, if any).
        if (!(a.poisson_per_year() >= 0 && std::isfinite(a.poisson_per_year()))) {
          error(p / "poisson_per_year",
                "must be a rate of 0 or more, got " + describe_number(a.poisson_per_year()));
        }
        flow.arrival_rate.base = a.poisson_per_year();
        rate_changes(p, a, flow.arrival_rate);
        if (flow.arrival_rate.expected(0, s_.horizon_days()) > kMaxExpectedLots) {
          error(p / "poisson_per_year",
                "expects " + describe_number(flow.arrival_rate.expected(0, s_.horizon_days())) +
                    " lots in one replication, over the limit of 10 million");
        }
        break;
      case v1::Arrivals::kSchedule:
        if (a.rate_changes_size() > 0) {
          error(p.at("rate_changes", 0),
                "changes a Poisson rate: set poisson_per_year, not schedule");
        }
        if (a.schedule().at_days().empty())
          error(p / "schedule" / "at_days", "needs at least one time");
        for (int k = 0; k < a.schedule().at_days_size(); ++k) {
          const double t = a.schedule().at_days(k);
          if (check_non_negative((p / "schedule").at("at_days", static_cast<std::size_t>(k)), t,
                                 "time")) {
            flow.schedule_days.push_back(t);
          }
        }
        break;
    }
  }

  // Rates from given days on, in increasing order of day: a rule announced, then in force.
  void rate_changes(const FieldPath& p, const v1::Arrivals& a, ArrivalRate& rate) {
    for (int k = 0; k < a.rate_changes_size(); ++k) {
      const v1::RateChange& c = a.rate_changes(k);
      const FieldPath at = p.at("rate_changes", static_cast<std::size_t>(k));
      if (!(c.from_day() >= 0 && std::isfinite(c.from_day()))) {
        error(at / "from_day", "must be a day at or after 0, got " + describe_number(c.from_day()));
      } else if (!rate.changes.empty() && c.from_day() <= rate.changes.back().from_day) {
        error(at / "from_day", "must come after the previous change's (" +
                                   describe_number(rate.changes.back().from_day) + "), got " +
                                   describe_number(c.from_day()));
      }
      if (!(c.per_year() >= 0 && std::isfinite(c.per_year()))) {
        error(at / "per_year", "must be a rate of 0 or more, got " + describe_number(c.per_year()));
      }
      rate.changes.push_back({c.from_day(), c.per_year()});
    }
  }

  void route(const FieldPath& p, const v1::Flow& f, Flow& flow) {
    const bool has_explicit = !f.route().empty();
    const bool has_routed = !f.source().empty() || !f.destination().empty();
    if (has_explicit == has_routed) {
      error(has_explicit ? p / "source" : p / "route",
            "set either route (explicit node ids) or source and destination");
      return;
    }
    if (has_explicit) {
      const auto path = explicit_path(p, f.route(), "route");
      if (!path) return;
      flow.route = *path;
      flow.source = world_.network.edge_source(path->front());
      flow.destination = world_.network.edge_target(path->back());
    } else {
      const auto from = node_ref(p / "source", f.source());
      const auto to = node_ref(p / "destination", f.destination());
      if (!from || !to) return;
      const auto path = routed_path(p / "destination", *from, *to);
      if (!path) return;
      flow.route = *path;
      flow.source = *from;
      flow.destination = *to;
    }
    if (world_.network.node(flow.destination).kind != NodeKind::kDataCenter) {
      error(has_explicit ? p / "route" : p / "destination",
            "must end at a DATA_CENTER node, but " +
                quoted(world_.network.node(flow.destination).id) + " is a " +
                to_string(world_.network.node(flow.destination).kind));
    }
  }

  void tactics(const FieldPath& p, const v1::Flow& f, Flow& flow) {
    if (!f.has_tactics()) {
      error(p, "is required for DIVERSION flows");
      return;
    }
    const v1::Tactics& t = f.tactics();
    if (t.has_countermeasures()) {
      const v1::Countermeasures& c = t.countermeasures();
      const FieldPath cp = p / "countermeasures";
      Countermeasures& cm = flow.tactics.countermeasures;
      if (check_probability(cp / "air_gapped_probability", c.air_gapped_probability()))
        cm.air_gapped_probability = c.air_gapped_probability();
      if (check_probability(cp / "firmware_rollback_probability",
                            c.firmware_rollback_probability()))
        cm.firmware_rollback_probability = c.firmware_rollback_probability();
      if (check_non_negative(cp / "air_gap_cost_per_chip_usd", c.air_gap_cost_per_chip_usd(),
                             "cost"))
        cm.air_gap_cost_per_chip_usd = c.air_gap_cost_per_chip_usd();
      if (check_non_negative(cp / "rollback_cost_per_chip_usd", c.rollback_cost_per_chip_usd(),
                             "cost"))
        cm.rollback_cost_per_chip_usd = c.rollback_cost_per_chip_usd();
    }
    Tactics& out = flow.tactics;
    out.operate_days = distribution(p / "operate_days", t.operate_days(), false);
    out.reassembly_days = distribution(p / "reassembly_days", t.reassembly_days(), false);
    if (t.consignment_chips() == 0) error(p / "consignment_chips", "must be at least 1");
    out.consignment_chips = t.consignment_chips();
    if (check_probability(p / "relabel_probability", t.relabel_probability())) {
      out.relabel_probability = t.relabel_probability();
    }
    // The onward path from the data center to the end facility.
    std::vector<EdgeIndex> onward;
    const bool has_explicit = !t.onward_route().empty();
    if (has_explicit == !t.end_facility().empty()) {
      error(has_explicit ? p / "end_facility" : p / "onward_route",
            "set either onward_route (explicit node ids) or end_facility");
      return;
    }
    if (has_explicit) {
      const auto path = explicit_path(p, t.onward_route(), "onward_route");
      if (!path) return;
      if (world_.network.edge_source(path->front()) != flow.destination) {
        error(p.at("onward_route", 0), "must start at the flow's data center " +
                                           quoted(world_.network.node(flow.destination).id));
        return;
      }
      onward = *path;
    } else {
      const auto end = node_ref(p / "end_facility", t.end_facility());
      if (!end) return;
      const auto path = routed_path(p / "end_facility", flow.destination, *end);
      if (!path) return;
      onward = *path;
    }
    out.end_facility =
        onward.empty() ? flow.destination : world_.network.edge_target(onward.back());
    if (world_.network.node(out.end_facility).kind != NodeKind::kEndFacility) {
      error(has_explicit ? p / "onward_route" : p / "end_facility",
            "must end at an END_FACILITY node, but " +
                quoted(world_.network.node(out.end_facility).id) + " is a " +
                to_string(world_.network.node(out.end_facility).kind));
      return;
    }
    // Where the lot is dismantled: the given dealer, else the first dealer on the way, else the
    // data center itself.
    std::size_t split_at = 0;  // number of onward edges travelled as a whole lot
    if (!t.dismantle_at().empty()) {
      const auto d = node_ref(p / "dismantle_at", t.dismantle_at());
      if (!d) return;
      bool found = *d == flow.destination;
      for (std::size_t k = 0; k < onward.size() && !found; ++k) {
        if (world_.network.edge_target(onward[k]) == *d) {
          split_at = k + 1;
          found = true;
        }
      }
      if (!found) {
        error(p / "dismantle_at", quoted(t.dismantle_at()) + " is not on the onward path");
        return;
      }
    } else {
      for (std::size_t k = 0; k < onward.size(); ++k) {
        if (world_.network.node(world_.network.edge_target(onward[k])).kind == NodeKind::kDealer) {
          split_at = k + 1;
          break;
        }
      }
    }
    out.dismantle_at =
        split_at == 0 ? flow.destination : world_.network.edge_target(onward[split_at - 1]);
    out.to_dismantle.assign(onward.begin(), onward.begin() + static_cast<std::ptrdiff_t>(split_at));
    out.to_end.assign(onward.begin() + static_cast<std::ptrdiff_t>(split_at), onward.end());
    for (int r = 0; r < t.consignment_routes_size(); ++r) {
      const FieldPath rp = p.at("consignment_routes", static_cast<std::size_t>(r));
      const v1::ConsignmentRoute& route = t.consignment_routes(r);
      if (!(std::isfinite(route.weight()) && route.weight() > 0)) {
        error(rp / "weight", "must be positive, got " + describe_number(route.weight()));
        continue;
      }
      const auto path = explicit_path(rp, route.nodes(), "nodes");
      if (!path) continue;
      if (world_.network.edge_source(path->front()) != out.dismantle_at ||
          world_.network.edge_target(path->back()) != out.end_facility) {
        error(rp / "nodes", "must run from the dismantling node " +
                                quoted(world_.network.node(out.dismantle_at).id) +
                                " to the end facility " +
                                quoted(world_.network.node(out.end_facility).id));
        continue;
      }
      out.consignment_routes.push_back(*path);
      out.consignment_route_weights.push_back(route.weight());
    }
    for (int k = 0; k < t.alternative_chip_models_size(); ++k) {
      const FieldPath where = p.at("alternative_chip_models", static_cast<std::size_t>(k));
      if (const auto c = chip_ref(where, t.alternative_chip_models(k))) {
        out.alternative_chip_models.push_back(*c);
      }
    }
  }

  void policies() {
    std::set<std::string> seen;
    for (int i = 0; i < s_.policies_size(); ++i) {
      const auto& pol = s_.policies(i);
      const FieldPath p = FieldPath{}.at("policies", static_cast<std::size_t>(i));
      PolicyInstance inst;
      inst.set_name(pol.name());
      if (pol.name().empty()) error(p / "name", "is required");
      if (!seen.insert(pol.name()).second)
        error(p / "name", "duplicate policy name " + quoted(pol.name()));
      if (const auto t =
              time_from(p, "start", pol.has_start_days(), pol.start_days(), pol.start_date())) {
        inst.start = *t;
      }
      if (check_non_negative(p / "cost_per_unit_usd", pol.cost_per_unit_usd(), "cost")) {
        inst.cost_per_unit_usd = pol.cost_per_unit_usd();
      }
      if (check_non_negative(p / "fixed_cost_per_year_usd", pol.fixed_cost_per_year_usd(),
                             "cost")) {
        inst.fixed_cost_per_year_usd = pol.fixed_cost_per_year_usd();
      }
      if (check_non_negative(p / "false_positive_cost_usd", pol.false_positive_cost_usd(),
                             "cost")) {
        inst.false_positive_cost_usd = pol.false_positive_cost_usd();
      }
      if (check_non_negative(p / "legitimate_cost_per_unit_usd", pol.legitimate_cost_per_unit_usd(),
                             "cost")) {
        inst.legitimate_cost_per_unit_usd = pol.legitimate_cost_per_unit_usd();
      }
      inst.legitimate_delay_days =
          distribution(p / "legitimate_delay_days", pol.legitimate_delay_days(), false);
      inst.false_positive_delay_days =
          distribution(p / "false_positive_delay_days", pol.false_positive_delay_days(), false);
      scope(p / "scope", pol.scope(), inst.scope);
      if (pol.has_investigation()) {
        const v1::Investigation& in = pol.investigation();
        InvestigationRule rule;
        rule.delay_days = distribution(p / "investigation" / "delay_days", in.delay_days(), true);
        if (in.has_confirm_probability()) rule.confirm_probability = in.confirm_probability();
        check_probability(p / "investigation" / "confirm_probability", rule.confirm_probability);
        inst.investigation = std::move(rule);
      }
      if (pol.kind_case() == v1::Policy::KIND_NOT_SET) {
        error(p, "needs a policy kind, e.g. customs_inspection { ... }");
        continue;
      }
      const auto* oneof_field = pol.GetReflection()->GetOneofFieldDescriptor(
          pol, v1::Policy::descriptor()->oneof_decl(0));
      const std::string field_name = oneof_field->name();
      inst.kind = pol.kind_case() == v1::Policy::kCustom ? pol.custom().kind() : field_name;
      if (pol.kind_case() == v1::Policy::kCustom) {
        // Sorted, so the first error does not depend on the map's order.
        const std::map<std::string, double> parameters(pol.custom().parameters().begin(),
                                                       pol.custom().parameters().end());
        for (const auto& [key, value] : parameters) {
          if (!std::isfinite(value)) {
            error(p / "custom" / "parameters", "parameter " + quoted(key) +
                                                   " must be a finite number, got " +
                                                   describe_number(value));
          }
        }
      }
      const PolicyRegistry::Factory* factory = registry_.find(inst.kind);
      if (factory == nullptr) {
        error(p / field_name, "no policy of kind " + quoted(inst.kind) + " is registered");
        continue;
      }
      try {
        inst.policy = (*factory)(pol);
      } catch (const PolicyConfigError& e) {
        error((p / field_name).dotted(e.field()), e.what());
        continue;
      }
      world_.policies.push_back(std::move(inst));
    }
  }

  // A time written as days from day 0 (`<what>_days`) or as a date (`<what>_date`), not both;
  // zero when neither is written. nullopt after an error.
  std::optional<sim::Time> time_from(const FieldPath& p, const std::string& what, bool has_days,
                                     double days, const std::string& date) {
    if (has_days && !date.empty()) {
      error(p / (what + "_date"), "write " + what + "_days or " + what + "_date, not both");
      return std::nullopt;
    }
    if (date.empty()) {
      if (!check_non_negative(p / (what + "_days"), days, "time")) return std::nullopt;
      return sim::Time::from_days(days);
    }
    const auto day = parse_iso_date(date);
    if (!day) {
      error(p / (what + "_date"), "must be a date written YYYY-MM-DD, got " + quoted(date));
      return std::nullopt;
    }
    if (s_.start_date().empty()) {
      error(p / (what + "_date"), "a date needs the scenario's start_date (day 0)");
      return std::nullopt;
    }
    if (!start_date_) return std::nullopt;  // start_date's own error is reported
    if (*day < *start_date_) {
      error(p / (what + "_date"),
            quoted(date) + " is before the scenario's start_date " + quoted(s_.start_date()));
      return std::nullopt;
    }
    return sim::Time::from_days(static_cast<double>(*day - *start_date_));
  }

  void jurisdictions() {
    std::map<std::string, std::vector<Authority>> by_country;
    for (int i = 0; i < s_.jurisdictions_size(); ++i) {
      const v1::Jurisdiction& j = s_.jurisdictions(i);
      const FieldPath p = FieldPath{}.at("jurisdictions", static_cast<std::size_t>(i));
      if (j.country().empty()) error(p / "country", "is required");
      if (by_country.count(j.country()) != 0) {
        error(p / "country", "duplicate jurisdiction " + quoted(j.country()));
      }
      std::vector<Authority>& out = by_country[j.country()];
      for (int k = 0; k < j.authorities_size(); ++k) {
        const v1::Authority& a = j.authorities(k);
        const FieldPath ap = p.at("authorities", static_cast<std::size_t>(k));
        Authority authority;
        switch (a.kind()) {
          case v1::CONTROLLED_ITEMS:
            authority.kind = AuthorityKind::kControlledItems;
            break;
          case v1::MISDECLARATION:
            authority.kind = AuthorityKind::kMisdeclaration;
            break;
          case v1::END_USER_FRAUD:
            authority.kind = AuthorityKind::kEndUserFraud;
            break;
          default:
            error(ap / "kind", "is required: CONTROLLED_ITEMS, MISDECLARATION or END_USER_FRAUD");
            continue;
        }
        if (const auto t = time_from(ap, "from", a.has_from_days(), a.from_days(), a.from_date())) {
          authority.from = *t;
        }
        if (a.chip_models_size() > 0 && authority.kind != AuthorityKind::kControlledItems) {
          error(ap / "chip_models", "applies to CONTROLLED_ITEMS authorities only");
        }
        authority.chips.assign(world_.chips.size(), a.chip_models().empty());
        for (int c = 0; c < a.chip_models_size(); ++c) {
          const auto chip =
              chip_ref(ap.at("chip_models", static_cast<std::size_t>(c)), a.chip_models(c));
          if (chip) authority.chips[*chip] = true;
        }
        for (std::size_t c = 0; c < world_.chips.size(); ++c) {
          if (!world_.chips[c].controlled) authority.chips[c] = false;
        }
        out.push_back(std::move(authority));
      }
    }
    for (NodeIndex n = 0; n < world_.network.node_count(); ++n) {
      const auto it = by_country.find(world_.network.node(n).country);
      if (it != by_country.end()) world_.jurisdictions.describe(n, it->second);
    }
  }

  void adversary() {
    if (!s_.adversary().adaptive()) return;
    const v1::Adversary& a = s_.adversary();
    const FieldPath p = FieldPath{} / "adversary";
    // Defaults (AdversaryConfig's initialisers) apply only to fields left out: a written 0
    // means 0 (smugglers who never learn, or ignore risk), or is refused where it cannot be.
    AdversaryConfig c;
    if (a.has_learning_rate()) c.learning_rate = a.learning_rate();
    check_non_negative(p / "learning_rate", c.learning_rate, "weight");
    if (check_non_negative(p / "information_delay_days", a.information_delay_days(), "time")) {
      c.information_delay = sim::Time::from_days(a.information_delay_days());
    }
    if (a.has_observed_share()) c.observed_share = a.observed_share();
    check_probability(p / "observed_share", c.observed_share);
    if (a.has_risk_aversion()) c.risk_aversion = a.risk_aversion();
    check_non_negative(p / "risk_aversion", c.risk_aversion, "weight");
    if (a.has_prior_detection()) c.prior_detection = a.prior_detection();
    if (a.has_prior_detection_elsewhere())
      c.prior_detection_elsewhere = a.prior_detection_elsewhere();
    for (const auto& [field, value] :
         {std::pair{"prior_detection", c.prior_detection},
          {"prior_detection_elsewhere", c.prior_detection_elsewhere}}) {
      if (!(value > 0 && value < 1)) {
        error(p / field, "must be a probability in (0, 1), got " + describe_number(value));
      }
    }
    if (a.has_prior_strength()) c.prior_strength = a.prior_strength();
    if (!positive_finite(c.prior_strength)) {
      error(p / "prior_strength", "must be positive, got " + describe_number(c.prior_strength));
    }
    c.delay_cost_per_chip_day_usd = a.delay_cost_per_chip_day_usd();
    check_non_negative(p / "delay_cost_per_chip_day_usd", c.delay_cost_per_chip_day_usd, "cost");
    c.split_below_inspection_threshold = a.split_below_inspection_threshold();
    c.avoid_verified_chips = a.avoid_verified_chips();
    if (a.has_grey_market_markup()) c.grey_market_markup = a.grey_market_markup();
    check_non_negative(p / "grey_market_markup", c.grey_market_markup, "markup");
    if (a.has_substitution_elasticity()) {
      if (check_non_negative(p / "substitution_elasticity", a.substitution_elasticity(),
                             "elasticity")) {
        c.substitution_elasticity = a.substitution_elasticity();
      }
    }
    if (a.has_substitute_capacity_h100e_per_year()) {
      if (check_non_negative(p / "substitute_capacity_h100e_per_year",
                             a.substitute_capacity_h100e_per_year(), "capacity")) {
        c.substitute_capacity_h100e_per_year = a.substitute_capacity_h100e_per_year();
      }
    }
    if (!a.substitute_chip().empty()) {
      if (const auto chip = chip_ref(p / "substitute_chip", a.substitute_chip())) {
        if (world_.chips[*chip].price_usd > 0) {
          c.substitute_chip = *chip;
        } else {
          error(p / "substitute_chip", "the substitute " + quoted(a.substitute_chip()) +
                                           " needs a positive price_usd in chips");
        }
      }
    }
    world_.adversary = c;
  }

  // A path (as sweep factors write them) must name a numeric field of this scenario.
  void check_numeric_path(const FieldPath& where, const std::string& path) {
    v1::Scenario copy = s_;
    try {
      set_numeric_field(copy, path, 0.0);
    } catch (const std::invalid_argument& e) {
      error(where, e.what());
    }
  }

  // Uncertain parameters: the path must name a numeric field and the distribution be valid;
  // draws are made by `chiptrail uncertainty`, which checks each drawn scenario in turn.
  void uncertain() {
    for (int i = 0; i < s_.uncertain_size(); ++i) {
      const v1::Uncertain& u = s_.uncertain(i);
      const FieldPath p = FieldPath{}.at("uncertain", static_cast<std::size_t>(i));
      check_numeric_path(p / "path", u.path());
      (void)distribution(p / "distribution", u.distribution(), true);
    }
  }

  // Levers for `chiptrail optimize`: a numeric field, a positive unit cost, a range. Whether the
  // values they reach keep the scenario valid is checked when optimize builds them.
  void levers() {
    for (int i = 0; i < s_.levers_size(); ++i) {
      const v1::Lever& l = s_.levers(i);
      const FieldPath p = FieldPath{}.at("levers", static_cast<std::size_t>(i));
      check_numeric_path(p / "path", l.path());
      if (l.has_cost_per_unit_usd() && !positive_finite(l.cost_per_unit_usd())) {
        error(p / "cost_per_unit_usd",
              "must be a positive cost, got " + describe_number(l.cost_per_unit_usd()));
      }
      if (!std::isfinite(l.min())) error(p / "min", "must be finite");
      if (!(std::isfinite(l.max()) && l.max() > l.min())) {
        error(p / "max", "must be finite and above min (" + describe_number(l.min()) + "), got " +
                             describe_number(l.max()));
      }
    }
  }

  void scope(const FieldPath& p, const v1::Scope& in, Scope& out) {
    for (int k = 0; k < in.nodes_size(); ++k) {
      if (const auto n = node_ref(p.at("nodes", static_cast<std::size_t>(k)), in.nodes(k))) {
        out.nodes.push_back(*n);
      }
    }
    out.countries.assign(in.countries().begin(), in.countries().end());
    for (int k = 0; k < in.edges_size(); ++k) {
      const FieldPath where = p.at("edges", static_cast<std::size_t>(k));
      const std::string& text = in.edges(k);
      const std::size_t arrow = text.find("->");
      if (arrow == std::string::npos) {
        error(where, "must be written \"from->to\", got " + quoted(text));
        continue;
      }
      const auto from = node_ref(where, text.substr(0, arrow));
      const auto to = node_ref(where, text.substr(arrow + 2));
      if (!from || !to) continue;
      bool found = false;
      for (EdgeIndex e = 0; e < world_.network.edge_count(); ++e) {
        if (world_.network.edge_source(e) == *from && world_.network.edge_target(e) == *to) {
          out.edges.push_back(e);
          found = true;
        }
      }
      if (!found) error(where, "no edge " + quoted(text));
    }
    out.chips.assign(world_.chips.size(), in.chip_models().empty());
    for (int k = 0; k < in.chip_models_size(); ++k) {
      const FieldPath where = p.at("chip_models", static_cast<std::size_t>(k));
      if (const auto c = chip_ref(where, in.chip_models(k))) {
        if (!world_.chips[*c].controlled) {
          error(where, "chip model " + quoted(in.chip_models(k)) +
                           " is not export-controlled (controlled: false): no measure acts on it");
        }
        out.chips[*c] = true;
      }
    }
    for (std::size_t c = 0; c < world_.chips.size(); ++c) {
      if (!world_.chips[c].controlled) out.chips[c] = false;
    }
    out.resolve_places(world_.network);
  }

  const FieldLocator& locator_;
  const PolicyRegistry& registry_;
  const v1::Scenario& s_;
  World world_;
  std::map<std::string, std::size_t> chip_index_;
  std::optional<std::int64_t> start_date_;  // day 0 as a day number, when written
  std::vector<InputError> errors_;
};

}  // namespace

World build_world(const ScenarioFile& file, const PolicyRegistry& registry) {
  return WorldBuilder(file, registry).build();
}

World build_world(const v1::Scenario& scenario, const FieldLocator& locator,
                  const PolicyRegistry& registry) {
  return WorldBuilder(scenario, locator, registry).build();
}

World load_world(const std::string& path, const PolicyRegistry& registry) {
  return build_world(read_scenario_file(path), registry);
}

}  // namespace chiptrail::models
