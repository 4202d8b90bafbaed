#include "models/policies/customs_inspection.hpp"

#include <algorithm>

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

Decision CustomsInspection::on_border(const PolicyContext& ctx) const {
  // Draws in a fixed order, all always taken, so that changing one probability leaves the
  // other decisions of this lot unchanged (common random numbers across scenarios).
  const bool selected = p_.inspections_per_day > 0 ? inspected_within_capacity(ctx)
                                                   : sim::bernoulli(ctx.rng, p_.inspection_rate);
  const double u = ctx.rng.uniform01();
  const double v = ctx.rng.uniform01();
  if (!selected || (p_.size_based && ctx.lot.chips < p_.min_chips)) return {};
  if (u < find_probability(ctx.lot)) {
    if (ctx.checkpoint != nullptr && ctx.lot.diverted) {
      std::vector<bool>& found = ctx.checkpoint->shippers_found;
      if (found.size() <= ctx.lot.flow) found.resize(ctx.lot.flow + 1);
      found[ctx.lot.flow] = true;
    }
    return {Verdict::kSeize, 1.0};
  }
  return {v < p_.turn_back_probability ? Verdict::kTurnBack : Verdict::kPass, 1.0};
}

bool CustomsInspection::inspected_within_capacity(const PolicyContext& ctx) const {
  CheckpointLoad& load = *ctx.checkpoint;
  // The other traffic's targeted arrivals since the last modelled one, earlier today.
  const double time_of_day = ctx.now.to_days() - static_cast<double>(load.day);
  const double other_rate = p_.other_consignments_per_day * p_.other_targeted_share;
  if (other_rate > 0 && time_of_day > load.drawn_until) {
    load.targeted += static_cast<std::uint64_t>(
        sim::poisson(*load.other, other_rate * (time_of_day - load.drawn_until)));
  }
  load.drawn_until = std::max(load.drawn_until, time_of_day);
  const std::vector<bool>& found = load.shippers_found;
  const bool known = ctx.lot.flow < found.size() && found[ctx.lot.flow];
  const double target = known                ? 1.0
                        : ctx.lot.relabelled ? p_.target_declared_other
                                             : p_.target_declared_chips;
  if (!sim::bernoulli(ctx.rng, target)) return false;
  return load.targeted++ < p_.inspections_per_day;
}

double CustomsInspection::find_probability(const Lot& lot) const {
  return !lot.diverted    ? p_.false_positive_probability
         : lot.relabelled ? p_.relabelled_detection_probability
                          : p_.detection_probability;
}

std::optional<double> CustomsInspection::memoryless_seize_probability(Stage stage,
                                                                      const Lot& lot) const {
  if (p_.inspections_per_day > 0) return std::nullopt;  // depends on the day's traffic
  if (stage != Stage::kBorder || (p_.size_based && lot.chips < p_.min_chips)) return 0.0;
  return p_.inspection_rate * find_probability(lot);
}

double CustomsInspection::memoryless_turn_back_probability(Stage stage, const Lot& lot) const {
  if (stage != Stage::kBorder || (p_.size_based && lot.chips < p_.min_chips)) return 0.0;
  return p_.inspection_rate * (1.0 - find_probability(lot)) * p_.turn_back_probability;
}

std::unique_ptr<Policy> make_customs_inspection(const v1::Policy& config) {
  const v1::CustomsInspection& c = config.customs_inspection();
  CustomsInspection::Parameters p;
  p.inspection_rate = probability(c.inspection_rate(), "inspection_rate");
  p.detection_probability = probability(c.detection_probability(), "detection_probability");
  p.relabelled_detection_probability =
      probability(c.relabelled_detection_probability(), "relabelled_detection_probability");
  p.false_positive_probability =
      probability(c.false_positive_probability(), "false_positive_probability");
  p.turn_back_probability = probability(c.turn_back_probability(), "turn_back_probability");
  if (p.turn_back_probability >= 1.0) {
    throw PolicyConfigError("turn_back_probability",
                            "must be below 1: a consignment refused every time it is inspected "
                            "and not found could retry forever");
  }
  if (c.has_capacity()) {
    const v1::CustomsCapacity& k = c.capacity();
    if (!k.has_inspections_per_day() || k.inspections_per_day() == 0) {
      throw PolicyConfigError("capacity.inspections_per_day", "is required: at least 1");
    }
    if (c.has_inspection_rate()) {
      throw PolicyConfigError("inspection_rate",
                              "write inspection_rate or capacity, not both: with a capacity the "
                              "rate emerges from the traffic");
    }
    p.inspections_per_day = k.inspections_per_day();
    p.other_consignments_per_day =
        non_negative(k.other_consignments_per_day(), "capacity.other_consignments_per_day");
    if (p.other_consignments_per_day > 1e6) {
      throw PolicyConfigError("capacity.other_consignments_per_day", "must be at most 1,000,000");
    }
    if (k.has_other_targeted_share())
      p.other_targeted_share =
          probability(k.other_targeted_share(), "capacity.other_targeted_share");
    if (k.has_target_declared_chips())
      p.target_declared_chips =
          probability(k.target_declared_chips(), "capacity.target_declared_chips");
    if (k.has_target_declared_other())
      p.target_declared_other =
          probability(k.target_declared_other(), "capacity.target_declared_other");
  }
  p.size_based = c.selection() == v1::SIZE_BASED;
  p.min_chips = c.min_chips();
  if (p.size_based && p.min_chips == 0) {
    throw PolicyConfigError("min_chips", "SIZE_BASED selection needs min_chips of at least 1");
  }
  return std::make_unique<CustomsInspection>(p);
}

}  // namespace chiptrail::models
