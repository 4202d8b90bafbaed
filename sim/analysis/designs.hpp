#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chiptrail::sim {

// Experimental designs over k factors, as points in the unit hypercube [0, 1]^k (or, for the
// full factorial, level indices); mapping to factor values is the caller's. Deterministic in
// the seed, drawn from addressed random streams like everything else.
struct DesignPoint {
  std::vector<double> coordinates;  // unit-cube coordinates, or level indices (full factorial)
  std::string role;                 // e.g. "A", "B", "AB2" (Saltelli); "t3.s1" (Morris); ""
};

// Every combination of levels; the last factor varies fastest. Point 0 is all first levels.
std::vector<DesignPoint> full_factorial(const std::vector<std::size_t>& levels);

// n points, each factor's range cut into n strata visited once each, in random order.
std::vector<DesignPoint> latin_hypercube(std::size_t k, std::size_t n, std::uint64_t seed);

// Saltelli (2002/2010) for Sobol indices: n base samples, each giving A, B and AB_1..AB_k
// (A with coordinate i from B): n * (k + 2) points, grouped per sample in that order. The base
// samples (A, B) are a digitally shifted Sobol' sequence in 2k dimensions, not pseudo-random
// points: the indices converge faster (Saltelli et al. 2010), best with n a power of two.
// default_saltelli_samples(k) is the n to use when none is given.
std::vector<DesignPoint> saltelli(std::size_t k, std::size_t n, std::uint64_t seed);
// The smallest power of two at least 64 and at least 32 k: enough base samples for the
// bootstrap intervals of k factors' indices to be informative.
std::size_t default_saltelli_samples(std::size_t k);

// Every way of splitting a whole into k shares that are multiples of 1/divisions (a simplex
// lattice): C(divisions + k - 1, k - 1) points whose coordinates sum to 1, in lexicographic
// order of the shares, first factor slowest. Point 0 gives everything to the last factor.
std::vector<DesignPoint> simplex_lattice(std::size_t k, std::size_t divisions);

// Morris (1991) elementary effects: r trajectories of k + 1 points on a grid of p levels; each
// step moves one factor, in random order, by delta = p / (2 (p - 1)), up or down to stay inside.
std::vector<DesignPoint> morris(std::size_t k, std::size_t r, std::size_t levels,
                                std::uint64_t seed);

}  // namespace chiptrail::sim
