// Enforcement allocation (models/allocation/): levers, and the search against brute force.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "chiptrail/v1/scenario.pb.h"
#include "models/allocation/allocation_search.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario_test_support.hpp"
#include "models/supply_chain_model.hpp"
#include "models/two_routes_scenario.hpp"
#include "sim/analysis/designs.hpp"
#include "sim/running_stats.hpp"

using namespace chiptrail;
using chiptrail::testing::builtin_registry;
using chiptrail::testing::two_routes;

namespace {

// The route-inspection game of adversary_test.cpp as an allocation problem: $1,000 buys one
// unit of inspection rate at either border, so a budget of $1,000 splits q1 + q2 = 1. Against
// learning smugglers, the best split is the game's equilibrium, q1 = d2 / (d1 + d2) = 0.4.
const std::string kLevers = R"(
adversary { adaptive: true }
levers { path: "policies[name=customs_b1].inspection_rate" cost_per_unit_usd: 1000 max: 1 name: "q1" }
levers { path: "policies[name=customs_b2].inspection_rate" cost_per_unit_usd: 1000 max: 1 name: "q2" }
)";

models::ScenarioFile game(int lots = 300) {
  return models::parse_scenario_text("game.textproto", two_routes(0, 0.9, 0, 0.6, kLevers, lots));
}

// A one-budget search (plus the baseline) with the given race.
models::AllocationSearchOptions options(double budget, std::size_t divisions, std::uint64_t initial,
                                        std::uint64_t max) {
  models::AllocationSearchOptions o;
  o.budget = budget;
  o.divisions = divisions;
  o.frontier_points = 1;
  o.halving.initial_replications = initial;
  o.halving.max_replications = max;
  return o;
}

// The 1-based line of the first line of `text` holding `needle`.
int text_line_of(const std::string& text, const std::string& needle) {
  const auto at = static_cast<std::ptrdiff_t>(text.find(needle));
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
}

}  // namespace

TEST_CASE("levers: spending buys min + spend / cost, capped at max") {
  const std::vector<models::Lever> levers{{"a", "a", 100, false, 0.1, 0.5},
                                          {"b", "b", 10, false, 0, 2}};
  const models::Allocation a = models::allocate(levers, {30, 50});
  CHECK(a.values[0] == doctest::Approx(0.4));
  CHECK(a.values[1] == doctest::Approx(2.0));  // 5 units offered, capped at 2
  CHECK(a.spend[1] == doctest::Approx(20));    // what was not spent stays in the budget
  CHECK(a.total_spend() == doctest::Approx(50));
}

TEST_CASE("optimize finds the allocation brute force finds (and the game's equilibrium)") {
  const models::ScenarioFile file = game();
  const auto registry = builtin_registry();
  // Brute force: every split of the budget in tenths, 48 replications each.
  const std::vector<models::Lever> levers = models::levers_of(*file.message);
  std::size_t brute_best = 0;
  double brute_best_mean = -1;
  std::vector<double> brute_q1;
  for (const sim::DesignPoint& split : sim::simplex_lattice(2, 10)) {
    const models::Allocation a =
        models::allocate(levers, {split.coordinates[0] * 1000.0, split.coordinates[1] * 1000.0});
    models::ScenarioFile copy = models::parse_scenario_text("game.textproto", file.text);
    models::apply(levers, a, *copy.message);
    const models::World w = models::build_world(copy, registry);
    double sum = 0;
    for (std::uint64_t r = 0; r < 48; ++r)
      sum += models::run_replication(w, r).get("chips_interdicted");
    if (sum / 48 > brute_best_mean) {
      brute_best_mean = sum / 48;
      brute_best = brute_q1.size();
    }
    brute_q1.push_back(a.values[0]);
  }
  CHECK(brute_q1[brute_best] == doctest::Approx(0.4));

  models::AllocationSearchOptions o = options(1000, 10, 4, 48);
  o.halving.threads = 2;
  const std::vector<models::BudgetOutcome> frontier =
      models::search_allocations(file, registry, o).frontier;
  REQUIRE(frontier.size() == 2);
  CHECK(frontier[0].budget == 0);
  CHECK(frontier[0].best.mean == 0);  // nothing inspected, nothing found
  const models::BudgetOutcome& full = frontier[1];
  CHECK(full.best_allocation().values[0] == doctest::Approx(brute_q1[brute_best]));
  // The race ran the same replications as brute force (CRN); what is reported is measured
  // again on fresh ones, 48..95.
  CHECK(full.race.contenders[full.race.best].mean() == doctest::Approx(brute_best_mean));
  CHECK(full.best.n == 48);
  CHECK(full.race.runs < 11 * 48);
  // The winner's 95% interval holds the game's value: 0.36 of 300 lots of 64 chips.
  CHECK(full.best.ci_low <= 0.36 * 300 * 64);
  CHECK(0.36 * 300 * 64 <= full.best.ci_high);
}

