// The parts of a replication (models/replication/), each on its own, without a scenario.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <vector>

#include "models/replication/enforcement.hpp"
#include "models/replication/lot_registry.hpp"
#include "models/replication/replication_context.hpp"
#include "models/replication/replication_streams.hpp"
#include "models/replication/run_guard.hpp"

using namespace chiptrail;
using namespace chiptrail::models;

namespace {

Lot lot(std::uint64_t id, std::uint64_t part, std::uint64_t chips, bool diverted = true) {
  Lot l;
  l.id = id;
  l.part = part;
  l.chips = chips;
  l.diverted = diverted;
  return l;
}

// Counts what enforcement reports.
struct Tally : Recorder {
  std::vector<std::pair<std::uint64_t, Verdict>> detections;  // (part, verdict)
  std::vector<sim::Time> detected_at;
  int false_positives = 0;
  double cost_usd = 0;
  void lot_created(const Lot&, sim::Time) override {}
  void detected(const Lot& l, const DetectionEvent& d) override {
    detections.emplace_back(l.part, d.verdict);
    detected_at.push_back(d.time);
  }
  void false_positive(const Lot&, const DetectionEvent&) override { ++false_positives; }
  void delivered(const Lot&, sim::Time) override {}
  void cost(std::size_t, double usd, sim::Time) override { cost_usd += usd; }
  void disabled_after_delivery(const Lot&, const DetectionEvent&) override {}
  void substituted(const Lot&, double, sim::Time) override {}
};

// A policy that answers every shipment the same way.
struct Always : Policy {
  Decision decision;
  explicit Always(Decision d, bool time_to_find = false) : decision(d), delay_finds(time_to_find) {}
  Decision on_shipment(const PolicyContext&) const override { return decision; }
  [[nodiscard]] bool delay_is_time_to_find() const override { return delay_finds; }
  bool delay_finds;
};

PolicyInstance instance(const char* name, Decision d, double cost = 0, sim::Time start = {}) {
  PolicyInstance p;
  p.set_name(name);
  p.kind = "test";
  p.scope.chips = {true};
  p.start = start;
  p.cost_per_unit_usd = cost;
  p.policy = std::make_shared<Always>(d);
  return p;
}

// The parts a test of enforcement needs, over a world of one node.
struct Bench {
  World world;
  Tally tally;
  sim::Simulator simulator;
  ReplicationStreams streams{7, 0, world};
  LotRegistry lots;
  ResourceLimits limits;
  RunGuard guard{limits, 0};
  ReplicationPolicies policies{world};
  ReplicationContext ctx{world, tally, simulator, streams, lots, guard, policies};
  FrontCompanies fronts{ctx};
  NodeIndex node;
  Bench() {
    NodeInfo hub;
    hub.id = "hub";
    hub.kind = NodeKind::kTransitHub;
    node = world.network.add_node(hub);
  }
  bool ship(Enforcement& e, const Lot& l) {
    return e.enforce(Stage::kShipment, l, node, nullptr, {});
  }
};

}  // namespace

TEST_CASE("LotRegistry: parts in the chain, encounters, sites and the chips it holds") {
  LotRegistry r;
  const Lot whole = lot(1, 0, 16);
  r.sell(whole);
  r.hold(whole);
  CHECK(r.sold(1).in_chain());
  const std::vector<double> h100e{2.5};  // chip model 0
  CHECK(r.in_chain(h100e).chips == 16);
  CHECK(r.in_chain(h100e).h100e == 40);
  CHECK(r.in_chain(h100e).lots == 1);
  r.sell(lot(2, 0, 4, /*diverted=*/false));
  r.hold(lot(2, 0, 4, /*diverted=*/false));
  CHECK(r.in_chain(h100e).chips == 16);  // the ladder's pipeline is of diverted chips
  CHECK(r.in_chain(h100e).chips_legitimate == 4);
  r.release({2, 0});
  CHECK(r.arrive(key(whole), 3) == 0);
  CHECK(r.arrive(key(whole), 4) == 0);
  CHECK(r.arrive(key(whole), 3) == 1);  // the second arrival at node 3
  r.install(1, 5);
  CHECK(r.on_record_at(5) == std::vector<std::uint64_t>{1});
  CHECK(r.sold(1).operating_at == NodeIndex{5});
  r.remove_from_site(1, sim::Time::days(2));
  CHECK_FALSE(r.sold(1).at_site);
  CHECK(r.sold(1).offline_since == sim::Time::days(2));
  r.release(key(whole));
  r.hold(lot(1, 1, 8));
  r.hold(lot(1, 2, 8));
  CHECK(r.sold(1).live_parts == 2);
  CHECK(r.peak_in_chain() == 2);
  r.release({1, 1});
  r.release({1, 1});  // twice: counted once
  CHECK(r.sold(1).live_parts == 1);
  CHECK(r.in_chain(h100e).chips == 8);
  CHECK(r.in_chain(h100e).lots == 1);
  r.release({1, 2});
  CHECK_FALSE(r.sold(1).in_chain());
}

