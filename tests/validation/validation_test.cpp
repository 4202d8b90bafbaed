// The validation suite: scenarios with answers known in closed form (DOMAIN.md's cases and
// hand-computed ones). For each, the analytic solver must equal the hand value, and the
// simulation must fall within the 99.9% interval around the analytic value.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>

#include "models/analytic/scenario_analysis.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/scenario/build_world.hpp"
#include "models/supply_chain_model.hpp"
#include "sim/analysis/intervals.hpp"
#include "sim/random_stream.hpp"

using namespace chiptrail;

namespace {

models::World load(const std::string& name) {
  models::PolicyRegistry registry;
  models::register_builtin_policies(registry);
  return models::load_world(std::string(CHIPTRAIL_SOURCE_DIR "/tests/validation/") + name,
                            registry);
}

// Every lot of these scenarios completes its journey before the horizon, so detected / diverted
// is an unbiased estimate of the probability a lot is found; lots are independent, so a Wilson
// interval applies.
void check_simulation(const models::World& w, double expected, int replications) {
  std::uint64_t detected = 0, diverted = 0;
  for (int r = 0; r < replications; ++r) {
    const models::RunMetrics m = models::run_replication(w, static_cast<std::uint64_t>(r));
    CHECK(m.get("chips_in_pipeline") == 0);  // all resolved
    detected += static_cast<std::uint64_t>(m.get("lots_flagged"));
    diverted += static_cast<std::uint64_t>(m.get("lots_diverted"));
  }
  CAPTURE(detected);
  CAPTURE(diverted);
  CHECK(sim::wilson_interval(detected, diverted, 0.999).contains(expected));
}

}  // namespace

TEST_CASE("validation: DOMAIN.md case 1, independent layers in series") {
  const models::World w = load("case1_series.textproto");
  const auto a = models::analyze(w);
  REQUIRE(a.size() == 1);
  REQUIRE(a[0].obstacles.empty());
  const double hand = 1 - 0.98 * 0.95 * 0.90 * 0.76;
  CHECK(a[0].detection_probability == doctest::Approx(hand).epsilon(1e-12));
  CHECK(a[0].found_at.size() == 4);
  CHECK(a[0].found_at[3].probability == doctest::Approx(0.98 * 0.95 * 0.90 * 0.24).epsilon(1e-12));
  check_simulation(w, a[0].detection_probability, 60);
}

TEST_CASE("validation: vetting, a hub before dismantling, relabelled consignments after it") {
  const models::World w = load("split_relabel.textproto");
  const auto a = models::analyze(w);
  REQUIRE(a.size() == 1);
  REQUIRE(a[0].obstacles.empty());
  CHECK(a[0].consignments.size() == 4);
  const double hand = 1 - 0.9 * 0.9 * std::pow(1 - 0.3 * (0.5 * 0.9 + 0.5 * 0.2), 4);
  CHECK(a[0].detection_probability == doctest::Approx(hand).epsilon(1e-12));
  check_simulation(w, a[0].detection_probability, 60);
}

TEST_CASE("validation: branching routes after dismantling") {
  const models::World w = load("branching.textproto");
  const auto a = models::analyze(w);
  REQUIRE(a.size() == 1);
  REQUIRE(a[0].obstacles.empty());
  CHECK(a[0].detection_probability == doctest::Approx(1 - std::pow(0.71, 4)).epsilon(1e-12));
  // Found at border b: 1 - (1 - 0.3 * 0.5)^4.
  bool found_b = false;
  for (const models::FoundAt& f : a[0].found_at) {
    if (w.network.node(f.node).id == "b") {
      CHECK(f.probability == doctest::Approx(1 - std::pow(1 - 0.15, 4)).epsilon(1e-12));
      found_b = true;
    }
  }
  CHECK(found_b);
  check_simulation(w, a[0].detection_probability, 60);
}

TEST_CASE("validation: loops, consignments turned back at the border and retrying") {
  const models::World w = load("loops.textproto");
  const auto a = models::analyze(w);
  REQUIRE(a.size() == 1);
  REQUIRE(a[0].obstacles.empty());
  CHECK(a[0].detection_probability == doctest::Approx(1 - std::pow(0.7 / 0.9, 2)).epsilon(1e-12));
  // Time: dealer processing 1 + transit 2 per attempt, 2 back per turn-back; given caught, the
  // number of turn-backs before the seizing attempt is geometric with mean 0.1 / 0.9 -- from
  // dismantling to seizure 3 + (0.1 / 0.9) * (2 + 3) days.
  const double from_dismantling = 3 + (0.1 / 0.9) * 5;
  CHECK(a[0].days_to_consignment_seizure - a[0].days_to_dismantling ==
        doctest::Approx(from_dismantling).epsilon(1e-9));
  check_simulation(w, a[0].detection_probability, 60);
}

TEST_CASE("validation: a consignment refused at the border is checked again at the hub") {
  const models::World w = load("return_through_hub.textproto");
  const auto a = models::analyze(w);
  REQUIRE(a.size() == 1);
  REQUIRE(a[0].obstacles.empty());
  const double h = 0.3, x = (0.25 + 0.2 * h) / (1 - 0.2 * (1 - h));
  CHECK(a[0].detection_probability == doctest::Approx(h + (1 - h) * x).epsilon(1e-12));
  // 8,000 lots: the unchecked return's 0.51875 lies ~6 standard errors away.
  check_simulation(w, a[0].detection_probability, 160);
}

