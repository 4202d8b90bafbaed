#pragma once

#include <cstdint>

#include "models/world.hpp"

namespace chiptrail::models {

// An end user's choice between smuggled chips and a domestic accelerator (Huawei Ascend class).
struct SupplyChoice {
  double smuggled_usd_per_h100e = 0;  // grey-market price per H100e that gets through
  double domestic_usd_per_h100e = 0;
  bool substitute = false;  // all or nothing: the substitute is cheaper per H100e
  double h100e_bought = 0;  // of the substitute with the lot's budget, if they substitute
};

// Smuggled compute costs price * (1 + markup) per chip, of which a share `believed_survival`
// gets through; the domestic chip costs its price for its (lower) performance. When smuggling
// costs more per H100-equivalent, the buyer spends the lot's budget, chips * price * (1 +
// markup), on the domestic chip instead.
SupplyChoice choose_supply(const ChipModel& smuggled, const ChipModel& domestic,
                           std::uint64_t chips, double markup, double believed_survival);

// With a substitution elasticity e: the share of demand the end users buy smuggled,
// c_s^-e / (c_s^-e + c_d^-e) for believed costs per H100e c_s (smuggled) and c_d (domestic).
// 1/2 at equal costs; falls with c_s, faster the larger e.
double smuggled_share(const SupplyChoice& costs, double elasticity);

}  // namespace chiptrail::models
