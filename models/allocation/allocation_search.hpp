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
// Method. For each budget b on the frontier (b = B k / F, k = 1..F, and b = 0 as the
// baseline), the candidates are the splits of b over the scenario's levers in steps of b / d
// (a simplex lattice: C(d + L - 1, L - 1) allocations for L levers), each lever's share buying
// min + share / cost_per_unit of its field, capped at max. Candidates are raced by successive
// halving (sim/successive_halving.hpp) on the objective metric, with common random numbers:
// every candidate's replication r uses the same random streams, so their comparison is paired.
// The winner of each budget is reported with its Student-t interval, and with a paired interval
// of its difference from the runner-up (the best other candidate measured as long).
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
  // How much better the best is than the runner-up (best - runner-up when maximising,
  // runner-up - best when minimising), paired by replication; zero when alone.
  Estimate advantage;
  [[nodiscard]] const Allocation& best_allocation() const { return candidates[race.best]; }
};

// The frontier, budget 0 first. Throws InvalidInput (at the lever's `max`) when an allocation
// makes the scenario invalid; std::invalid_argument when the scenario has no levers or the
// objective is not a metric of the scenario.
std::vector<BudgetOutcome> search_allocations(const ScenarioFile& scenario,
                                              const PolicyRegistry& registry,
                                              const AllocationSearchOptions& options);

}  // namespace chiptrail::models
