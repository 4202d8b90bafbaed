#include "models/replication/lot_registry.hpp"

#include <algorithm>
#include <unordered_set>

namespace chiptrail::models {

void LotRegistry::sell(const Lot& lot) {
  SoldLot sold;
  sold.lot = lot;
  sold_.emplace(lot.id, std::move(sold));
}

void LotRegistry::hold(const Lot& lot) {
  live_[key(lot)] = LiveLot{lot, {}};
  SoldLot& s = sold_.at(lot.id);
  s.last_part = std::max(s.last_part, lot.part);
  ++s.live_parts;
  peak_live_ = std::max(peak_live_, live_.size());
  changed(lot.id);
}

void LotRegistry::release(const LotKey& k) {
  if (live_.erase(k) == 0) return;
  --sold_.at(k.lot).live_parts;
  changed(k.lot);
}

std::uint64_t LotRegistry::arrive(const LotKey& k, NodeIndex node) {
  std::vector<NodeIndex>& seen = live_.at(k).arrivals;
  const auto before = static_cast<std::uint64_t>(std::count(seen.begin(), seen.end(), node));
  seen.push_back(node);
  return before;
}

std::optional<NodeIndex> LotRegistry::last_arrival(const LotKey& k) const {
  const std::vector<NodeIndex>& seen = live_.at(k).arrivals;
  if (seen.empty()) return std::nullopt;
  return seen.back();
}

void LotRegistry::install(std::uint64_t id, NodeIndex dc) {
  SoldLot& s = sold_.at(id);
  s.at_site = true;
  s.operating_at = dc;
  site_lots_[dc].push_back(id);
  changed(id);
}

void LotRegistry::remove_from_site(std::uint64_t id, sim::Time now) {
  SoldLot& s = sold_.at(id);
  s.at_site = false;
  s.operating_at.reset();
  s.offline_since = now;
  changed(id);
}

void LotRegistry::stop_at_site(std::uint64_t id) {
  SoldLot& s = sold_.at(id);
  s.at_site = false;
  s.operating_at.reset();
  changed(id);
}

void LotRegistry::deliver(std::uint64_t id, const Lot& whole, NodeIndex facility) {
  SoldLot& s = sold_.at(id);
  s.delivered = std::make_unique<const Lot>(whole);
  s.operating_at = facility;
  changed(id);
}

void LotRegistry::go_silent(std::uint64_t id, bool licence_defeated) {
  SoldLot& s = sold_.at(id);
  s.licence_defeated = licence_defeated;
  s.operating_at.reset();
  changed(id);
}

void LotRegistry::disable_delivered(std::uint64_t id) {
  SoldLot& s = sold_.at(id);
  s.delivered.reset();
  s.operating_at.reset();
  changed(id);
}

const std::vector<std::uint64_t>& LotRegistry::on_record_at(NodeIndex site) {
  return site_lots_[site];
}

Pipeline LotRegistry::in_chain(const std::vector<double>& h100e_per_chip) const {
  Pipeline p;
  std::unordered_set<std::uint64_t> sold_lots;
  // Chips summed by model as integers, then weighted: the hash map's order cannot change the
  // floating-point sum.
  std::vector<std::uint64_t> chips_by_model(h100e_per_chip.size(), 0);
  for (const auto& [k, live] : live_) {
    const Lot& lot = live.lot;
    if (!lot.diverted) {
      p.chips_legitimate += lot.chips;
      continue;
    }
    p.chips += lot.chips;
    chips_by_model[lot.chip_model] += lot.chips;
    sold_lots.insert(lot.id);
  }
  for (std::size_t m = 0; m < chips_by_model.size(); ++m) {
    p.h100e += static_cast<double>(chips_by_model[m]) * h100e_per_chip[m];
  }
  p.lots = sold_lots.size();
  return p;
}

}  // namespace chiptrail::models
