#pragma once

#include <cstdint>
#include <unordered_set>
#include <vector>

#include "models/recorder.hpp"
#include "models/world.hpp"

namespace chiptrail::models {

// Counts, per flow, the diverted lots sold and those found, for comparing a simulation with
// the analytic solver flow by flow.
class FlowOutcomes : public Recorder {
 public:
  explicit FlowOutcomes(const World& world)
      : sold_(world.flows.size(), 0), found_(world.flows.size()) {}
  void lot_created(const Lot& lot, sim::Time) override {
    if (lot.diverted) ++sold_[lot.flow];
  }
  void detected(const Lot& lot, const DetectionEvent&) override { found_[lot.flow].insert(lot.id); }
  void false_positive(const Lot&, const DetectionEvent&) override {}
  void delivered(const Lot&, sim::Time) override {}
  void cost(std::size_t, double, sim::Time) override {}
  void costs(std::size_t, double, sim::Time, sim::Time, std::uint64_t) override {}
  void disabled_after_delivery(const Lot&, const DetectionEvent&) override {}
  void substituted(const Lot&, double, sim::Time) override {}

  [[nodiscard]] std::uint64_t sold(std::size_t flow) const { return sold_[flow]; }
  [[nodiscard]] std::uint64_t found(std::size_t flow) const { return found_[flow].size(); }

 private:
  std::vector<std::uint64_t> sold_;
  std::vector<std::unordered_set<std::uint64_t>> found_;
};

}  // namespace chiptrail::models
