// Adaptive smugglers (models/adversary/): learning routes, a route-inspection game with a known
// value, the tactics that answer published rules, and substitution by domestic chips.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "models/adversary/checkpoint_beliefs.hpp"
#include "models/adversary/route_choice.hpp"
#include "models/adversary/substitution.hpp"
#include "models/metrics_recorder.hpp"
#include "models/scenario_test_support.hpp"
#include "models/summary.hpp"
#include "models/supply_chain_model.hpp"
#include "models/two_routes_scenario.hpp"
#include "sim/analysis/intervals.hpp"

using namespace chiptrail;
using chiptrail::testing::two_routes;
using chiptrail::testing::world_from_text;

namespace {

// Records which customs post each consignment met, in the order they met it: cost() is called
// once per inspection, and every consignment is inspected (q = 1) where these tests need it.
class InspectionLog : public models::MetricsRecorder {
 public:
  using MetricsRecorder::MetricsRecorder;
  void cost(std::size_t policy, double usd, sim::Time t) override {
    order.push_back(policy);
    MetricsRecorder::cost(policy, usd, t);
  }
  std::vector<std::size_t> order;
};

// The share of inspections at policy 1 (b2) among inspections [from, to) of the log.
double share_at_b2(const std::vector<std::size_t>& order, std::size_t from, std::size_t to) {
  double n = 0;
  for (std::size_t i = from; i < to; ++i) n += order[i] == 1 ? 1 : 0;
  return n / static_cast<double>(to - from);
}

}  // namespace

TEST_CASE("beliefs: a Beta prior updated by weighted outcomes") {
  models::CheckpointBeliefs b({0.2, 0.2, 0.5}, 5);  // Beta(1, 4) at nodes 0 and 1
  CHECK(b.mean(2) == doctest::Approx(0.5));
  CHECK(b.mean(1) == doctest::Approx(0.2));
  b.observe(1, true, 1);
  b.observe(1, false, 2);
  CHECK(b.mean(1) == doctest::Approx(2.0 / 8.0));  // Beta(2, 6)
  CHECK(b.mean(0) == doctest::Approx(0.2));
}

TEST_CASE("route choice: the cheapest path trades transport cost against value at risk") {
  // Dealer -> a -> end costs $100 more than dealer -> b -> end; the stake is $10,000. Risk at
  // a: 0.01, at b: 0.05. Cost via a: 100 + 10,000 * -ln(0.99) = 200.5; via b: 10,000 *
  // -ln(0.95) = 512.9: a wins. With risk 0.02 at b (202.0), a still wins by a hair; 0.019 at b
  // (191.8): b wins.
  const models::World w = world_from_text(R"(horizon_days: 10
nodes { id: "dealer" kind: DEALER }
nodes { id: "a" kind: BORDER_CROSSING }
nodes { id: "b" kind: BORDER_CROSSING }
nodes { id: "end" kind: END_FACILITY }
edges { from: "dealer" to: "a" mode: TRUCK transit_days { fixed: 1 } cost_usd: 100 }
edges { from: "a" to: "end" mode: TRUCK transit_days { fixed: 1 } }
edges { from: "dealer" to: "b" mode: TRUCK transit_days { fixed: 1 } }
edges { from: "b" to: "end" mode: TRUCK transit_days { fixed: 1 } }
)");
  const models::Stake stake{1, 10000, 1, 0};
  const auto via = [&](double risk_b) {
    const models::DetectionAt risk = [&](models::NodeIndex n) {
      return n == 1 ? 0.01 : n == 2 ? risk_b : 0.0;
    };
    const auto route = models::cheapest_route(w.network, 0, 3, risk, stake, {});
    REQUIRE(route.size() == 2);
    return w.network.node(w.network.edge_target(route[0])).id;
  };
  CHECK(via(0.05) == "a");
  CHECK(via(0.02) == "a");
  CHECK(via(0.019) == "b");
}

