#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/analysis/intervals.hpp"

namespace chiptrail::sim {

// Sobol indices of one output from a Saltelli design (see designs.hpp): `y` holds the output
// at every design point, in the design's order (per base sample: A, B, AB_1 .. AB_k).
// First order by Saltelli et al. (2010), total by Jansen (1999); intervals at `level` by
// bootstrap over the base samples (percentile method), reproducible from `seed`.
struct SobolIndex {
  double first = 0, total = 0;
  Interval first_ci{0, 0}, total_ci{0, 0};
};
std::vector<SobolIndex> sobol_indices(const std::vector<double>& y, std::size_t k,
                                      std::size_t bootstrap, std::uint64_t seed,
                                      double level = 0.95);

// Morris elementary effects from a Morris design: `y` at every point in the design's order,
// `moved[p]` the factor changed to reach point p (unused for each trajectory's first point),
// `step[p]` the signed change of that factor (in the factor's own units).
struct MorrisMeasure {
  double mu = 0, mu_star = 0, sigma = 0;
  std::size_t effects = 0;
};
std::vector<MorrisMeasure> morris_measures(const std::vector<double>& y,
                                           const std::vector<std::size_t>& moved,
                                           const std::vector<double>& step, std::size_t k,
                                           std::size_t trajectories);

}  // namespace chiptrail::sim
