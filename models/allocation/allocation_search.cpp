#include "models/allocation/allocation_search.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "chiptrail/v1/scenario.pb.h"
#include "models/metric_glossary.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/input_text.hpp"
#include "models/supply_chain_model.hpp"
#include "sim/analysis/designs.hpp"
#include "sim/analysis/intervals.hpp"
#include "sim/analysis/thread_pool.hpp"
#include "sim/running_stats.hpp"

namespace chiptrail::models {
namespace {

constexpr double kMaxCandidates = 100000;  // budget splits of one budget, each a world

std::string count_text(double n) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", n);
  return text;
}

// The scenario with an allocation applied, validated. When it is invalid, the lever whose
// value breaks it (tried alone, the others at their minimum) is blamed at its `max`, where the
// range was set, with the scenario's own complaint.
World world_for(const ScenarioFile& scenario, const PolicyRegistry& registry,
                const std::vector<Lever>& levers, const Allocation& a) {
  const auto build = [&](const Allocation& with) {
    ScenarioFile file;
    file.path = scenario.path;
    file.message = std::make_unique<v1::Scenario>(*scenario.message);
    apply(levers, with, *file.message);
    return build_world(file, registry);
  };
  try {
    return build(a);
  } catch (const InvalidInput& whole) {
    std::size_t culprit = 0;
    InputError cause = whole.errors().front();
    for (std::size_t i = 0; i < levers.size(); ++i) {
      Allocation alone = allocate(levers, std::vector<double>(levers.size(), 0.0));
      alone.values[i] = a.values[i];
      try {
        (void)build(alone);
      } catch (const InvalidInput& e) {
        culprit = i;
        cause = e.errors().front();
        break;
      }
    }
    const FieldPath where = FieldPath{}.at("levers", culprit) / "max";
    const SourceLocation at = scenario.locator.locate(where);
    throw InvalidInput(
        {{at.file, at.line, at.column, where.to_string(),
          "lets " + levers[culprit].name + " reach " + describe_number(a.values[culprit]) +
              ", but then " + cause.field + " " + cause.message}});
  }
}

std::string describe(const std::vector<Lever>& levers, const Allocation& a) {
  std::string out;
  for (std::size_t i = 0; i < levers.size(); ++i) {
    out += (i ? ", " : "") + levers[i].path + " = " + describe_number(a.values[i]);
  }
  return out;
}

Estimate estimate(const std::vector<double>& values, double level) {
  sim::RunningStats s;
  for (const double v : values) s.add(v);
  const sim::Interval ci = sim::student_t_interval(s, level);
  return {s.mean(), s.count() > 1 ? ci.low : s.mean(), s.count() > 1 ? ci.high : s.mean(),
          s.count()};
}

// Whether a split's simulated cost (above the levers at their minimum) is significantly above
// the budget: the lower end of a one-sided 95% interval over the screening replications. A
// split that spends its budget exactly (every split does, at prices set by the run) stays; one
// judged by its mean alone passed or failed by luck.
bool exceeds(const sim::RunningStats& cost, double budget) {
  const double limit = budget * (1 + 1e-9);
  if (cost.count() < 2 || !(cost.sd() > 0)) return cost.mean() > limit;
  return sim::student_t_interval(cost, 0.90).low > limit;
}

// The allocations of one budget: the simplex lattice of its splits, without duplicates (caps
// can make different splits buy the same values).
std::vector<Allocation> candidates_for(const std::vector<Lever>& levers, double budget,
                                       std::size_t divisions) {
  std::vector<Allocation> out;
  const auto splits =
      budget > 0 ? sim::simplex_lattice(levers.size(), divisions)
                 : std::vector<sim::DesignPoint>{{std::vector<double>(levers.size(), 0.0), ""}};
  for (const sim::DesignPoint& split : splits) {
    std::vector<double> offered;
    for (const double share : split.coordinates) offered.push_back(share * budget);
    Allocation a = allocate(levers, offered);
    bool seen = false;
    for (const Allocation& b : out) seen = seen || b.values == a.values;
    if (!seen) out.push_back(std::move(a));
  }
  return out;
}

// The run's total cost of an allocation in replication r.
double total_cost(const World& world, std::uint64_t r) {
  return run_replication(world, r).get("total_cost_usd");
}

}  // namespace

