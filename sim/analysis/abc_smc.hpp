#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "sim/random_stream.hpp"

namespace chiptrail::sim {

// Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC, the population Monte
// Carlo of Beaumont, Cornuet, Marin and Robert, "Adaptive approximate Bayesian computation",
// Biometrika 96, 2009), for a simulator that can only be run, not evaluated:
//  - round 0 draws `particles` parameter vectors from the prior and simulates each once;
//    the statistics are scaled by their median absolute deviation over these prior draws
//    (so a count of chips and a count of cases weigh alike) and the distance to the observed
//    statistics is Euclidean on that scale, each squared term times its weight (1 by default);
//  - each later round sets the tolerance to the `quantile` of the previous population's
//    distances, proposes by resampling a particle by weight and moving it with a Gaussian
//    kernel of twice the population's weighted covariance, and keeps proposals whose
//    simulation lands within the tolerance until it has `particles` of them; weights are
//    prior / mixture of kernels (truncated at sqrt(particles) times their mean, Ionides 2008),
//    so the population targets the ABC posterior at that tolerance;
//  - it stops after `max_rounds` rounds, or once a round accepts fewer than `min_acceptance` of
//    its simulations (that population is kept), or when the tolerance stops shrinking or a
//    round cannot fill its population within `particles / min_acceptance` simulations (the
//    previous population is kept). Proposals outside the prior's support are rejected without
//    a simulation and count for nothing (up to 100 per simulation of the budget).
// The kernel moves each parameter on the scale where its prior's support is the whole line:
// log(x - lower) with a lower bound only, log(upper - x) with an upper one, the logit of its
// place between both bounds, x itself without bounds. So a rate is moved by factors, a
// probability piled near 0 is not proposed below 0 half the time, and every proposal is
// inside the support; the weights carry that scale's Jacobian, so the target is unchanged.
// Every draw comes from a stream addressed by (seed, round, proposal), and proposals are
// accepted in index order from batches the caller may simulate in any order on any number of
// workers: the result depends on the seed only.

struct AbcPrior {
  std::function<double(RandomStream&)> sample;
  std::function<double(double)> density;  // up to a constant factor; 0 outside the support
  // The support's bounds (infinite where there is none): the kernel's scale, see above.
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
};

// Simulates a batch: statistics for each parameter vector. Simulation k of the batch is the
// run with id first_id + k (ids are unique over the whole inference, for random streams).
using AbcSimulator = std::function<std::vector<std::vector<double>>(
    const std::vector<std::vector<double>>& parameters, std::uint64_t first_id)>;

struct AbcOptions {
  std::size_t particles = 500;
  std::size_t max_rounds = 8;
  double quantile = 0.5;
  double min_acceptance = 0.02;
  std::uint64_t seed = 1;
  std::vector<double> weights;  // per statistic, >= 0 (empty: all 1; 0: left out of the distance)
};

struct AbcRound {
  double tolerance = 0;        // infinity in round 0
  std::uint64_t proposed = 0;  // proposals drawn (including those outside the prior's support)
  std::uint64_t simulated = 0;
  std::uint64_t accepted = 0;
  double effective_sample_size = 0;
};

struct AbcPopulation {
  std::vector<std::vector<double>> parameters;  // per particle
  std::vector<double> weights;                  // sum to 1
  std::vector<double> distances;
  std::vector<std::vector<double>> statistics;  // the accepted simulation's statistics
};

struct AbcResult {
  AbcPopulation population;       // the last complete round's
  std::vector<AbcRound> rounds;   // every round that completed
  std::vector<double> scales;     // per statistic
  std::uint64_t simulations = 0;  // ids used: the next free simulation id
};

AbcResult abc_smc(const std::vector<AbcPrior>& priors, const std::vector<double>& observed,
                  const AbcSimulator& simulate, const AbcOptions& options);

// Weighted quantile (q in [0, 1]) of values with non-negative weights, by the inverse of the
// weighted empirical distribution function.
double weighted_quantile(std::vector<double> values, std::vector<double> weights, double q);

// The Monte Carlo standard error of that quantile, from the weighted sample alone. The share
// of weight below the estimated quantile t is a self-normalised importance-sampling estimate
// whose variance is about s^2 = sum_i w_i^2 (1[x_i <= t] - q)^2 (weights normalised; the delta
// method), which is q (1 - q) / n for n equal weights; the error is half the distance between
// the quantiles at q - s and q + s (Woodruff 1952; no density estimate needed). This is the
// error of an independent draw of the population; the effective sample size 1 / sum w_i^2
// understates it when weights grow with the distance from the centre (measured on ABC-SMC
// populations: the spread over seeds was 1.3-1.6 times sd / sqrt(ESS), 1.0-1.2 times this).
// The ends of a 95% interval from an effective sample of 50 rest on about one particle each:
// their error is then a large share of its width.
double weighted_quantile_error(const std::vector<double>& values,
                               const std::vector<double>& weights, double q);

// The Monte Carlo standard error of the weighted mean, by the same delta method:
// sqrt(sum_i w_i^2 (x_i - mean)^2) with weights normalised.
double weighted_mean_error(const std::vector<double>& values, const std::vector<double>& weights);

}  // namespace chiptrail::sim