TEST_CASE("learning smugglers shift to the safer route, and converge to it with full information") {
  // Every consignment is inspected at either border (q = 1): at b1 it is found with 0.5, at b2
  // with 0.1. Beliefs start equal (prior 0.1), so early choices are split; outcomes teach the
  // smugglers that b1 is dangerous. Thompson sampling keeps trying b1 with the probability
  // that b1 still looks safer, which vanishes as evidence accumulates (Agrawal and Goyal 2012:
  // O(log n) tries of the worse route in n consignments).
  const auto late_share = [](const std::string& adversary, double& early) {
    const models::World w = world_from_text(two_routes(1, 0.5, 1, 0.1, adversary));
    double late = 0;
    early = 0;
    const int replications = 10;
    for (int r = 0; r < replications; ++r) {
      InspectionLog log(w);
      models::simulate(w, static_cast<std::uint64_t>(r), log);
      REQUIRE(log.order.size() == 300);
      early += share_at_b2(log.order, 0, 30) / replications;
      late += share_at_b2(log.order, 200, 300) / replications;
    }
    return late;
  };
  double early_full = 0, early_partial = 0, early_fixed = 0;
  const double full = late_share("adversary { adaptive: true }", early_full);
  const double partial =
      late_share("adversary { adaptive: true observed_share: 0.03 }", early_partial);
  CHECK(early_full < 0.9);
  CHECK(full > early_full);
  CHECK(full > 0.95);
  // Learning of 3% of outcomes, they converge more slowly.
  CHECK(partial < full);
  // Not adaptive: every consignment takes the written route (through b1).
  const double fixed = late_share("", early_fixed);
  CHECK(fixed == 0.0);
}

TEST_CASE("route-inspection game: optimal random inspection holds smugglers to the game's value") {
  // Two routes; customs can inspect one consignment in total (q1 + q2 = 1) and finds a diverted
  // one with d1 at b1, d2 at b2. Zero-sum, the smugglers minimise q_i d_i. The inspector's
  // optimal mix equalises the routes, q1 = d2 / (d1 + d2), and the value of the game is
  // V = d1 d2 / (d1 + d2): whatever the smugglers learn, they are caught with probability V.
  // Off the optimum (q1 = q2 = 1/2), learning smugglers exploit the gap and do better than V.
  const double d1 = 0.9, d2 = 0.6;
  const double q1 = d2 / (d1 + d2), value = d1 * d2 / (d1 + d2);  // 0.4, 0.36
  const auto detection = [](const models::World& w) {
    std::vector<models::RunMetrics> runs;
    for (std::uint64_t r = 0; r < 30; ++r) runs.push_back(models::run_replication(w, r));
    for (const models::MetricSummary& s : models::summarize(runs, 0.999, false)) {
      if (s.metric == "share_lots_flagged") return s;
    }
    FAIL("no share_lots_flagged");
    return models::MetricSummary{};
  };
  const std::string adaptive = "adversary { adaptive: true }";
  const models::MetricSummary optimal =
      detection(world_from_text(two_routes(q1, d1, 1 - q1, d2, adaptive)));
  CAPTURE(optimal.mean);
  CHECK(optimal.ci_method == "ratio");  // lots of one run are not independent
  CHECK(optimal.ci_low <= value);
  CHECK(value <= optimal.ci_high);
  const models::MetricSummary even =
      detection(world_from_text(two_routes(0.5, d1, 0.5, d2, adaptive)));
  CAPTURE(even.mean);
  CHECK(even.ci_high < value);
  CHECK(even.ci_high >= 0.5 * d2);  // no one does better than the safer route, 0.30
}

