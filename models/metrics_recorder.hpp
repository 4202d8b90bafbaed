#pragma once

#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "models/recorder.hpp"
#include "models/run_metrics.hpp"
#include "models/world.hpp"
#include "sim/running_stats.hpp"

namespace chiptrail::models {

// Counts the standard metrics of DESIGN.md ("The domain") for one replication.
class MetricsRecorder : public Recorder {
 public:
  explicit MetricsRecorder(const World& world);

  void lot_created(const Lot& lot, sim::Time t) override;
  void detected(const Lot& lot, const DetectionEvent& d) override;
  void false_positive(const Lot& lot, const DetectionEvent& d) override;
  void delivered(const Lot& lot, sim::Time t) override;
  void cost(std::size_t policy, double usd) override;
  void would_flag(const Lot& lot, std::size_t policy) override;
  void disabled_after_delivery(const Lot& delivered, const DetectionEvent& d) override;
  void substituted(const Lot& demanded, double h100e_bought, sim::Time) override;

  // `chips_in_pipeline` is what the model still holds at the horizon, counted by the model
  // from its live lots: it is the independent side of the conservation check.
  [[nodiscard]] RunMetrics finish(std::uint64_t chips_in_pipeline) const;

 private:
  struct PolicyTotals {
    std::uint64_t lots = 0;   // lots this policy was first to find
    std::uint64_t chips = 0;  // chips it seized or disabled
    double cost_usd = 0;
    std::unordered_set<std::uint64_t> flagged;  // sold lots it found, first or not
  };
  [[nodiscard]] double h100e(const Lot& lot) const;
  const World& world_;
  std::uint64_t lots_legitimate_ = 0, chips_legitimate_ = 0;
  std::uint64_t lots_diverted_ = 0, chips_diverted_ = 0;
  std::uint64_t chips_seized_ = 0, chips_disabled_ = 0;
  std::uint64_t chips_delivered_legitimate_ = 0;
  std::uint64_t lots_delivered_restricted_ = 0, chips_delivered_restricted_ = 0;
  std::uint64_t false_positive_lots_ = 0;
  std::unordered_set<std::uint64_t> false_positive_ids_;
  double h100e_diverted_ = 0, h100e_delivered_restricted_ = 0;
  // Adaptive smugglers only: compute seized or disabled, and substitution.
  double h100e_taken_ = 0;
  std::uint64_t lots_substituted_ = 0;
  double h100e_substituted_demand_ = 0, h100e_substituted_bought_ = 0, h100e_shortfall_ = 0;
  std::unordered_set<std::uint64_t> detected_lots_;  // ids of sold lots with any detection
  sim::RunningStats time_to_detection_days_;
  std::vector<PolicyTotals> by_policy_;
  std::unordered_map<std::uint64_t, sim::Time> created_at_;
};

}  // namespace chiptrail::models
