#include "models/location_physics.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "sim/sampling.hpp"

namespace chiptrail::models {

double great_circle_km(double lat1, double lon1, double lat2, double lon2) {
  constexpr double radius_km = 6371.0088;
  constexpr double rad = std::numbers::pi / 180.0;
  const double dlat = (lat2 - lat1) * rad;
  const double dlon = (lon2 - lon1) * rad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * radius_km * std::asin(std::min(1.0, std::sqrt(a)));
}

double RttModel::sample_ms(double km, sim::RandomStream& rng) const {
  return sample_min_ms(km, 1, rng);
}

double RttModel::sample_min_ms(double km, std::uint32_t probes, sim::RandomStream& rng) const {
  const double propagation = 2.0 * km * path_stretch / (fiber_speed_fraction * kLightKmPerMs);
  const double jitter =
      jitter_ms > 0 ? sim::exponential(rng, jitter_ms / static_cast<double>(probes)) : 0.0;
  // max(bound, x) is monotone in x, so the minimum over probes commutes with the light bound.
  return std::max(light_bound_rtt_ms(km), propagation + overhead_ms + jitter);
}

double RttModel::exceed_probability(double km, std::uint32_t probes, double limit_ms) const {
  const double propagation = 2.0 * km * path_stretch / (fiber_speed_fraction * kLightKmPerMs);
  const double delay = propagation + overhead_ms;
  if (light_bound_rtt_ms(km) > limit_ms) return 1;
  if (jitter_ms <= 0) return delay > limit_ms ? 1 : 0;
  if (delay >= limit_ms) return 1;  // the jitter is positive almost surely
  return std::exp(-(limit_ms - delay) * static_cast<double>(probes) / jitter_ms);
}

}  // namespace chiptrail::models