TEST_CASE("adaptive smugglers split consignments below a size-based inspection threshold") {
  const std::string size_based = R"(policies { name: "customs_sized" scope { nodes: "b1" }
  customs_inspection { inspection_rate: 1 detection_probability: 1 selection: SIZE_BASED min_chips: 32 } }
)";
  // Consignments of 64 chips are all inspected and found; adaptive smugglers ship 31-chip
  // consignments (64 = 31 + 31 + 2), which the rule never selects.
  const models::World fixed = world_from_text(two_routes(0, 1, 0, 1, size_based, 20));
  const models::World adaptive = world_from_text(two_routes(
      0, 1, 0, 1,
      size_based + "adversary { adaptive: true split_below_inspection_threshold: true }", 20));
  const models::RunMetrics f = models::run_replication(fixed, 0);
  const models::RunMetrics a = models::run_replication(adaptive, 0);
  CHECK(f.get("lots_first_flagged_by.customs_sized") == 20);
  CHECK(a.get("lots_first_flagged_by.customs_sized") == 0);
  CHECK(a.get("chips_delivered_restricted") == 20 * 64);
}

TEST_CASE("adaptive smugglers buy chips that no location verification covers, same compute") {
  const std::string verification = R"(policies { name: "lv" scope { chip_models: "B200" }
  location_verification { landmarks { name: "sg" latitude: 1.35 longitude: 103.8 }
    challenge_interval_days: 1 max_rtt_ms: 1 fiber_speed_fraction: 0.67 path_stretch: 1.3 } }
)";
  std::string text = two_routes(0, 1, 0, 1, verification, 20);
  const std::string tactics = "consignment_chips: 64 ";
  text.replace(text.find(tactics), tactics.size(),
               tactics + "alternative_chip_models: [\"H100\"] ");
  const models::World fixed = world_from_text(text);
  const models::World adaptive =
      world_from_text(text + "adversary { adaptive: true avoid_verified_chips: true }");
  const models::RunMetrics f = models::run_replication(fixed, 0);
  const models::RunMetrics a = models::run_replication(adaptive, 0);
  CHECK(f.get("lots_first_flagged_by.lv") == 20);  // every B200 lot fails its first challenge
  CHECK(a.get("lots_first_flagged_by.lv") == 0);
  CHECK(a.get("chips_diverted") == 20 * 160);  // 64 B200 = 160 H100-equivalents = 160 H100
  CHECK(a.get("h100e_diverted") == f.get("h100e_diverted"));
}

TEST_CASE("substitution: buyers turn to domestic chips when smuggled compute costs more") {
  // B200 at $40,000 + 50% = $60,000 for 2.5 H100e; Ascend at $20,000 for 0.5 H100e, so
  // $40,000 per H100e. Smuggled compute costs 24,000 / s per H100e, s = the believed chance of
  // getting through the 4 nodes a lot enters (dc, dealer, a border, end): a prior of 0.1 at
  // each gives s = 0.9^4 = 0.656 > 0.6 (smuggle); 0.2 gives 0.8^4 = 0.41 (substitute).
  // A budget of 64 * 60,000 buys 192 Ascends = 96 H100e instead of 160: 64 H100e denied.
  const auto run = [](const std::string& adversary) {
    return models::run_replication(world_from_text(two_routes(0, 1, 0, 1, adversary, 20)), 0);
  };
  const std::string stubborn = "prior_strength: 1e9 substitute_chip: \"Ascend\" }";
  const models::RunMetrics smuggle = run(
      "adversary { adaptive: true prior_detection: 0.1 prior_detection_elsewhere: 0.1 " + stubborn);
  CHECK(smuggle.get("lots_substituted") == 0);
  CHECK(smuggle.get("h100e_substitution_shortfall") == 0);
  const models::RunMetrics substitute = run(
      "adversary { adaptive: true prior_detection: 0.2 prior_detection_elsewhere: 0.2 " + stubborn);
  CHECK(substitute.get("lots_substituted") == 20);
  CHECK(substitute.get("lots_diverted") == 0);
  CHECK(substitute.get("h100e_demanded") == doctest::Approx(20 * 160));
  CHECK(substitute.get("h100e_substituted") == doctest::Approx(20 * 96));
  CHECK(substitute.get("h100e_substitution_shortfall") == doctest::Approx(20 * 64));
  // Learning: both borders inspect everything and find half. The first buyers smuggle (prior
  // 0.1); seizures teach that a border costs about half the lots, s falls to about 0.5 < 0.6,
  // and later buyers turn to the substitute (and, no longer smuggling, stop learning).
  const models::RunMetrics learning = models::run_replication(
      world_from_text(two_routes(1, 0.5, 1, 0.5,
                                 "adversary { adaptive: true substitute_chip: \"Ascend\" }", 60)),
      0);
  CHECK(learning.get("lots_diverted") >= 1);
  CHECK(learning.get("lots_substituted") >= 1);
  CHECK(learning.get("lots_diverted") + learning.get("lots_substituted") == 60);
}

