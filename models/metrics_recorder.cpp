#include "models/metrics_recorder.hpp"

#include <algorithm>
#include <limits>

namespace chiptrail::models {

MetricsRecorder::MetricsRecorder(const World& world)
    : world_(world), by_policy_(world.policies.size()) {}

double MetricsRecorder::h100e(const Lot& lot) const {
  return static_cast<double>(lot.chips) * world_.chips[lot.chip_model].h100_equivalents;
}

void MetricsRecorder::lot_created(const Lot& lot, sim::Time t) {
  if (lot.diverted) {
    ++lots_diverted_;
    chips_diverted_ += lot.chips;
    h100e_diverted_ += h100e(lot);
  } else {
    ++lots_legitimate_;
    chips_legitimate_ += lot.chips;
  }
  created_at_.emplace(lot.id, t);
}

void MetricsRecorder::detected(const Lot& lot, const DetectionEvent& d) {
  const std::uint64_t sold_id = lot.id;
  PolicyTotals& p = by_policy_[d.policy];
  if (detected_lots_.insert(sold_id).second) {
    ++p.lots;  // the lot is credited to the policy that found it first
    time_to_detection_days_.add((d.time - created_at_.at(sold_id)).to_days());
  }
  if (d.verdict == Verdict::kSeize) chips_seized_ += lot.chips;
  if (d.verdict == Verdict::kDisable) chips_disabled_ += lot.chips;
  if (d.verdict == Verdict::kSeize || d.verdict == Verdict::kDisable) {
    p.chips += lot.chips;
    h100e_taken_ += h100e(lot);
  }
}

void MetricsRecorder::substituted(const Lot& demanded, double h100e_bought, sim::Time) {
  ++lots_substituted_;
  h100e_substituted_demand_ += h100e(demanded);
  h100e_substituted_bought_ += h100e_bought;
  h100e_shortfall_ += std::max(0.0, h100e(demanded) - h100e_bought);
}

// A legitimate lot counts once, however many times it is wrongly held.
void MetricsRecorder::false_positive(const Lot& lot, const DetectionEvent&) {
  if (false_positive_ids_.insert(lot.id).second) ++false_positive_lots_;
}

void MetricsRecorder::would_flag(const Lot& lot, std::size_t policy) {
  by_policy_[policy].flagged.insert(lot.id);
}

void MetricsRecorder::disabled_after_delivery(const Lot& delivered, const DetectionEvent& d) {
  chips_delivered_restricted_ -= delivered.chips;
  h100e_delivered_restricted_ -= h100e(delivered);
  --lots_delivered_restricted_;
  detected(delivered, d);
}

void MetricsRecorder::delivered(const Lot& lot, sim::Time) {
  if (lot.diverted) {
    ++lots_delivered_restricted_;
    chips_delivered_restricted_ += lot.chips;
    h100e_delivered_restricted_ += h100e(lot);
  } else {
    chips_delivered_legitimate_ += lot.chips;
  }
}

void MetricsRecorder::cost(std::size_t policy, double usd) {
  by_policy_[policy].cost_usd += usd;
}

RunMetrics MetricsRecorder::finish(std::uint64_t chips_in_pipeline) const {
  const auto d = [](std::uint64_t x) { return static_cast<double>(x); };
  const auto ratio = [&](std::uint64_t a, std::uint64_t b) {
    return b == 0 ? std::numeric_limits<double>::quiet_NaN() : d(a) / d(b);
  };
  const std::uint64_t lots_detected = detected_lots_.size();
  const std::uint64_t chips_detected = chips_seized_ + chips_disabled_;
  double total_cost = 0;
  for (const PolicyTotals& p : by_policy_) total_cost += p.cost_usd;

  RunMetrics m;
  m.set("lots_diverted", d(lots_diverted_));
  m.set("chips_diverted", d(chips_diverted_));
  m.set("lots_detected", d(lots_detected));
  m.set("chips_detected", d(chips_detected));
  m.set("detection_rate_lots", ratio(lots_detected, lots_diverted_));
  m.set("detection_rate_chips", ratio(chips_detected, chips_diverted_));
  m.set("lots_delivered_restricted", d(lots_delivered_restricted_));
  m.set("chips_delivered_restricted", d(chips_delivered_restricted_));
  m.set("h100e_diverted", h100e_diverted_);
  m.set("h100e_delivered_restricted", h100e_delivered_restricted_);
  m.set("mean_time_to_detection_days", time_to_detection_days_.mean());
  m.set("lots_legitimate", d(lots_legitimate_));
  m.set("chips_legitimate", d(chips_legitimate_));
  m.set("chips_delivered_legitimate", d(chips_delivered_legitimate_));
  m.set("false_positive_lots", d(false_positive_lots_));
  m.set("false_positive_rate_lots", ratio(false_positive_lots_, lots_legitimate_));
  m.set("chips_seized", d(chips_seized_));
  m.set("chips_disabled", d(chips_disabled_));
  m.set("chips_in_pipeline", d(chips_in_pipeline));
  m.set("enforcement_cost_usd", total_cost);
  if (world_.adversary) {
    // What enforcement takes away from restricted end users: compute seized or disabled, plus
    // what buyers who turned to domestic chips could not buy with the same money. Only with
    // adaptive smugglers, so that other scenarios keep their columns.
    m.set("lots_substituted", d(lots_substituted_));
    m.set("h100e_demanded", h100e_diverted_ + h100e_substituted_demand_);
    m.set("h100e_substituted", h100e_substituted_bought_);
    m.set("h100e_denied", h100e_taken_ + h100e_shortfall_);
  }
  for (std::size_t i = 0; i < by_policy_.size(); ++i) {
    const std::string& name = world_.policies[i].name;
    m.set("lots_detected_by." + name, d(by_policy_[i].lots));
    m.set("lots_flagged_by." + name, d(by_policy_[i].flagged.size()));
    m.set("chips_detected_by." + name, d(by_policy_[i].chips));
    m.set("cost_usd_by." + name, by_policy_[i].cost_usd);
  }
  return m;
}

}  // namespace chiptrail::models
