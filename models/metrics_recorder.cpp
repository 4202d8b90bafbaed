#include "models/metrics_recorder.hpp"

#include <algorithm>
#include <limits>

#include "models/metric_glossary.hpp"

namespace chiptrail::models {

std::uint64_t MetricsRecorder::LotOutcome::chips_flagged() const {
  if (whole_flagged) return chips;
  std::uint64_t n = 0;
  for (const auto& [part, part_chips] : flagged_parts) n += part_chips;
  return n;
}

MetricsRecorder::MetricsRecorder(const World& world, const RunConfig& config)
    : world_(world),
      warmup_(config.warmup),
      period_(config.period > sim::Time::zero() ? config.period : sim::Time::days(365)),
      count_from_(config.count_from),
      by_policy_(world.policies.size()),
      delivered_window_by_flow_(world.flows.size()),
      remote_used_window_by_flow_(world.flows.size()),
      has_remote_access_(std::any_of(world.flows.begin(), world.flows.end(),
                                     [](const Flow& f) { return f.remote_access; })) {}

double MetricsRecorder::h100e(const Lot& lot) const {
  return static_cast<double>(lot.chips) * world_.chips[lot.chip_model].h100_equivalents;
}

bool MetricsRecorder::counted(sim::Time t) const {
  return t >= count_from_;
}

bool MetricsRecorder::in_window(sim::Time t) const {
  return counted(t) && t >= warmup_ && t < world_.horizon;
}

sim::Time MetricsRecorder::window_start() const {
  return std::min(std::max(warmup_, count_from_), world_.horizon);
}

std::size_t MetricsRecorder::period_of(sim::Time t) const {
  sim::Time::Rep at = std::max<sim::Time::Rep>(0, t.count());
  if (t == world_.horizon && at > 0) --at;
  return static_cast<std::size_t>(at / period_.count());
}

void MetricsRecorder::add(Column c, double v, sim::Time t) {
  if (!counted(t)) return;
  totals_[c] += v;
  const std::size_t k = period_of(t);
  if (periods_.size() <= k) periods_.resize(k + 1, Counts{});
  periods_[k][c] += v;
  if (in_window(t)) window_[c] += v;
}

void MetricsRecorder::lot_created(const Lot& lot, sim::Time t) {
  if (!lot.diverted) {
    ++lots_legitimate_;
    chips_legitimate_ += lot.chips;
    return;
  }
  LotOutcome& o = lots_[lot.id];
  o.sold = t;
  o.chips = lot.chips;
  o.h100e_per_chip = world_.chips[lot.chip_model].h100_equivalents;
  add(kLotsDiverted, 1, t);
  add(kChipsDiverted, static_cast<double>(lot.chips), t);
  add(kH100eDiverted, h100e(lot), t);
}

void MetricsRecorder::flagged(const Lot& lot, std::size_t policy, sim::Time t) {
  const auto it = lots_.find(lot.id);
  if (!lot.diverted || it == lots_.end()) return;
  LotOutcome& o = it->second;
  const std::uint64_t before = o.chips_flagged();
  if (lot.part == 0) {
    o.whole_flagged = true;
  } else if (std::none_of(o.flagged_parts.begin(), o.flagged_parts.end(),
                          [&](const auto& p) { return p.first == lot.part; })) {
    o.flagged_parts.emplace_back(lot.part, lot.chips);
  }
  if (const std::uint64_t newly = o.chips_flagged() - before; newly > 0) {
    add(kChipsFlagged, static_cast<double>(newly), t);
    add(kH100eFlagged, static_cast<double>(newly) * o.h100e_per_chip, t);
  }
  const bool counts = counted(t);
  if (o.flagged_by.empty()) {
    add(kLotsFlagged, 1, t);
    if (counts) {
      days_to_first_flag_.add((t - o.sold).to_days());
      ++by_policy_[policy].lots_first_flagged;
    }
  }
  if (std::find(o.flagged_by.begin(), o.flagged_by.end(), policy) == o.flagged_by.end()) {
    o.flagged_by.push_back(policy);
    if (counts) ++by_policy_[policy].lots_flagged;
  }
}

void MetricsRecorder::interdict(LotOutcome& o, const Lot& lot, std::size_t policy, Verdict v,
                                sim::Time t) {
  o.interdicted += lot.chips;
  const bool counts = counted(t);
  PolicyTotals& p = by_policy_[policy];
  if (counts) {
    (v == Verdict::kSeize ? chips_seized_ : chips_disabled_) += lot.chips;
    p.chips_interdicted += lot.chips;
    p.h100e_interdicted += h100e(lot);
  }
  add(kChipsInterdicted, static_cast<double>(lot.chips), t);
  add(kH100eInterdicted, h100e(lot), t);
  if (!o.first_interdiction_seen) {
    o.first_interdiction_seen = true;
    if (counts) ++p.lots_first_interdicted;
  }
  if (o.interdicted == o.chips && !o.counted_interdicted) {
    o.counted_interdicted = true;
    add(kLotsInterdicted, 1, t);
  }
}

void MetricsRecorder::detected(const Lot& lot, const DetectionEvent& d) {
  const auto it = lots_.find(lot.id);
  if (it == lots_.end()) return;
  // Whatever is acted on was found: its chips are flagged (a delayed verdict reaches parts the
  // original alert did not name).
  flagged(lot, d.policy, d.time);
  if (d.without_authority) found_without_authority_.insert(lot.id);
  if (d.verdict == Verdict::kSeize || d.verdict == Verdict::kDisable) {
    interdict(it->second, lot, d.policy, d.verdict, d.time);
  }
}

void MetricsRecorder::disabled_after_delivery(const Lot& delivered, const DetectionEvent& d) {
  const auto it = lots_.find(delivered.id);
  if (it == lots_.end()) return;
  LotOutcome& o = it->second;
  o.delivered -= delivered.chips;
  add(kChipsDelivered, -static_cast<double>(delivered.chips), d.time);
  add(kH100eDelivered, -h100e(delivered), d.time);
  if (counted(d.time)) {
    stock_.push_back(
        {d.time, o.aged_from, o.delivered_at, -h100e(delivered), delivered.chip_model});
  }
  if (in_window(d.time)) delivered_window_by_flow_[delivered.flow] -= h100e(delivered);
  if (o.delivered == 0 && o.counted_delivered) {
    o.counted_delivered = false;
    add(kLotsDelivered, -1, d.time);
  }
  flagged(delivered, d.policy, d.time);
  interdict(o, delivered, d.policy, Verdict::kDisable, d.time);
}

void MetricsRecorder::entity_listed(NodeIndex, sim::Time t, sim::Time until) {
  if (!counted(t)) return;
  ++entity_listings_;
  entity_listed_days_ += (until - t).to_days();
}

void MetricsRecorder::deterred(const Lot& due, sim::Time t) {
  if (!counted(t)) return;
  ++lots_deterred_;
  h100e_deterred_ += h100e(due);
}

void MetricsRecorder::front_closed(std::size_t flow, sim::Time t, sim::Time reopens) {
  // The flow's volume depends on every closure, counted or not.
  const Flow& f = world_.flows[flow];
  const double volume = front_closures_by_flow_[flow]++ == 0 ? 1.0 : f.front->volume_after_reform;
  if (!counted(t)) return;
  ++front_closures_;
  const double closed = (std::min(reopens, world_.horizon) - t).to_days();
  front_closed_days_ += closed;
  // The lots the closed front would have bought meanwhile, at the rate it was buying at:
  // the flow's written rates over the closure times its volume after earlier re-formations.
  const ArrivalRate& rate = f.arrival_rate;
  lots_forgone_expected_ +=
      rate.changes.empty()  // one rate: in the order of old, so old results keep their bits
          ? rate.base * volume * closed / 365.0
          : rate.expected(t.to_days(), std::min(reopens, world_.horizon).to_days()) * volume;
}

void MetricsRecorder::went_silent(const Lot& delivered, double usd, sim::Time t) {
  if (!counted(t)) return;
  chips_delivered_silent_ += delivered.chips;
  smuggler_countermeasure_cost_ += usd;
}

void MetricsRecorder::delivered(const Lot& lot, sim::Time t) {
  if (!lot.diverted) {
    chips_delivered_legitimate_ += lot.chips;
    return;
  }
  const auto it = lots_.find(lot.id);
  if (it == lots_.end()) return;
  LotOutcome& o = it->second;
  o.delivered += lot.chips;
  // New chips age from their delivery; second-hand chips had been in service since before
  // their lot's story started (Flow::second_hand_age), and came with that age.
  o.aged_from =
      lot.write_off == WriteOff::kNone ? t : o.sold - world_.flows[lot.flow].second_hand_age;
  o.delivered_at = t;
  if (counted(t)) stock_.push_back({t, o.aged_from, t, h100e(lot), lot.chip_model});
  if (in_window(t)) delivered_window_by_flow_[lot.flow] += h100e(lot);
  add(kChipsDelivered, static_cast<double>(lot.chips), t);
  add(kH100eDelivered, h100e(lot), t);
  if (!o.counted_delivered) {
    o.counted_delivered = true;
    add(kLotsDelivered, 1, t);
  }
}

// A lease's hours: sought at its start; refused whole, or used from its start until it ends, is
// cut or the horizon comes, whichever is first. A cut before the horizon denies the rest; what
// a lease running at the horizon would still use is in the pipeline (cut later or not).
void MetricsRecorder::leased(const Lot& lease, const LeaseOutcome& o) {
  if (!counted(o.start)) return;
  const double per_day = h100e(lease) * 24.0;  // H100e-hours a day
  const double hours = per_day * o.length.to_days();
  if (!lease.diverted) {
    ++remote_.legitimate;
    double burden = 0;
    for (const std::size_t p : o.reported_by) burden += world_.policies[p].false_positive_cost_usd;
    if (o.refused_by) {
      ++remote_.legitimate_refused;
      remote_.legitimate_hours_refused += hours;
      burden += world_.policies[*o.refused_by].false_positive_cost_usd;
    }
    if (o.refused_by || !o.reported_by.empty()) ++remote_.legitimate_false_positive;
    if (burden > 0) add(kBurden, burden, o.start);
    return;
  }
  ++remote_.leases;
  remote_.sought += hours;
  if (o.refused_by) {
    ++remote_.refused;
    remote_.denied += hours;
    by_policy_[*o.refused_by].h100e_hours_remote_denied += hours;
    return;
  }
  const sim::Time horizon = world_.horizon;
  const sim::Time stop = o.start + (o.cut_by ? o.cut_after : o.length);
  const sim::Time used_until = std::min(stop, horizon);
  remote_.used += per_day * (used_until - o.start).to_days();
  const sim::Time window_from = std::max(o.start, window_start());
  if (used_until > window_from) {
    const double used_window = per_day * (used_until - window_from).to_days();
    remote_.used_window += used_window;
    remote_used_window_by_flow_[lease.flow] += used_window;
  }
  if (stop >= horizon) {
    remote_.in_pipeline += per_day * (o.start + o.length - horizon).to_days();
  } else if (o.cut_by) {
    ++remote_.cut;
    const double rest = per_day * (o.length - o.cut_after).to_days();
    remote_.denied += rest;
    by_policy_[*o.cut_by].h100e_hours_remote_denied += rest;
  }
}

void MetricsRecorder::substituted(const Lot& demanded, double h100e_bought, sim::Time t) {
  if (!counted(t)) return;
  ++lots_substituted_;
  h100e_substituted_demand_ += h100e(demanded);
  h100e_substituted_bought_ += h100e_bought;
  h100e_shortfall_ += std::max(0.0, h100e(demanded) - h100e_bought);
}

// A legitimate lot counts once, however many times it is wrongly held; every hold costs
// legitimate trade its handling, and a lot's first wrongful disable the value of its chips.
void MetricsRecorder::false_positive(const Lot& lot, const DetectionEvent& d) {
  if (!counted(d.time)) return;
  if (false_positive_ids_.insert(lot.id).second) ++false_positive_lots_;
  double burden = world_.policies[d.policy].false_positive_cost_usd;
  if (d.verdict == Verdict::kDisable && falsely_disabled_ids_.insert(lot.id).second) {
    chips_legitimate_disabled_ += lot.chips;
    burden += static_cast<double>(lot.chips) * world_.chips[lot.chip_model].price_usd;
  }
  if (burden > 0) add(kBurden, burden, d.time);
}

void MetricsRecorder::burden(std::size_t /*policy*/, double usd, sim::Time t) {
  add(kBurden, usd, t);
}

void MetricsRecorder::held(const Lot& /*lot*/, sim::Time held, sim::Time t) {
  add(kDelay, held.to_days(), t);
}

void MetricsRecorder::cost(std::size_t policy, double usd, sim::Time t) {
  if (counted(t)) by_policy_[policy].cost_usd += usd;
  add(kCost, usd, t);
}

// What cost() would add for each effort, counted per period and window instead of one by one:
// how many of the times first + k * interval (k < count) fall in each.
void MetricsRecorder::costs(std::size_t policy, double usd_each, sim::Time first,
                            sim::Time interval, std::uint64_t count) {
  if (count == 0 || usd_each == 0) return;
  const sim::Time::Rep step = interval.count();
  // Efforts k with lo <= first + k * step < hi.
  const auto in = [&](sim::Time lo, sim::Time hi) -> double {
    const auto index = [&](sim::Time t) -> sim::Time::Rep {  // first k at or after t
      if (t <= first) return 0;
      const sim::Time::Rep d = (t - first).count(), n = static_cast<sim::Time::Rep>(count);
      return d / step >= n ? n : (d + step - 1) / step;
    };
    return static_cast<double>(std::max<sim::Time::Rep>(0, index(hi) - index(lo)));
  };
  const sim::Time last = first + interval * static_cast<sim::Time::Rep>(count - 1);
  const sim::Time counted_from = std::max(first, count_from_);
  if (last < counted_from) return;
  const double counted_usd = usd_each * in(counted_from, sim::Time::max());
  by_policy_[policy].cost_usd += counted_usd;
  totals_[kCost] += counted_usd;
  const std::size_t k_first = period_of(counted_from);
  const std::size_t k_last = period_of(last);
  if (periods_.size() <= k_last) periods_.resize(k_last + 1, Counts{});
  for (std::size_t k = k_first; k <= k_last; ++k) {
    const sim::Time lo = std::max(counted_from, period_ * static_cast<sim::Time::Rep>(k));
    sim::Time hi = period_ * static_cast<sim::Time::Rep>(k + 1);
    if (k == k_last && last >= hi) hi = last + sim::Time::ticks(1);  // an effort at the horizon
    periods_[k][kCost] += usd_each * in(lo, hi);
  }
  window_[kCost] += usd_each * in(std::max(counted_from, window_start()), world_.horizon);
}

// Fixed costs (and steady effort, Policy::effort_units_per_year) accrue evenly from each
// policy's start to the horizon, per 365 days: spread over
// the periods and the steady window they overlap.
void MetricsRecorder::add_fixed_costs(std::vector<Counts>& periods, Counts& window,
                                      std::vector<PolicyTotals>& by_policy) const {
  const auto overlap_days = [](sim::Time a0, sim::Time a1, sim::Time b0, sim::Time b1) {
    const sim::Time lo = std::max(a0, b0), hi = std::min(a1, b1);
    return hi > lo ? (hi - lo).to_days() : 0.0;
  };
  const sim::Time end = world_.horizon;
  for (std::size_t i = 0; i < world_.policies.size(); ++i) {
    const PolicyInstance& p = world_.policies[i];
    const double per_day =
        (p.fixed_cost_per_year_usd + p.policy->effort_units_per_year() * p.cost_per_unit_usd) /
        365.0;
    if (per_day <= 0 || p.start >= end) continue;
    by_policy[i].cost_usd += per_day * overlap_days(p.start, end, count_from_, end);
    window[kCost] += per_day * overlap_days(p.start, end, window_start(), end);
    for (std::size_t k = 0; k < periods.size(); ++k) {
      const sim::Time from =
          std::max(count_from_, sim::Time::ticks(period_.count() * static_cast<sim::Time::Rep>(k)));
      const sim::Time to = sim::Time::ticks(period_.count() * static_cast<sim::Time::Rep>(k + 1));
      periods[k][kCost] += per_day * overlap_days(p.start, end, from, to);
    }
  }
}

double MetricsRecorder::in_service(sim::Time t) const {
  double total = 0;
  for (const StockEntry& e : stock_) {
    if (e.from > t) continue;
    const std::optional<Distribution>& life = world_.chips[e.chip_model].lifetime_days;
    if (!life) {
      total += e.h100e;
      continue;
    }
    // Working when delivered: what survives to `t` given it had survived to that age.
    const double alive_then = life->survival((e.delivered - e.aged_from).to_days());
    if (alive_then > 0) {
      total += e.h100e * life->survival((t - e.aged_from).to_days()) / alive_then;
    }
  }
  return total;
}

RunMetrics MetricsRecorder::finish(const Pipeline& pipeline) const {
  const auto d = [](std::uint64_t x) { return static_cast<double>(x); };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto ratio = [&](double a, double b) { return b > 0 ? a / b : nan; };

  // Every period up to the horizon, even a quiet one; events after it (a drained run) extend.
  std::vector<Counts> periods = periods_;
  const auto horizon_periods =
      static_cast<std::size_t>((world_.horizon.count() + period_.count() - 1) / period_.count());
  if (periods.size() < horizon_periods) periods.resize(horizon_periods, Counts{});
  for (std::size_t k = 0; k < periods.size(); ++k) {  // the stock at each period's end
    const sim::Time start = period_ * static_cast<sim::Time::Rep>(k);
    sim::Time end = period_ * static_cast<sim::Time::Rep>(k + 1);
    if (start < world_.horizon && end > world_.horizon) end = world_.horizon;
    periods[k][kInService] = in_service(end);
  }
  Counts window = window_;
  std::vector<PolicyTotals> by_policy = by_policy_;
  add_fixed_costs(periods, window, by_policy);
  double enforcement_cost = 0;
  for (const PolicyTotals& p : by_policy) enforcement_cost += p.cost_usd;
  const double total_cost = enforcement_cost + totals_[kBurden];

  // Counted by sale, in the counting window: the share flagged among finished lots takes its
  // numerator and denominator from this one cohort.
  std::uint64_t lots_flagged_finished = 0, lots_flagged_by_several = 0, sold_finished = 0;
  for (const auto& [id, o] : lots_) {
    if (!counted(o.sold)) continue;
    const bool finished = o.counted_interdicted || o.counted_delivered;
    if (finished) ++sold_finished;
    if (finished && !o.flagged_by.empty()) ++lots_flagged_finished;
    if (o.flagged_by.size() > 1) ++lots_flagged_by_several;
  }
  const Counts& t = totals_;
  const double lots_finished = t[kLotsInterdicted] + t[kLotsDelivered];
  const double chips_finished = t[kChipsInterdicted] + t[kChipsDelivered];
  const double h100e_finished = t[kH100eInterdicted] + t[kH100eDelivered];
  const double years = (world_.horizon - window_start()).to_days() / 365.0;
  const auto per_year = [&](Column c) { return years > 0 ? window[c] / years : nan; };

  RunMetrics m;
  m.set("lots_diverted", t[kLotsDiverted]);
  m.set("lots_flagged", t[kLotsFlagged]);
  m.set("lots_interdicted", t[kLotsInterdicted]);
  m.set("lots_delivered_restricted", t[kLotsDelivered]);
  m.set("lots_in_pipeline", d(pipeline.lots));
  m.set("lots_finished", lots_finished);
  m.set("lots_flagged_finished", d(lots_flagged_finished));
  m.set("share_lots_flagged", ratio(t[kLotsFlagged], t[kLotsDiverted]));
  m.set("share_lots_flagged_finished", ratio(d(lots_flagged_finished), d(sold_finished)));
  m.set("share_lots_denied", ratio(t[kLotsInterdicted], lots_finished));
  m.set("chips_diverted", t[kChipsDiverted]);
  m.set("chips_flagged", t[kChipsFlagged]);
  m.set("chips_interdicted", t[kChipsInterdicted]);
  m.set("chips_seized", d(chips_seized_));
  m.set("chips_disabled", d(chips_disabled_));
  m.set("chips_delivered_restricted", t[kChipsDelivered]);
  m.set("chips_in_pipeline", d(pipeline.chips));
  m.set("chips_finished", chips_finished);
  m.set("share_chips_flagged", ratio(t[kChipsFlagged], t[kChipsDiverted]));
  m.set("share_chips_denied", ratio(t[kChipsInterdicted], chips_finished));
  m.set("h100e_diverted", t[kH100eDiverted]);
  m.set("h100e_flagged", t[kH100eFlagged]);
  m.set("h100e_interdicted", t[kH100eInterdicted]);
  m.set("h100e_delivered_restricted", t[kH100eDelivered]);
  m.set("h100e_in_pipeline", pipeline.h100e);
  m.set("h100e_in_service_restricted", in_service(world_.horizon));
  m.set("h100e_finished", h100e_finished);
  m.set("share_h100e_flagged", ratio(t[kH100eFlagged], t[kH100eDiverted]));
  m.set("share_h100e_denied", ratio(t[kH100eInterdicted], h100e_finished));
  m.set("lots_diverted_per_year", per_year(kLotsDiverted));
  m.set("h100e_diverted_per_year", per_year(kH100eDiverted));
  m.set("h100e_interdicted_per_year", per_year(kH100eInterdicted));
  m.set("h100e_delivered_restricted_per_year", per_year(kH100eDelivered));
  m.set("chips_interdicted_per_year", per_year(kChipsInterdicted));
  m.set("chips_delivered_restricted_per_year", per_year(kChipsDelivered));
  m.set("enforcement_cost_usd_per_year", per_year(kCost));
  m.set("legitimate_burden_usd_per_year", per_year(kBurden));
  m.set("total_cost_usd_per_year", years > 0 ? (window[kCost] + window[kBurden]) / years : nan);
  m.set("mean_days_to_first_flag", days_to_first_flag_.mean());
  m.set("lots_flagged_by_several", d(lots_flagged_by_several));
  m.set("lots_found_without_authority", d(found_without_authority_.size()));
  m.set("chips_delivered_silent", d(chips_delivered_silent_));
  m.set("front_closures", d(front_closures_));
  m.set("lots_deterred", d(lots_deterred_));
  m.set("entity_listings", d(entity_listings_));
  m.set("entity_listed_days", entity_listed_days_);
  m.set("h100e_deterred", h100e_deterred_);
  m.set("front_closed_days", front_closed_days_);
  m.set("lots_forgone_expected", lots_forgone_expected_);
  m.set("smuggler_countermeasure_cost_usd", smuggler_countermeasure_cost_);
  m.set("enforcement_cost_usd", enforcement_cost);
  m.set("legitimate_burden_usd", totals_[kBurden]);
  m.set("total_cost_usd", total_cost);
  m.set("cost_usd_per_h100e_denied", ratio(total_cost, t[kH100eInterdicted]));
  m.set("cost_usd_per_lot_interdicted", ratio(total_cost, t[kLotsInterdicted]));
  m.set("lots_legitimate", d(lots_legitimate_));
  m.set("chips_legitimate", d(chips_legitimate_));
  m.set("chips_delivered_legitimate", d(chips_delivered_legitimate_));
  m.set("chips_legitimate_in_pipeline", d(pipeline.chips_legitimate));
  m.set("false_positive_lots", d(false_positive_lots_));
  m.set("false_positive_rate_lots", ratio(d(false_positive_lots_), d(lots_legitimate_)));
  m.set("chips_legitimate_disabled", d(chips_legitimate_disabled_));
  m.set("legitimate_delay_days", totals_[kDelay]);
  if (world_.adversary) {
    // Only with adaptive smugglers, so that other scenarios keep their columns.
    m.set("lots_substituted", d(lots_substituted_));
    m.set("h100e_demanded", t[kH100eDiverted] + h100e_substituted_demand_);
    m.set("h100e_substituted", h100e_substituted_bought_);
    m.set("h100e_substitution_shortfall", h100e_shortfall_);
  }
  if (has_remote_access_) {  // only with flows of leases, so that other scenarios keep columns
    const RemoteTotals& r = remote_;
    m.set("leases_restricted", d(r.leases));
    m.set("leases_refused_restricted", d(r.refused));
    m.set("leases_cut_restricted", d(r.cut));
    m.set("h100e_hours_remote_sought", r.sought);
    m.set("h100e_hours_remote_denied", r.denied);
    m.set("h100e_hours_remote_used", r.used);
    m.set("h100e_hours_remote_in_pipeline", r.in_pipeline);
    m.set("h100e_hours_remote_finished", r.denied + r.used);
    m.set("share_h100e_hours_remote_denied", ratio(r.denied, r.denied + r.used));
    m.set("h100e_years_remote_used_per_year",
          years > 0 ? r.used_window / (24.0 * 365.0) / years : nan);
    m.set("leases_legitimate", d(r.legitimate));
    m.set("leases_legitimate_refused", d(r.legitimate_refused));
    m.set("h100e_hours_legitimate_refused", r.legitimate_hours_refused);
    m.set("leases_legitimate_false_positive", d(r.legitimate_false_positive));
    m.set("false_positive_rate_leases", ratio(d(r.legitimate_false_positive), d(r.legitimate)));
  }
  for (std::size_t i = 0; i < by_policy.size(); ++i) {
    const std::string& name = world_.policies[i].name;
    const PolicyTotals& p = by_policy[i];
    m.set("lots_flagged_by." + name, d(p.lots_flagged));
    m.set("lots_first_flagged_by." + name, d(p.lots_first_flagged));
    m.set("lots_first_interdicted_by." + name, d(p.lots_first_interdicted));
    m.set("chips_interdicted_by." + name, d(p.chips_interdicted));
    m.set("h100e_interdicted_by." + name, p.h100e_interdicted);
    m.set("cost_usd_by." + name, p.cost_usd);
    if (has_remote_access_) {
      m.set("h100e_hours_remote_denied_by." + name, p.h100e_hours_remote_denied);
    }
  }
  for (std::size_t f = 0; f < world_.flows.size(); ++f) {
    const Flow& flow = world_.flows[f];
    if (!flow.diversion) continue;
    if (flow.remote_access) {
      m.set("h100e_years_remote_used_per_year_via." + flow.id,
            years > 0 ? remote_used_window_by_flow_[f] / (24.0 * 365.0) / years : nan);
    } else {
      m.set("h100e_delivered_restricted_per_year_via." + flow.id,
            years > 0 ? delivered_window_by_flow_[f] / years : nan);
    }
  }
  for (const Counts& c : periods) m.periods.emplace_back(c.begin(), c.end());
  return m;
}

}  // namespace chiptrail::models
