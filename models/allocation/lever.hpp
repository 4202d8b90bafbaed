#pragma once

#include <string>
#include <vector>

namespace chiptrail::v1 {
class Scenario;
}

namespace chiptrail::models {

// A decision variable of enforcement allocation (scenario field `levers`): a numeric field,
// what one unit of it costs, and its range.
struct Lever {
  std::string path;
  std::string name;  // for outputs
  double cost_per_unit_usd = 0;
  // The scenario gave no cost_per_unit_usd: `optimize` measures it from the run's
  // total_cost_usd (price_levers) before allocating.
  bool priced_by_run = false;
  double min = 0;
  double max = 0;
};

// Money spent on each lever and the field values it buys: min + spend / cost, capped at max
// (money beyond the cap is not spent).
struct Allocation {
  std::vector<double> spend;   // USD actually spent, by lever
  std::vector<double> values;  // the fields' values, by lever
  [[nodiscard]] double total_spend() const;
};

// The levers of a scenario whose levers were validated by build_world.
std::vector<Lever> levers_of(const v1::Scenario& scenario);

// What offering `offered[i]` dollars to lever i buys.
Allocation allocate(const std::vector<Lever>& levers, const std::vector<double>& offered);

// The scenario with an allocation's values written into its fields.
void apply(const std::vector<Lever>& levers, const Allocation& allocation, v1::Scenario& scenario);

}  // namespace chiptrail::models