TEST_CASE("optimize on a flat objective: the reported lead covers 0 at the nominal rate" *
          doctest::test_suite("heavy")) {
  // Two flows of 40 lots, one through each border, both found with 0.9: chips interdicted
  // are 0.9 x 64 x 40 x (q1 + q2) in expectation, the same for every split of a budget. The
  // race's own replications crown whichever split was luckiest; its lead there is biased up.
  // Measured on fresh replications, the lead's 95% interval must cover the true 0 in 95% of
  // 200 searches (4 binomial standard errors), and most splits are not worse than the best.
  std::string text = chiptrail::testing::two_routes(0, 0.9, 0, 0.9, R"(
levers { path: "policies[name=customs_b1].inspection_rate" cost_per_unit_usd: 1000 max: 1 name: "q1" }
levers { path: "policies[name=customs_b2].inspection_rate" cost_per_unit_usd: 1000 max: 1 name: "q2" }
)",
                                                    40);
  std::string second_flow;
  for (int i = 0; i < 40; ++i) second_flow += (i ? ", " : "") + std::to_string(i);
  text += R"(flows { id: "d2" kind: DIVERSION chip_model: "B200" packaging: LOOSE
  arrivals { schedule { at_days: [)" +
          second_flow + R"(] } }
  lot_chips { fixed: 64 }
  route: ["v", "dc"]
  tactics { consignment_chips: 64 onward_route: ["dc", "dealer", "b2", "end"] }
})";
  const auto registry = builtin_registry();
  constexpr int kSearches = 200;
  int covered = 0;
  sim::RunningStats race_lead, fresh_lead;  // over the searches
  double not_worse = 0;
  for (int seed = 1; seed <= kSearches; ++seed) {
    models::ScenarioFile file = models::parse_scenario_text("flat.textproto", text);
    file.message->set_seed(static_cast<std::uint64_t>(seed));
    models::AllocationSearchOptions o = options(1000, 4, 4, 16);
    o.halving.eta = 2;
    o.halving.threads = 2;
    const models::BudgetOutcome b = models::search_allocations(file, registry, o).frontier[1];
    REQUIRE(b.candidates.size() == 5);
    if (b.advantage.ci_low <= 0 && 0 <= b.advantage.ci_high) ++covered;
    // The lead as the race saw it: what optimize reported before.
    race_lead.add(b.race.contenders[b.race.best].mean() -
                  b.race.contenders[b.race.runner_up].mean());
    fresh_lead.add(b.advantage.mean);
    not_worse += static_cast<double>(b.not_worse.size());
  }
  const double coverage = covered / static_cast<double>(kSearches);
  CAPTURE(coverage);
  CHECK(std::abs(coverage - 0.95) < 4 * std::sqrt(0.95 * 0.05 / kSearches));
  // The curse, and its cure: over the searches, the race's own lead is biased up (its mean
  // many standard errors above 0, +40 chips); the fresh lead's mean is 0 within 4 of them.
  CAPTURE(race_lead.mean());
  CAPTURE(fresh_lead.mean());
  CHECK(race_lead.mean() > 4 * race_lead.sd() / std::sqrt(double{kSearches}));
  CHECK(std::abs(fresh_lead.mean()) < 4 * fresh_lead.sd() / std::sqrt(double{kSearches}));
  CHECK(not_worse / kSearches > 1.5);  // ties are reported as ties
}

