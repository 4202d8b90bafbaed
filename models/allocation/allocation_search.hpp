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
// random streams, so their comparison is paired. The race's values favour what it chose (the
// winner's curse), so the finalists (the last round's candidates) are run again on fresh
// replications [R, 2R), R = max replications, and everything reported comes from those: the
// winner (the race's best finalist whose cost there is not significantly above the budget), its
// value with its Student-t interval, its lead over the runner-up (the next such finalist) with
// a paired interval, the finalists not significantly worse than it (one-sided paired bounds,
// Bonferroni over the finalists), and the cost the run reports for it. A split is screened out when
// its simulated cost is significantly above the budget (the lower end of a one-sided 95% interval
// over the race's first replications).
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
  Estimate best;  // the objective under the chosen allocation, on the fresh replications
  // What the run reports the best allocation costs: its total_cost_usd above the levers at
  // their minimum, paired by replication over the fresh replications. With levers
  // priced by the run it matches the spend up to noise and non-linearity.
  Estimate reported_cost;
  std::size_t screened_out = 0;  // splits whose simulated cost is significantly above the budget
  // How much better the best is than the runner-up (best - runner-up when maximising,
  // runner-up - best when minimising), paired by fresh replication; NaN with n = 0 when no
  // other finalist is within the budget.
  Estimate advantage;
  sim::Confirmation confirmation;  // the finalists on fresh replications
  // Candidate indices of the finalists not significantly worse than the best, the best first:
  // one allocation means a clear winner, several a choice the runs cannot make.
  std::vector<std::size_t> not_worse;
  // The winner: the race's best finalist whose cost on the fresh replications is not
  // significantly above the budget (the race's winner itself, flagged, when none is).
  std::size_t chosen = 0;
  bool over_budget = false;
  [[nodiscard]] const Allocation& best_allocation() const { return candidates[chosen]; }
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
