#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/random_stream.hpp"

namespace chiptrail::models {

// One byte each: a Lot is copied into every record and coroutine frame of the lot.
enum class Packaging : std::uint8_t { kServer8, kTray4, kLoose };
enum class Sophistication : std::uint8_t { kLow, kMedium, kHigh };
// How chips left a legitimate installation for the second-hand market (Flow::second_hand), in
// the order of the scenario's WriteOffChannel; kNone for chips sold new.
enum class WriteOff : std::uint8_t { kNone, kResale, kRefurbishment, kRmaSwap, kFailedUnit };
inline constexpr std::size_t kWriteOffChannels = 5;

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

// Which lot or consignment: the lot as sold, and 0 for the whole lot or k + 1 for its
// consignment k. Two full words, so no count of lots or consignments the loader accepts can
// make two keys collide.
struct LotKey {
  std::uint64_t lot = 0;
  std::uint64_t part = 0;
  bool operator==(const LotKey&) const = default;
};
struct LotKeyHash {
  std::size_t operator()(const LotKey& k) const { return sim::hash_combine(k.lot, k.part); }
};

// A lot of chips moving as one: a value, copied freely. Dismantling splits a lot into
// consignments (the same `id`, `part` k + 1); reassembly merges them back. Laid out small (56
// bytes): the model holds a copy per lot in flight in its records and coroutine frames.
struct Lot {
  std::uint64_t id = 0;    // the lot as sold, shared by its consignments
  std::uint64_t part = 0;  // 0: the lot as sold; k + 1: its consignment k
  std::uint64_t chips = 0;
  // The chips' serials are (id, s) for s in [first_serial, first_serial + chips): numbered
  // within the sold lot, so ranges of different lots can never overlap.
  std::uint64_t first_serial = 0;
  std::uint32_t flow = 0;            // index of the flow that created it (the loader bounds flows)
  std::uint32_t chip_model = 0;      // index into the chip catalog
  std::uint32_t payment_layers = 0;  // third countries the payment went through
  Packaging packaging = Packaging::kServer8;
  bool diverted = false;
  bool relabelled = false;
  // What an insider at the seller did for this lot (Flow::insider), drawn at sale.
  struct InsiderHelp {
    bool vetting = false;  // waved it through customer vetting
    bool serials = false;  // falsified its serial records
    [[nodiscard]] bool any() const { return vetting || serials; }
  };
  InsiderHelp insider;
  WriteOff write_off = WriteOff::kNone;
  Sophistication buyer_sophistication = Sophistication::kMedium;
};
static_assert(sizeof(Lot) <= 56, "a Lot is copied per lot in flight: keep it small");

// What is still in the chain at the horizon, counted from the model's live lots and
// consignments: the independent side of the outcome ladder's conservation checks.
struct Pipeline {
  std::uint64_t lots = 0;   // diverted lots as sold with some chips in the chain
  std::uint64_t chips = 0;  // diverted chips
  double h100e = 0;         // their compute
  std::uint64_t chips_legitimate = 0;
};

inline LotKey key(const Lot& lot) {
  return {lot.id, lot.part};
}

// Splits a lot into consignments of at most `consignment_chips` chips, loose (dismantled),
// with consecutive serial ranges. Chips are conserved: the parts' chips sum to lot.chips.
// Consignment k keeps the lot's id and gets part k + 1, so keys stay unique and stable.
std::vector<Lot> split(const Lot& lot, std::uint64_t consignment_chips);

// Reassembles consignments of one lot (those that arrived) into a lot of their total chips.
Lot merge(const Lot& original, const std::vector<Lot>& arrived);

}  // namespace chiptrail::models
