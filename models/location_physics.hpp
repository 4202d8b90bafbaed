#pragma once

#include <cstdint>

#include "sim/random_stream.hpp"

namespace chiptrail::models {

// Speed of light in vacuum, km per millisecond.
inline constexpr double kLightKmPerMs = 299.792458;

// Great-circle distance in km between two points given in degrees (haversine, mean Earth
// radius 6,371.0088 km).
double great_circle_km(double lat1, double lon1, double lat2, double lon2);

// The physical floor on a challenge's round-trip time over distance d: nothing travels faster
// than light, so RTT >= 2 d / c (DOMAIN.md, "Physics of delay-based location verification").
inline double light_bound_rtt_ms(double km) {
  return 2.0 * km / kLightKmPerMs;
}

// Round-trip time of a challenge over a real network: signal at a fraction of c along a cable
// path longer than the great circle, plus routing overhead and a random queueing jitter. A
// relay can only add delay, so the model never goes below the light bound.
struct RttModel {
  double fiber_speed_fraction = 0.67;
  double path_stretch = 1.3;
  double overhead_ms = 2.0;
  double jitter_ms = 1.0;  // mean of the exponential extra delay

  double sample_ms(double km, sim::RandomStream& rng) const;
  // The least of `probes` round trips (probes >= 1), as a verifier that keeps the minimum RTT
  // of several probes measures it. The minimum of k exponential jitters is exponential with
  // mean jitter_ms / k, so one draw gives it exactly.
  double sample_min_ms(double km, std::uint32_t probes, sim::RandomStream& rng) const;
  // The probability that sample_min_ms(km, probes) exceeds `limit_ms`: 1 when even the light
  // bound or the jitter-free delay does, else the exponential tail exp(-(limit - delay) k / j).
  [[nodiscard]] double exceed_probability(double km, std::uint32_t probes, double limit_ms) const;
};

}  // namespace chiptrail::models