std::vector<Lever> price_levers(const ScenarioFile& scenario, const PolicyRegistry& registry,
                                std::vector<Lever> levers, std::uint64_t replications) {
  const Allocation at_min = allocate(levers, std::vector<double>(levers.size(), 0.0));
  std::vector<double> base;
  for (std::size_t i = 0; i < levers.size(); ++i) {
    Lever& lever = levers[i];
    if (!lever.priced_by_run) continue;
    if (base.empty()) {
      const World w = world_for(scenario, registry, levers, at_min);
      for (std::uint64_t r = 0; r < replications; ++r) base.push_back(total_cost(w, r));
    }
    Allocation at_max = at_min;
    at_max.values[i] = lever.max;
    const World w = world_for(scenario, registry, levers, at_max);
    double change = 0;
    for (std::uint64_t r = 0; r < replications; ++r) change += total_cost(w, r) - base[r];
    const double per_unit = change / static_cast<double>(replications) / (lever.max - lever.min);
    if (!(per_unit > 0)) {
      throw std::invalid_argument("optimize: lever " + lever.name +
                                  " changes no cost the run reports (total_cost_usd " +
                                  "moves by " + describe_number(per_unit) +
                                  " per unit from min to max): give its " + "cost_per_unit_usd");
    }
    lever.cost_per_unit_usd = per_unit;
  }
  return levers;
}

