#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "models/recorder.hpp"

namespace chiptrail::models {

// One detection of a diverted lot or consignment, with its attribution: where (node, and the
// edge just travelled for shipments and borders), by which policy, at which stage, and when.
struct DetectionRecord {
  sim::Time time;
  sim::Time since_sale;
  std::uint64_t lot = 0;   // the sold lot
  std::uint64_t part = 0;  // 0: the whole lot was found; k + 1: its consignment k
  std::size_t policy = 0;
  Stage stage = Stage::kSale;
  Verdict verdict = Verdict::kFlag;
  std::optional<NodeIndex> node;
  std::optional<EdgeIndex> edge;
  std::uint64_t chips = 0;
  bool first = false;  // the first detection of its sold lot
};

// Keeps every detection of one replication (the rows of detections.csv), including chips
// disabled after delivery.
class DetectionLog : public Recorder {
 public:
  void lot_created(const Lot& lot, sim::Time t) override { created_.emplace(lot.id, t); }
  void detected(const Lot& lot, const DetectionEvent& d) override;
  void false_positive(const Lot&, const DetectionEvent&) override {}
  void delivered(const Lot&, sim::Time) override {}
  void cost(std::size_t, double, sim::Time) override {}
  void costs(std::size_t, double, sim::Time, sim::Time, std::uint64_t) override {}
  void disabled_after_delivery(const Lot& delivered, const DetectionEvent& d) override {
    detected(delivered, d);
  }
  void substituted(const Lot&, double, sim::Time) override {}

  [[nodiscard]] const std::vector<DetectionRecord>& records() const { return records_; }

 private:
  std::unordered_map<std::uint64_t, sim::Time> created_;
  std::unordered_set<std::uint64_t> found_;
  std::vector<DetectionRecord> records_;
};

}  // namespace chiptrail::models
