#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/analysis/intervals.hpp"

namespace chiptrail::sim {

// Sobol indices of one output from a Saltelli design (see designs.hpp). First order by the
// estimator of Saltelli et al. (2010) on outputs centred on their mean (uncentred, its variance
// grows with mean^2 / variance: an output shifted by 1000 gave S1 = 4.4 [-3.2, 11.6] where the
// index is 1.1), total by Jansen (1999); intervals at `level` by bootstrap over the base samples
// (percentile method), reproducible from `seed`.
struct SobolIndex {
  double first = 0, total = 0;
  Interval first_ci{0, 0}, total_ci{0, 0};
};

// `replications[p]` holds the output's value in every replication at design point p, in the
// design's order (per base sample: A, B, AB_1 .. AB_k), the same number R at every point.
// Indices describe the point means. Their replication noise biases the plain estimators (the
// variance of the means holds it, and a factor that does nothing gets a total index of about
// noise / variance); with R >= 2 it is estimated from the replications and subtracted, for
// each term of each estimator: the variance of the noise of a difference of two points, the
// covariance of the noise of B with that of AB_i - A, and the spread of the noise across
// points. Replication r of every point may share random streams (common random numbers) or
// not; both are handled, since only replications of different index are taken as independent.
struct SobolResult {
  std::vector<SobolIndex> indices;
  double noise_share = 0;  // replication noise over the variance of the point means
};
SobolResult sobol_indices(const std::vector<std::vector<double>>& replications, std::size_t k,
                          std::size_t bootstrap, std::uint64_t seed, double level = 0.95);

// The same from the point means alone (`y[p]` at design point p): nothing to correct for noise.
std::vector<SobolIndex> sobol_indices(const std::vector<double>& y, std::size_t k,
                                      std::size_t bootstrap, std::uint64_t seed,
                                      double level = 0.95);

// Morris elementary effects from a Morris design: `y` at every point in the design's order,
// `moved[p]` the factor changed to reach point p (unused for each trajectory's first point),
// `step[p]` the signed change of that factor in unit-hypercube terms (its change over its
// range), so that every factor's effect is per its whole range and the ranking does not depend
// on units (a latitude in degrees and a rate in [0, 1] compare). mu* comes with a Student-t
// interval over the trajectories (each gives one independent effect per factor).
struct MorrisMeasure {
  double mu = 0, mu_star = 0, sigma = 0;
  Interval mu_star_ci{0, 0};
  std::size_t effects = 0;
};
std::vector<MorrisMeasure> morris_measures(const std::vector<double>& y,
                                           const std::vector<std::size_t>& moved,
                                           const std::vector<double>& step, std::size_t k,
                                           std::size_t trajectories, double level = 0.95);

}  // namespace chiptrail::sim
