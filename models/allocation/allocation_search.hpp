#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/allocation/lever.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/scenario/scenario_file.hpp"
#include "sim/analysis/successive_halving.hpp"

namespace chiptrail::models {

// `chiptrail optimize`: where to spend an enforcement budget.
//
// Method. Levers without a price are priced by the run first (price_levers). For each budget
// b on the frontier (b = B k / F, k = 1..F, and b = 0 as the baseline), the candidates are the
// splits of b over the scenario's levers in steps of b / d (a simplex lattice:
// C(d + L - 1, L - 1) allocations for L levers), each lever's share buying
// min + share / cost_per_unit of its field, capped at max. Every split is run for the race's
// first replications and dropped when the run's total_cost_usd (above the levers at their
// minimum) exceeds b: the budget binds what the run reports, whatever the prices said. The
// remaining candidates are raced by successive halving (sim/successive_halving.hpp) on the
// objective metric, with common random numbers: every candidate's replication r uses the same
// random streams, so their comparison is paired. The winner of each budget is reported with its
// Student-t interval, with a paired interval of its difference from the runner-up (the best
// other candidate measured as long), and with the cost the run reports for it.
struct AllocationSearchOptions {
  double budget = 0;
  std::size_t divisions = 10;       // d
  std::size_t frontier_points = 4;  // F
  std::string objective = "chips_interdicted";
  sim::HalvingOptions halving;  // its `maximize` says which way the objective is better
  double level = 0.95;
};

struct Estimate {
  double mean = 0, ci_low = 0, ci_high = 0;
  std::uint64_t n = 0;
};

struct BudgetOutcome {
  double budget = 0;
  std::vector<Allocation> candidates;
  sim::HalvingResult race;
  Estimate best;  // the objective under race.best
  // What the run reports the best allocation costs: its total_cost_usd above the levers at
  // their minimum, paired by replication over the replications the best one ran. With levers
  // priced by the run it matches the spend up to noise and non-linearity.
  Estimate reported_cost;
  std::size_t screened_out = 0;  // splits whose simulated cost exceeded the budget
  // How much better the best is than the runner-up (best - runner-up when maximising,
  // runner-up - best when minimising), paired by replication; zero when alone.
  Estimate advantage;
  [[nodiscard]] const Allocation& best_allocation() const { return candidates[race.best]; }
};

// Levers the scenario gave no cost_per_unit_usd, priced from the run: (mean total_cost_usd with
// the lever at max) - (with it at min), every other lever at its min, over `replications`
// paired replications, per unit of the lever. Throws std::invalid_argument when a lever changes
// no reported cost (it cannot be priced so: give its cost_per_unit_usd).
std::vector<Lever> price_levers(const ScenarioFile& scenario, const PolicyRegistry& registry,
                                std::vector<Lever> levers, std::uint64_t replications);

// The levers as priced (by the scenario, or by the run), and the frontier, budget 0 first.
struct AllocationSearch {
  std::vector<Lever> levers;
  std::vector<BudgetOutcome> frontier;
};

// Throws InvalidInput (at the lever's `max`) when an allocation makes the scenario invalid;
// std::invalid_argument when the scenario has no levers, a lever priced by the run changes no
// cost, or the objective is not a metric of the scenario.
AllocationSearch search_allocations(const ScenarioFile& scenario, const PolicyRegistry& registry,
                                    const AllocationSearchOptions& options);

}  // namespace chiptrail::models
