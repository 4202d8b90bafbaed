#pragma once

#include <cstdint>
#include <memory>

#include "models/policies/policy.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Customs at border crossings and transit hubs. Each consignment passing a node in scope is
// selected for inspection with probability `inspection_rate` (one unit of effort); with
// size-based selection, consignments of fewer than `min_chips` chips are never selected, which
// is how small split consignments slip through. An inspection finds a diverted consignment with
// `detection_probability`, or `relabelled_detection_probability` when relabelling defeated the
// document check, and holds a legitimate lot with `false_positive_probability`. With a daily
// capacity, the targeting rule and the day's traffic decide who is inspected instead of the
// rate (CustomsCapacity in proto/chiptrail/v1/scenario.proto).
class CustomsInspection : public Policy {
 public:
  struct Parameters {
    double inspection_rate = 0;
    double detection_probability = 1;
    double relabelled_detection_probability = 0;
    double false_positive_probability = 0;
    bool size_based = false;
    std::uint64_t min_chips = 0;
    double turn_back_probability = 0;
    // A daily capacity (0: none; the fixed inspection_rate applies).
    std::uint32_t inspections_per_day = 0;
    double other_consignments_per_day = 0;
    double other_targeted_share = 1;
    double target_declared_chips = 1;
    double target_declared_other = 1;
  };
  explicit CustomsInspection(const Parameters& p) : p_(p) {}
  Decision on_border(const PolicyContext& ctx) const override;
  std::optional<double> memoryless_seize_probability(Stage stage, const Lot& lot) const override;
  double memoryless_turn_back_probability(Stage stage, const Lot& lot) const override;
  std::uint64_t exempt_below_chips() const override { return p_.size_based ? p_.min_chips : 0; }
  bool uses_checkpoint_load() const override { return p_.inspections_per_day > 0; }

 private:
  // With a daily capacity: whether this consignment is targeted and inspected today.
  [[nodiscard]] bool inspected_within_capacity(const PolicyContext& ctx) const;
  [[nodiscard]] double find_probability(const Lot& lot) const;
  Parameters p_;
};

std::unique_ptr<Policy> make_customs_inspection(const v1::Policy& config);

}  // namespace chiptrail::models
