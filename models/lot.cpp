#include "models/lot.hpp"

#include <algorithm>
#include <stdexcept>

namespace chiptrail::models {

std::vector<Lot> split(const Lot& lot, std::uint64_t consignment_chips) {
  if (consignment_chips == 0) throw std::invalid_argument("split: consignment size must be > 0");
  std::vector<Lot> parts;
  std::uint64_t serial = lot.first_serial;
  std::uint64_t left = lot.chips;
  for (std::uint64_t k = 0; left > 0; ++k) {
    Lot part = lot;
    part.part = k + 1;
    part.chips = std::min(left, consignment_chips);
    part.packaging = Packaging::kLoose;
    part.first_serial = serial;
    serial += part.chips;
    left -= part.chips;
    parts.push_back(part);
  }
  return parts;
}

Lot merge(const Lot& original, const std::vector<Lot>& arrived) {
  Lot whole = original;
  whole.chips = 0;
  whole.relabelled = false;
  for (const Lot& part : arrived) whole.chips += part.chips;
  return whole;
}

}  // namespace chiptrail::models
