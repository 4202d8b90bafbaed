#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "models/lot.hpp"
#include "models/network.hpp"
#include "sim/time.hpp"

namespace chiptrail::models {

// What the model knows of a lot as sold, shared by its journey, its consignments and the
// periodic checks on it.
struct SoldLot {
  Lot lot;
  bool at_site = false;                   // still installed at the data center of its record
  std::optional<NodeIndex> operating_at;  // online at this node
  sim::Time offline_since;
  // Reassembled at its end facility as this lot; null before (and for most lots, which never
  // are: a pointer, not an optional Lot, keeps the record of every lot small).
  std::unique_ptr<const Lot> delivered;
  // Delivered with rolled-back firmware: no licence to expire. (A lot kept silent at its end
  // user, air-gapped or rolled back, has no operating_at: it answers nothing.)
  bool licence_defeated = false;
  std::uint64_t last_part = 0;  // its pieces in the chain have been parts 0 (itself) to this
  std::uint32_t front = 0;      // its flow's front company that bought it (front_number())
  std::size_t live_parts = 0;   // how many of those are still in the chain

  // Whether any of its chips are still somewhere the model tracks: installed at its site, in
  // transit, or delivered.
  [[nodiscard]] bool in_chain() const { return at_site || delivered || live_parts > 0; }
};

// A lot or consignment in the chain, with the nodes it has arrived at (in order, repeats
// included): the encounter number of a check is how often it arrived at that node before.
struct LiveLot {
  Lot lot;
  std::vector<NodeIndex> arrivals;
};

// The lots of one replication: every lot sold (by id), the lots and consignments in the chain
// now (by key), and the lots on record at each data center. Knows nothing of time or policies.
class LotRegistry {
 public:
  // A lot sold: on record from now on (not yet in the chain: hold() puts it there).
  void sell(const Lot& lot);
  // Puts a lot or consignment into the chain.
  void hold(const Lot& lot);
  // Takes a lot or consignment out of the chain (delivered, merged, seized or disabled).
  void release(const LotKey& k);
  [[nodiscard]] bool alive(const LotKey& k) const { return live_.count(k) != 0; }
  [[nodiscard]] const Lot& live(const LotKey& k) const { return live_.at(k).lot; }
  // Records an arrival of a lot in the chain at `node`; returns how often it arrived there
  // before (the encounter number of the checks there).
  std::uint64_t arrive(const LotKey& k, NodeIndex node);
  // The node a lot in the chain last arrived at (where it is, or is leaving); none before its
  // first arrival (at its seller).
  [[nodiscard]] std::optional<NodeIndex> last_arrival(const LotKey& k) const;

  [[nodiscard]] SoldLot& sold(std::uint64_t id) { return sold_.at(id); }
  [[nodiscard]] const SoldLot& sold(std::uint64_t id) const { return sold_.at(id); }
  // Installed at data center `dc`: on its record from now on, online there.
  void install(std::uint64_t id, NodeIndex dc);
  // Taken out of its data center (offline from now).
  void remove_from_site(std::uint64_t id, sim::Time now);
  // Seized or disabled where it was installed.
  void stop_at_site(std::uint64_t id);
  // Reassembled at its end facility as `whole`, online there.
  void deliver(std::uint64_t id, const Lot& whole, NodeIndex facility);
  // Kept silent at its end user (air-gapped, or with its firmware rolled back).
  void go_silent(std::uint64_t id, bool licence_defeated);
  // Disabled after delivery: out of the chain.
  void disable_delivered(std::uint64_t id);
  // Calls `changed` with a sold lot's id whenever what its periodic checks see changes (the
  // methods above and release(); SoldLot's fields change only through them).
  void watch(std::function<void(std::uint64_t)> changed) { changed_ = std::move(changed); }
  // The lots ever installed at `site`, in order of installation.
  [[nodiscard]] const std::vector<std::uint64_t>& on_record_at(NodeIndex site);

  // The lots and consignments in the chain now; `h100e_per_chip` by chip model.
  [[nodiscard]] Pipeline in_chain(const std::vector<double>& h100e_per_chip) const;
  [[nodiscard]] std::size_t peak_in_chain() const { return peak_live_; }

 private:
  std::unordered_map<LotKey, LiveLot, LotKeyHash> live_;
  std::size_t peak_live_ = 0;
  std::unordered_map<std::uint64_t, SoldLot> sold_;  // by sold lot id (references stay valid)
  std::unordered_map<NodeIndex, std::vector<std::uint64_t>> site_lots_;
  std::function<void(std::uint64_t)> changed_;

  void changed(std::uint64_t id) const {
    if (changed_) changed_(id);
  }
};

}  // namespace chiptrail::models