TEST_CASE("optimize names the lever when an allocation makes the scenario invalid") {
  std::string text = two_routes(0, 0.9, 0, 0.6, kLevers, 5);
  text.replace(text.find("max: 1 name: \"q1\""), 17, "max: 3 name: \"q1\"");
  const models::ScenarioFile file = models::parse_scenario_text("game.textproto", text);
  const models::AllocationSearchOptions o = options(3000, 2, 2, 2);
  try {
    (void)models::search_allocations(file, builtin_registry(), o);
    FAIL("expected an error");
  } catch (const models::InvalidInput& e) {
    // Splits in halves of $3,000: q1 = 1.5 is the first that breaks the scenario.
    REQUIRE(e.errors().size() == 1);
    const models::InputError& error = e.errors().front();
    MESSAGE(error.to_string());
    CHECK(error.file == "game.textproto");
    CHECK(error.line == text_line_of(text, "name: \"q1\""));
    CHECK(error.field == "levers[0].max");
    CHECK(error.message.find("q1 reach 1.5") != std::string::npos);
    CHECK(error.message.find("must be a probability") != std::string::npos);
  }
}

TEST_CASE("a lever without a price is priced by the run, in the units the run reports") {
  // Ten lots of four consignments cross b, where each inspection costs $100: an inspection rate
  // from 0 to 1 adds 40 inspections, $4,000 of total_cost_usd per unit of rate, exactly.
  const std::string text =
      testing::base_scenario() + testing::diversion_flow(10, 64, 16) +
      "policies { name: \"customs\" scope { nodes: \"b\" } cost_per_unit_usd: 100\n"
      "  customs_inspection { inspection_rate: 0 detection_probability: 0.5 } }\n"
      "levers { path: \"policies[name=customs].inspection_rate\" max: 1 name: \"q\" }\n";
  const models::ScenarioFile file = models::parse_scenario_text("priced.textproto", text);
  const std::vector<models::Lever> priced =
      models::price_levers(file, builtin_registry(), models::levers_of(*file.message), 8);
  REQUIRE(priced.size() == 1);
  CHECK(priced[0].priced_by_run);
  CHECK(priced[0].cost_per_unit_usd == doctest::Approx(4000));
  // A budget of $4,400 would buy q = 1.1: capped at the lever's max, q = 1 inspects every
  // consignment, and the run reports exactly the $4,000 the price says. (A budget that buys
  // q < 1 costs it on average, so a split that spends it all passes the cost screen by the
  // luck of its first replications: not something to test on.)
  models::AllocationSearchOptions o = options(4400, 1, 8, 8);
  const models::AllocationSearch search = models::search_allocations(file, builtin_registry(), o);
  const models::BudgetOutcome& spent = search.frontier.back();
  CHECK(spent.best_allocation().values[0] == doctest::Approx(1.0));
  CHECK(spent.reported_cost.ci_low <= 4000);
  CHECK(4000 <= spent.reported_cost.ci_high);
  // A lever that moves no cost cannot be priced so.
  std::string free = text;
  free.replace(free.find("cost_per_unit_usd: 100"), 22, "cost_per_unit_usd: 0");
  const models::ScenarioFile unpriced = models::parse_scenario_text("free.textproto", free);
  CHECK_THROWS_WITH_AS((void)models::price_levers(unpriced, builtin_registry(),
                                                  models::levers_of(*unpriced.message), 4),
                       doctest::Contains("changes no cost the run reports"), std::invalid_argument);
}
