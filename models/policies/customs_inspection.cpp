#include "models/policies/customs_inspection.hpp"

#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/parameters.hpp"
#include "sim/sampling.hpp"

namespace chiptrail::models {

Decision CustomsInspection::on_border(const PolicyContext& ctx) const {
  // Draws in a fixed order, all always taken, so that changing one probability leaves the
  // other decisions of this lot unchanged (common random numbers across scenarios).
  const bool selected = sim::bernoulli(ctx.rng, p_.inspection_rate);
  const double u = ctx.rng.uniform01();
  const double v = ctx.rng.uniform01();
  if (!selected || (p_.size_based && ctx.lot.chips < p_.min_chips)) return {};
  if (u < find_probability(ctx.lot)) return {Verdict::kSeize, 1.0};
  return {v < p_.turn_back_probability ? Verdict::kTurnBack : Verdict::kPass, 1.0};
}

double CustomsInspection::find_probability(const Lot& lot) const {
  return !lot.diverted    ? p_.false_positive_probability
         : lot.relabelled ? p_.relabelled_detection_probability
                          : p_.detection_probability;
}

std::optional<double> CustomsInspection::memoryless_seize_probability(Stage stage,
                                                                      const Lot& lot) const {
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
  p.size_based = c.selection() == v1::SIZE_BASED;
  p.min_chips = c.min_chips();
  if (p.size_based && p.min_chips == 0) {
    throw PolicyConfigError("min_chips", "SIZE_BASED selection needs min_chips of at least 1");
  }
  return std::make_unique<CustomsInspection>(p);
}

}  // namespace chiptrail::models