TEST_CASE("validation: a route through one inspected hub twice draws twice") {
  const models::World w = load("revisit.textproto");
  const auto a = models::analyze(w);
  REQUIRE(a.size() == 1);
  REQUIRE(a[0].obstacles.empty());
  CHECK(a[0].detection_probability == doctest::Approx(1 - 0.5 * 0.5).epsilon(1e-12));
  check_simulation(w, a[0].detection_probability, 60);
}

TEST_CASE("validation: DOMAIN.md case 2, random sampling audits") {
  const models::World w = load("case2_registry.textproto");
  REQUIRE_FALSE(models::analyze(w)[0].obstacles.empty());  // visits in time: not per hop
  double none_drawn = 1;                                   // C(7128, 72) / C(7200, 72)
  for (int i = 0; i < 72; ++i) none_drawn *= (7128.0 - i) / (7200.0 - i);
  const double expected = 1 - std::exp(-(1 - none_drawn));
  CHECK(expected == doctest::Approx(0.4035).epsilon(1e-3));
  // One lot per replication, replications independent: a Wilson interval over them.
  const int n = 3000;
  std::uint64_t found = 0;
  for (int r = 0; r < n; ++r) {
    found += static_cast<std::uint64_t>(
        models::run_replication(w, static_cast<std::uint64_t>(r)).get("lots_flagged"));
  }
  CHECK(sim::wilson_interval(found, n, 0.999).contains(expected));
}

TEST_CASE("validation: the solver names what it cannot solve") {
  models::PolicyRegistry registry;
  models::register_builtin_policies(registry);
  const models::World w = models::load_world(
      CHIPTRAIL_SOURCE_DIR "/scenarios/chip_security_act_remote_disable.textproto", registry);
  for (const models::FlowAnalysis& a : models::analyze(w)) {
    CAPTURE(a.flow);
    CHECK_FALSE(a.obstacles.empty());
    bool names_heartbeat = false;
    for (const std::string& o : a.obstacles)
      names_heartbeat |= o.find("heartbeat_b200") != std::string::npos;
    CHECK(names_heartbeat);
  }
}

TEST_CASE("validation: a generated graph of 1000 nodes routed by Dijkstra" *
          doctest::test_suite("heavy")) {
  // 997 transit hubs in a layered random graph (each hub links to the next three with random
  // transit times), customs at 40 random hubs. The diversion route is the shortest expected
  // path from the data center to the end facility; the chance of detection along it is
  // 1 - prod(1 - q) over the inspected hubs it passes, computed here from the route itself.
  const int hubs = 997;
  sim::RandomStream rs({77, 0, 0, 0});
  std::string text =
      "horizon_days: 3000\nchips { model: \"B200\" }\n"
      "nodes { id: \"v\" kind: VENDOR }\nnodes { id: \"dc\" kind: DATA_CENTER }\n"
      "nodes { id: \"end\" kind: END_FACILITY }\n";
  for (int h = 0; h < hubs; ++h)
    text += "nodes { id: \"h" + std::to_string(h) + "\" kind: TRANSIT_HUB }\n";
  const auto edge = [&](const std::string& a, const std::string& b) {
    text += "edges { from: \"" + a + "\" to: \"" + b +
            "\" mode: TRUCK transit_days { fixed: " + std::to_string(0.1 + rs.uniform01()) +
            " } }\n";
  };
  edge("v", "dc");
  edge("dc", "h0");
  for (int h = 0; h < hubs; ++h) {
    for (int step = 1; step <= 3 && h + step < hubs; ++step)
      edge("h" + std::to_string(h), "h" + std::to_string(h + step));
  }
  edge("h" + std::to_string(hubs - 1), "end");
  std::map<std::string, double> inspected;
  for (int k = 0; k < 40; ++k) {
    const std::string hub = "h" + std::to_string(static_cast<int>(rs.uniform01() * hubs));
    if (inspected.count(hub)) continue;
    const double q = 0.01 + 0.1 * rs.uniform01();
    inspected[hub] = q;
    text += "policies { name: \"c_" + hub + "\" scope { nodes: \"" + hub +
            "\" } customs_inspection { inspection_rate: " + std::to_string(q) +
            " detection_probability: 1 } }\n";
  }
  std::string days;
  for (int i = 0; i < 50; ++i) days += (i ? ", " : "") + std::to_string(i);
  text +=
      "flows { id: \"d\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
      "  arrivals { schedule { at_days: [" +
      days +
      "] } } lot_chips { fixed: 8 } route: [\"v\", \"dc\"]\n"
      "  tactics { consignment_chips: 8 end_facility: \"end\" } }\n";

  models::PolicyRegistry registry;
  models::register_builtin_policies(registry);
  const models::World w =
      models::build_world(models::parse_scenario_text("generated.textproto", text), registry);
  REQUIRE(w.network.node_count() == 1000);
  // By hand, from the route Dijkstra chose (the policies' rates as written, rounded by
  // std::to_string just as the scenario text is).
  double survive = 1;
  for (const models::EdgeIndex e : w.flows[0].tactics.to_end) {
    const std::string& id = w.network.node(w.network.edge_target(e)).id;
    if (inspected.count(id)) survive *= 1 - std::stod(std::to_string(inspected[id]));
  }
  const auto a = models::analyze(w);
  REQUIRE(a.size() == 1);
  REQUIRE(a[0].obstacles.empty());
  CHECK(w.flows[0].tactics.to_end.size() > 300);  // a long route through the graph
  CHECK(a[0].detection_probability == doctest::Approx(1 - survive).epsilon(1e-9));
  check_simulation(w, a[0].detection_probability, 40);
}