TEST_CASE("RunGuard: lots past the limit, events past the limit, and the stop flag") {
  ResourceLimits limits;
  limits.max_lots = 10;
  limits.max_events = 100;
  std::atomic<bool> stop{false};
  limits.stop = &stop;
  RunGuard guard(limits, 3);
  CHECK(guard.check_every() == 12);  // an eighth of the event limit
  guard.count_lots(10);
  CHECK_THROWS_AS(guard.count_lots(1), ResourceLimitExceeded);
  CHECK_NOTHROW(guard.check(100));
  CHECK_THROWS_WITH_AS(guard.check(101), doctest::Contains("--max-events"), ResourceLimitExceeded);
  stop = true;
  CHECK_THROWS_AS(guard.check(0), sim::RunStopped);
  ResourceLimits large;
  CHECK(RunGuard(large, 0).check_every() == 16384);
}

TEST_CASE("ReplicationStreams: an address gives the same draws, another replication others") {
  const World world;
  const ReplicationStreams a(7, 0, world), again(7, 0, world), other(7, 1, world);
  const Lot l = lot(5, 2, 8);
  sim::RandomStream x = a.stream(11, l), y = again.stream(11, l), z = other.stream(11, l);
  const double first = x.uniform01();
  CHECK(first == y.uniform01());
  CHECK(first != z.uniform01());
  sim::RandomStream whole = a.stream(11, lot(5, 0, 8));
  CHECK(first != whole.uniform01());  // a consignment draws apart from its lot
}

TEST_CASE("Enforcement: every finding recorded, the first seizure stops, effort costed") {
  Bench b;
  b.world.policies = {instance("flag", {Verdict::kFlag, 1}, 10),
                      instance("seize", {Verdict::kSeize, 2}, 5),
                      instance("seize_again", {Verdict::kSeize}),
                      instance("later", {Verdict::kSeize}, 0, sim::Time::days(1))};
  Enforcement e(b.ctx, b.fronts);
  const Lot l = lot(1, 0, 8);
  b.lots.sell(l);
  b.lots.hold(l);
  CHECK(b.ship(e, l));
  CHECK_FALSE(b.lots.alive(key(l)));
  // The flag, the seizure, and the second seizure's finding as a flag (overlap: it acts on
  // nothing); not the policy not yet in force.
  REQUIRE(b.tally.detections.size() == 3);
  CHECK(b.tally.detections[0].second == Verdict::kFlag);
  CHECK(b.tally.detections[1].second == Verdict::kSeize);
  CHECK(b.tally.detections[2].second == Verdict::kFlag);
  CHECK(b.tally.cost_usd == 20);  // 1 x 10 + 2 x 5
}

TEST_CASE(
    "Enforcement: a legitimate lot is a false positive and goes on; a turn-back is no "
    "finding") {
  Bench b;
  b.world.policies = {instance("seize", {Verdict::kSeize}), instance("back", {Verdict::kTurnBack})};
  Enforcement e(b.ctx, b.fronts);
  const Lot l = lot(1, 0, 8, /*diverted=*/false);
  b.lots.sell(l);
  b.lots.hold(l);
  bool back = false;
  CHECK_FALSE(e.enforce(Stage::kShipment, l, b.node, nullptr, {}, 0, &back));
  CHECK(back);
  CHECK(b.lots.alive(key(l)));
  CHECK(b.tally.false_positives == 1);
  CHECK(b.tally.detections.empty());
}

