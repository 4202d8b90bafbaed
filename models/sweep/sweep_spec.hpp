#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/distribution.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/world.hpp"

namespace chiptrail::v1 {
class Sweep;
}

namespace chiptrail::models {

struct SweepFactor {
  std::string path;
  std::string name;            // output column
  std::vector<double> values;  // full factorial levels
  double min = 0, max = 0;     // sampled designs
  // Sampled designs over a scenario's `uncertain` entry: its distribution, whose quantiles the
  // factor takes (min and max unused).
  std::optional<Distribution> distribution;
};

struct SweepPoint {
  std::vector<double> values;  // one per factor
  std::string role;            // design role ("A", "AB2", "t0.s1.f3"); empty for grids
  std::vector<double> unit;    // sampled designs: the point in the unit hypercube
};

// A validated sweep: the base scenario, the design points, and how to run them. Run `id`
// belongs to point id / replications, replication id % replications.
struct SweepSpec {
  std::string path;
  std::string text;  // the sweep file's bytes (hashed into manifests)
  std::string name;
  std::string design;  // "full_factorial", "latin_hypercube", "saltelli", "morris"
  ScenarioFile base;
  std::vector<SweepFactor> factors;
  std::vector<SweepPoint> points;
  std::uint32_t replications = 1;
  std::uint64_t seed = 0;
  bool common_random_numbers = false;
  std::vector<std::string> metrics;  // empty = all
  // Whether the base scenario's lots are independent trials (lots_independent): the interval
  // of lot shares at every point, as `run` gives it.
  bool lots_independent = false;
  std::shared_ptr<const v1::Sweep> message;  // the sweep as read, for manifests

  [[nodiscard]] std::uint64_t runs() const { return points.size() * std::uint64_t{replications}; }
  [[nodiscard]] std::size_t point_of(std::uint64_t run) const {
    return static_cast<std::size_t>(run / replications);
  }
  [[nodiscard]] std::uint64_t replication_of(std::uint64_t run) const { return run % replications; }
  // The replication index that addresses a run's random streams: shared by all points with
  // common random numbers, distinct for every run without.
  [[nodiscard]] std::uint64_t stream_replication(std::uint64_t run) const {
    return common_random_numbers ? replication_of(run) : run;
  }
};

// Reads and validates a sweep file: every factor path must name a numeric field of the base
// scenario and every value must leave the scenario valid. Errors carry file:line:column.
SweepSpec load_sweep(const std::string& path, const PolicyRegistry& registry);

// Same, from text already in memory; `path` names it in errors and places the base scenario.
SweepSpec parse_sweep_text(const std::string& path, std::string text,
                           const PolicyRegistry& registry);

// The World of one design point: the base scenario with the point's factor values applied.
World world_for_point(const SweepSpec& spec, std::size_t point, const PolicyRegistry& registry);

}  // namespace chiptrail::models