TEST_CASE("substitution with an elasticity: a share of demand, smooth in the belief") {
  // As above, c_d = $40,000 per H100e and c_s = 24,000 / s. With elasticity e, a lot is bought
  // smuggled with probability c_s^-e / (c_s^-e + c_d^-e), lot by lot.
  const double e = 4;
  const auto expected = [e](double prior) {
    const double cs = 24000 / std::pow(1 - prior, 4), cd = 40000;
    return 1 / (1 + std::pow(cs / cd, e));
  };
  CHECK(models::smuggled_share({36580.0, 40000.0, false, 0}, e) ==
        doctest::Approx(1 / (1 + std::pow(36580.0 / 40000.0, e))));
  CHECK(models::smuggled_share({40000.0, 40000.0, false, 0}, e) == doctest::Approx(0.5));
  const int lots = 400;
  const auto share = [&](double prior) {
    const std::string p = std::to_string(prior);
    const models::RunMetrics m = models::run_replication(
        world_from_text(two_routes(0, 1, 0, 1,
                                   "adversary { adaptive: true prior_detection: " + p +
                                       " prior_detection_elsewhere: " + p +
                                       " prior_strength: 1e9 substitute_chip: \"Ascend\" "
                                       "substitution_elasticity: 4 }",
                                   lots)),
        0);
    CHECK(m.get("lots_diverted") + m.get("lots_substituted") == lots);
    return m.get("lots_diverted") / lots;
  };
  // Across the all-or-nothing cliff (between priors 0.1 and 0.12) the share moves a little.
  for (const double prior : {0.1, 0.12}) {
    CAPTURE(prior);
    const double s = expected(prior);
    CHECK(std::abs(share(prior) - s) < 4 * std::sqrt(s * (1 - s) / lots));
  }
  CHECK(expected(0.1) - expected(0.12) < 0.1);
}

TEST_CASE("substitution: the substitute's yearly supply caps what is bought instead") {
  // Every buyer would substitute (prior 0.2), 96 H100e a lot; 480 a year covers five lots a
  // year: the first five substitute, the other fifteen (all in year one) smuggle.
  const models::RunMetrics m = models::run_replication(
      world_from_text(two_routes(0, 1, 0, 1,
                                 "adversary { adaptive: true prior_detection: 0.2 "
                                 "prior_detection_elsewhere: 0.2 prior_strength: 1e9 "
                                 "substitute_chip: \"Ascend\" "
                                 "substitute_capacity_h100e_per_year: 500 }",
                                 20)),
      0);
  CHECK(m.get("lots_substituted") == 5);
  CHECK(m.get("lots_diverted") == 15);
}

TEST_CASE("non-adaptive scenarios have no adversary columns; adaptive ones do") {
  const models::RunMetrics fixed =
      models::run_replication(world_from_text(two_routes(0.5, 1, 0.5, 1, "", 5)), 0);
  CHECK(std::isnan(fixed.get("h100e_substitution_shortfall")));
  const models::RunMetrics adaptive = models::run_replication(
      world_from_text(two_routes(0.5, 1, 0.5, 1, "adversary { adaptive: true }", 5)), 0);
  CHECK(adaptive.get("h100e_substitution_shortfall") == 0);  // no substitute chip: no shortfall
  CHECK(adaptive.get("h100e_demanded") == adaptive.get("h100e_diverted"));
}
