#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace chiptrail::models {

enum class Packaging { kServer8, kTray4, kLoose };
enum class Sophistication { kLow, kMedium, kHigh };

inline std::uint64_t chips_per_unit(Packaging p) {
  switch (p) {
    case Packaging::kServer8:
      return 8;
    case Packaging::kTray4:
      return 4;
    case Packaging::kLoose:
      return 1;
  }
  return 1;
}

// A lot of chips moving as one: a value, copied freely. Dismantling splits a lot into
// consignments (lots with the parent's id in `parent`); reassembly merges them back.
struct Lot {
  std::uint64_t id = 0;
  std::uint64_t parent = 0;    // 0 for a lot sold as such
  std::size_t flow = 0;        // index of the flow that created it
  std::size_t chip_model = 0;  // index into the chip catalog
  std::uint64_t chips = 0;
  Packaging packaging = Packaging::kServer8;
  std::uint64_t first_serial = 0;  // serials [first_serial, first_serial + chips)
  bool diverted = false;
  bool relabelled = false;
  Sophistication buyer_sophistication = Sophistication::kMedium;
  std::uint32_t payment_layers = 0;  // third countries the payment went through
};

// The id of the lot as sold, for a lot or any consignment split from it.
inline std::uint64_t sold_lot_id(std::uint64_t id) {
  return id & ((std::uint64_t{1} << 48) - 1);
}

// Splits a lot into consignments of at most `consignment_chips` chips, loose (dismantled),
// with consecutive serial ranges. Chips are conserved: the parts' chips sum to lot.chips.
// Consignment k gets id `lot.id | (k + 1) << 48` so ids stay unique and stable.
std::vector<Lot> split(const Lot& lot, std::uint64_t consignment_chips);

// Reassembles consignments of one lot (those that arrived) into a lot of their total chips.
Lot merge(const Lot& original, const std::vector<Lot>& arrived);

}  // namespace chiptrail::models
