#include "models/allocation/lever.hpp"

#include <algorithm>
#include <numeric>

#include "chiptrail/v1/scenario.pb.h"
#include "models/sweep/field_setter.hpp"

namespace chiptrail::models {

double Allocation::total_spend() const {
  return std::accumulate(spend.begin(), spend.end(), 0.0);
}

std::vector<Lever> levers_of(const v1::Scenario& scenario) {
  std::vector<Lever> out;
  for (const v1::Lever& l : scenario.levers()) {
    out.push_back({l.path(), l.name().empty() ? l.path() : l.name(), l.cost_per_unit_usd(),
                   !l.has_cost_per_unit_usd(), l.min(), l.max()});
  }
  return out;
}

Allocation allocate(const std::vector<Lever>& levers, const std::vector<double>& offered) {
  Allocation a;
  for (std::size_t i = 0; i < levers.size(); ++i) {
    const Lever& l = levers[i];
    // Nothing offered buys nothing, even of a lever not yet priced (cost 0).
    const double units = offered[i] > 0 ? offered[i] / l.cost_per_unit_usd : 0.0;
    const double value = std::min(l.max, l.min + units);
    a.values.push_back(value);
    a.spend.push_back((value - l.min) * l.cost_per_unit_usd);
  }
  return a;
}

void apply(const std::vector<Lever>& levers, const Allocation& allocation, v1::Scenario& scenario) {
  for (std::size_t i = 0; i < levers.size(); ++i) {
    set_numeric_field(scenario, levers[i].path, allocation.values[i]);
  }
}

}  // namespace chiptrail::models