AllocationSearch search_allocations(const ScenarioFile& scenario, const PolicyRegistry& registry,
                                    const AllocationSearchOptions& o) {
  const v1::Scenario& base = *scenario.message;
  if (base.levers().empty()) {
    throw std::invalid_argument(scenario.path + ": no `levers` to allocate a budget over");
  }
  const std::vector<Lever> levers =
      price_levers(scenario, registry, levers_of(base),
                   std::max<std::uint64_t>(o.halving.initial_replications, 16));
  if (!(std::isfinite(o.budget) && o.budget > 0) || o.divisions == 0 || o.frontier_points == 0) {
    throw std::invalid_argument("optimize: needs a positive budget, divisions and frontier points");
  }
  // The lattice has C(divisions + levers - 1, levers - 1) splits, each a world in memory:
  // refuse a search that could not fit before building any (counted without overflow).
  double splits = 1;
  for (std::size_t i = 1; i < levers.size(); ++i) {
    splits = splits * static_cast<double>(o.divisions + i) / static_cast<double>(i);
  }
  if (splits > kMaxCandidates) {
    throw std::invalid_argument("optimize: " + std::to_string(levers.size()) + " levers in " +
                                std::to_string(o.divisions) + " divisions give " +
                                count_text(splits) +
                                " budget splits (limit 100,000): use fewer --divisions");
  }
  std::vector<BudgetOutcome> out;
  const Allocation minimum = allocate(levers, std::vector<double>(levers.size(), 0.0));
  const World at_min = world_for(scenario, registry, levers, minimum);
  std::vector<double> base_cost;  // the levers at their minimum, by replication (grows on demand)
  for (std::size_t k = 0; k <= o.frontier_points; ++k) {
    BudgetOutcome b;
    b.budget = o.budget * static_cast<double>(k) / static_cast<double>(o.frontier_points);
    std::vector<Allocation> lattice = candidates_for(levers, b.budget, o.divisions);
    std::vector<World> lattice_worlds;
    for (const Allocation& a : lattice) {
      lattice_worlds.push_back(world_for(scenario, registry, levers, a));
    }
    // The budget binds what the run reports, not the levers' prices: a split whose simulated
    // total cost (above the levers at their minimum, mean of the first replications) exceeds
    // b is dropped, however it was priced (smugglers who answer one measure can make another
    // dearer). The levers at their minimum stay when nothing else fits.
    const std::uint64_t screen = o.halving.initial_replications;
    for (std::uint64_t r = base_cost.size(); r < screen; ++r)
      base_cost.push_back(total_cost(at_min, r));
    std::vector<std::uint64_t> jobs(lattice.size() * screen);
    for (std::uint64_t j = 0; j < jobs.size(); ++j) jobs[j] = j;
    std::vector<double> costs(jobs.size());
    sim::run_on_threads(
        jobs, o.halving.threads,
        [&](std::uint64_t j) { return total_cost(lattice_worlds[j / screen], j % screen); },
        [&](std::uint64_t j, double cost) { costs[j] = cost - base_cost[j % screen]; },
        [] { return false; });
    std::vector<sim::RunningStats> cost_of(lattice.size());  // added in order: any thread count
    for (std::uint64_t j = 0; j < jobs.size(); ++j) cost_of[j / screen].add(costs[j]);
    std::vector<World> worlds;
    for (std::size_t c = 0; c < lattice.size(); ++c) {
      if (b.budget == 0 || !exceeds(cost_of[c], b.budget)) {
        b.candidates.push_back(lattice[c]);
        worlds.push_back(std::move(lattice_worlds[c]));
      }
    }
    b.screened_out = lattice.size() - b.candidates.size();
    if (b.candidates.empty()) {
      b.candidates.push_back(minimum);
      worlds.push_back(world_for(scenario, registry, levers, minimum));  // worlds do not copy
    }
    if (k == 0) {  // name the metrics once, rather than fail on every candidate
      const RunMetrics probe = run_replication(worlds.front(), 0);
      if (std::find(probe.names.begin(), probe.names.end(), o.objective) == probe.names.end()) {
        std::string names;
        for (const std::string& n : probe.names) names += (names.empty() ? "" : ", ") + n;
        throw std::invalid_argument("optimize: no metric named " + o.objective +
                                    rename_hint(o.objective) +
                                    "; this scenario's metrics are: " + names);
      }
    }
    const auto objective_of = [&](const RunMetrics& m, std::size_t c, std::uint64_t r) {
      const double v = m.get(o.objective);
      if (std::isnan(v)) {
        throw std::invalid_argument(
            "optimize: the objective " + o.objective + " is not defined in replication " +
            std::to_string(r) + " of " + describe(levers, b.candidates[c]) +
            " (unknown metric, or a rate with nothing to count: prefer counts such as "
            "chips_interdicted)");
      }
      return v;
    };
    const auto objective = [&](std::size_t c, std::uint64_t r) {
      return objective_of(run_replication(worlds[c], r), c, r);
    };
    b.race = sim::successive_halving(worlds.size(), objective, o.halving);
    // What is reported comes from fresh replications, after the race: its own are biased
    // toward the winner it chose.
    const std::uint64_t fresh_from = o.halving.max_replications;
    const std::uint64_t fresh = o.halving.max_replications;
    while (base_cost.size() < fresh_from + fresh) {
      base_cost.push_back(total_cost(at_min, base_cost.size()));
    }
    // One fresh run per finalist and replication gives both its objective and what it spends
    // (each task writes its own slot of `spent`, so the threads share nothing).
    const std::vector<std::size_t>& finalists = b.race.finalists;
    std::vector<std::vector<double>> spent(finalists.size(), std::vector<double>(fresh, 0.0));
    b.confirmation = sim::confirm_finalists(
        b.race,
        [&](std::size_t c, std::uint64_t r) {
          const RunMetrics m = run_replication(worlds[c], r);
          const auto f = static_cast<std::size_t>(std::find(finalists.begin(), finalists.end(), c) -
                                                  finalists.begin());
          spent[f][r - fresh_from] = m.get("total_cost_usd") - base_cost[r];
          return objective_of(m, c, r);
        },
        fresh_from, fresh, o.halving.threads);
    // The finalists within the budget on the fresh replications, in the race's order; the
    // first is the winner. The race screened on few replications, so a finalist can turn out
    // dearer than its budget; when every one does, the race's winner stays, flagged.
    std::vector<std::size_t> within;
    for (std::size_t f = 0; f < spent.size(); ++f) {
      sim::RunningStats cost;
      for (const double v : spent[f]) cost.add(v);
      if (b.budget == 0 || !exceeds(cost, b.budget)) within.push_back(f);
    }
    b.over_budget = within.empty();
    if (within.empty()) within.push_back(0);
    const sim::Confirmation& confirmed = b.confirmation;
    b.chosen = confirmed.finalists[within.front()];
    const std::vector<double>& best = confirmed.values[within.front()];
    b.best = estimate(best, o.level);
    b.reported_cost = estimate(spent[within.front()], o.level);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    b.advantage = {nan, nan, nan, 0};  // alone: no runner-up
    b.not_worse = {b.chosen};
    const std::size_t others = within.size() - 1;
    for (std::size_t i = 1; i < within.size(); ++i) {
      std::vector<double> lead;
      for (std::size_t r = 0; r < fresh; ++r) {
        const double other = confirmed.values[within[i]][r];
        lead.push_back(o.halving.maximize ? best[r] - other : other - best[r]);
      }
      if (i == 1) b.advantage = estimate(lead, o.level);
      // Not significantly worse than the best: the one-sided lower bound of the best's lead
      // at 1 - alpha / others (Bonferroni over the finalists compared) reaches zero.
      const double one_sided = 1.0 - (1.0 - o.level) / static_cast<double>(others);
      if (estimate(lead, 1.0 - 2.0 * (1.0 - one_sided)).ci_low <= 0) {
        b.not_worse.push_back(confirmed.finalists[within[i]]);
      }
    }
    out.push_back(std::move(b));
  }
  return {levers, std::move(out)};
}

}  // namespace chiptrail::models
