#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "models/recorder.hpp"
#include "models/world.hpp"

namespace chiptrail::cli {

// `run --trace FILE.jsonl`: every event of one replication as a JSON line, in the order the
// model reports them: {"t_days": ..., "event": ..., "lot": ..., "sold_lot": ..., "chips": ...,
// "diverted": ..., "node": ..., and per event "policy", "stage", "verdict", "edge", "parts",
// "h100e_bought"}. Events: sale, arrived, removed, dismantled, detected, false_positive,
// delivered, disabled_after_delivery, substituted. After `limit` lines one last line says the
// trace was truncated and the rest is dropped, so a long run cannot fill the disk.
class TraceRecorder : public models::Recorder {
 public:
  TraceRecorder(const models::World& world, std::uint64_t limit) : world_(world), limit_(limit) {}

  void lot_created(const models::Lot& lot, sim::Time t) override;
  void detected(const models::Lot& lot, const models::DetectionEvent& d) override;
  void false_positive(const models::Lot& lot, const models::DetectionEvent& d) override;
  void delivered(const models::Lot& lot, sim::Time t) override;
  void cost(std::size_t, double, sim::Time) override {}
  void costs(std::size_t, double, sim::Time, sim::Time, std::uint64_t) override {}
  void disabled_after_delivery(const models::Lot& delivered,
                               const models::DetectionEvent& d) override;
  void substituted(const models::Lot& demanded, double h100e_bought, sim::Time t) override;
  void arrived(const models::Lot& lot, models::NodeIndex node, sim::Time t) override;
  void leased(const models::Lot& lease, const models::LeaseOutcome& o) override;
  void removed(const models::Lot& lot, models::NodeIndex site, sim::Time t) override;
  void dismantled(const models::Lot& lot, std::size_t parts, models::NodeIndex node,
                  sim::Time t) override;

  [[nodiscard]] const std::string& text() const { return text_; }
  [[nodiscard]] bool truncated() const { return truncated_; }

 private:
  void line(sim::Time t, const char* event, const models::Lot& lot,
            std::optional<models::NodeIndex> node, const std::string& extra = "");
  std::string finding(const models::DetectionEvent& d) const;

  const models::World& world_;
  std::uint64_t limit_;
  std::uint64_t lines_ = 0;
  bool truncated_ = false;
  std::string text_;
};

}  // namespace chiptrail::cli
