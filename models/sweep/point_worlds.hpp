#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <utility>

#include "models/policies/policy_registry.hpp"
#include "models/sweep/sweep_spec.hpp"
#include "models/world.hpp"

namespace chiptrail::models {

// The worlds of a sweep's design points, built when a run first needs one and kept for the
// few points being run now: a sweep of millions of points never holds millions of worlds
// (~8.5 KB each). Runs come in id order, point by point, so a handful of recent points serve
// every thread. Safe to call from several threads.
class PointWorlds {
 public:
  PointWorlds(const SweepSpec& spec, const PolicyRegistry& registry, std::size_t capacity)
      : spec_(spec), registry_(registry), capacity_(std::max<std::size_t>(capacity, 1)) {}

  std::shared_ptr<const World> get(std::size_t point) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      for (auto it = recent_.begin(); it != recent_.end(); ++it) {
        if (it->first == point) {
          recent_.splice(recent_.begin(), recent_, it);  // most recent first
          return it->second;
        }
      }
    }
    // Built outside the lock: other threads keep running meanwhile (two threads may build the
    // same point once each; the worlds are equal).
    auto world = std::make_shared<const World>(world_for_point(spec_, point, registry_));
    const std::lock_guard<std::mutex> lock(mutex_);
    recent_.emplace_front(point, world);
    if (recent_.size() > capacity_) recent_.pop_back();
    return world;
  }

 private:
  const SweepSpec& spec_;
  const PolicyRegistry& registry_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::list<std::pair<std::size_t, std::shared_ptr<const World>>> recent_;
};

}  // namespace chiptrail::models