TEST_CASE("Enforcement: a delayed verdict seizes whatever of the lot is still in the chain") {
  Bench b;
  b.world.policies = {instance("tip", {Verdict::kSeize, 0, sim::Time::days(3)})};
  Enforcement e(b.ctx, b.fronts);
  b.lots.sell(lot(1, 0, 24));
  const Lot a = lot(1, 1, 8), c = lot(1, 2, 8), d = lot(1, 3, 8);
  for (const Lot& part : {a, c, d}) b.lots.hold(part);
  CHECK_FALSE(b.ship(e, a));  // not yet: the verdict takes three days
  // The tip is an alert now: the consignment is flagged at the decision.
  REQUIRE(b.tally.detections.size() == 1);
  CHECK(b.tally.detections[0] == std::pair<std::uint64_t, Verdict>{1, Verdict::kFlag});
  CHECK(b.tally.detected_at[0] == sim::Time::zero());
  b.lots.release(key(c));  // delivered meanwhile
  b.simulator.run();
  CHECK(b.simulator.now() == sim::Time::days(3));
  CHECK(b.tally.detections.size() == 3);  // and the two parts still in the chain, seized
  CHECK(b.tally.detected_at[2] == sim::Time::days(3));
  CHECK_FALSE(b.lots.sold(1).in_chain());
}

TEST_CASE("Enforcement: a finding that takes time is found, and counted, only when it is made") {
  Bench b;
  PolicyInstance audit = instance("audit", {Verdict::kSeize, 0, sim::Time::days(5)});
  audit.policy = std::make_shared<Always>(Decision{Verdict::kSeize, 0, sim::Time::days(5)}, true);
  b.world.policies = {audit};
  Enforcement e(b.ctx, b.fronts);
  const Lot l = lot(1, 0, 8), other = lot(2, 0, 8);
  for (const Lot& x : {l, other}) {
    b.lots.sell(x);
    b.lots.hold(x);
  }
  CHECK_FALSE(b.ship(e, l));
  CHECK(b.tally.detections.empty());  // nothing is found at the decision
  b.lots.release(key(l));             // gone (delivered elsewhere) before the finding
  CHECK_FALSE(b.ship(e, other));
  b.simulator.run();
  // Both found on day 5: the lot no longer in the chain as a flag on the lot as sold, the
  // other seized where it is.
  REQUIRE(b.tally.detections.size() == 2);
  CHECK(b.tally.detections[0].second == Verdict::kFlag);
  CHECK(b.tally.detections[1].second == Verdict::kSeize);
  CHECK(b.tally.detected_at[0] == sim::Time::days(5));
  CHECK(b.tally.detected_at[1] == sim::Time::days(5));
}

TEST_CASE("Enforcement: each case on a lot is its own draw") {
  // A policy that flags every shipment and opens a case confirmed with 1/2; a lot found twice,
  // the second time after its first case concluded unconfirmed, is seized by either case:
  // P = 1 - (1/2)^2 = 3/4. Replaying the first case's draw would give 1/2.
  Bench b;
  PolicyInstance flag = instance("flag", {Verdict::kFlag});
  flag.investigation = InvestigationRule{Distribution(Distribution::Fixed{1.0}), 0.5};
  b.world.policies = {flag};
  Enforcement e(b.ctx, b.fronts);
  const int lots = 4000;
  int seized = 0;
  for (int i = 1; i <= lots; ++i) {
    const Lot l = lot(static_cast<std::uint64_t>(i), 0, 8);
    b.lots.sell(l);
    b.lots.hold(l);
    for (int found = 0; found < 2 && b.lots.alive(key(l)); ++found) {
      b.ship(e, l);
      b.simulator.run();
    }
    if (!b.lots.alive(key(l))) ++seized;
  }
  const double share = seized / static_cast<double>(lots);
  const double sd = std::sqrt(0.75 * 0.25 / lots);
  CAPTURE(share);
  CHECK(std::abs(share - 0.75) < 4 * sd);
}
