#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "models/recorder.hpp"
#include "models/run_config.hpp"
#include "models/run_metrics.hpp"
#include "models/world.hpp"
#include "sim/running_stats.hpp"

namespace chiptrail::models {

// Counts the metrics of the glossary (models/metric_glossary.hpp) for one replication: the
// outcome ladder of every diverted lot, by chip and H100e, attributed to the measures, in total,
// per period (RunMetrics::periods) and per year after the warm-up.
class MetricsRecorder : public Recorder {
 public:
  // `config` gives the warm-up and the period; the world's own by default.
  explicit MetricsRecorder(const World& world) : MetricsRecorder(world, default_run(world)) {}
  MetricsRecorder(const World& world, const RunConfig& config);

  void lot_created(const Lot& lot, sim::Time t) override;
  void detected(const Lot& lot, const DetectionEvent& d) override;
  void false_positive(const Lot& lot, const DetectionEvent& d) override;
  void delivered(const Lot& lot, sim::Time t) override;
  void cost(std::size_t policy, double usd, sim::Time t) override;
  void costs(std::size_t policy, double usd_each, sim::Time first, sim::Time interval,
             std::uint64_t count) override;
  void burden(std::size_t policy, double usd, sim::Time t) override;
  void held(const Lot& lot, sim::Time held, sim::Time t) override;
  void disabled_after_delivery(const Lot& delivered, const DetectionEvent& d) override;
  void substituted(const Lot& demanded, double h100e_bought, sim::Time) override;
  void went_silent(const Lot& delivered, double usd, sim::Time t) override;
  void front_closed(std::size_t flow, sim::Time t, sim::Time reopens) override;
  void deterred(const Lot& due, sim::Time t) override;
  void entity_listed(NodeIndex dealer, sim::Time t, sim::Time until) override;
  void leased(const Lot& lease, const LeaseOutcome& o) override;

  // `pipeline` is what the model still holds at the horizon, counted by the model from its
  // live lots: the independent side of the conservation checks.
  [[nodiscard]] RunMetrics finish(const Pipeline& pipeline) const;

 private:
  // The columns of a period (period_metric_names(), in that order).
  enum Column : std::size_t {
    kLotsDiverted,
    kLotsFlagged,
    kLotsInterdicted,
    kLotsDelivered,
    kChipsDiverted,
    kChipsFlagged,
    kChipsInterdicted,
    kChipsDelivered,
    kH100eDiverted,
    kH100eFlagged,
    kH100eInterdicted,
    kH100eDelivered,
    kCost,
    kBurden,
    kDelay,
    kInService,  // a stock, not a count: filled in by finish() (in_service)
    kColumns
  };
  using Counts = std::array<double, kColumns>;

  // Where one diverted lot (as sold) stands on the ladder.
  struct LotOutcome {
    sim::Time sold;
    std::uint64_t chips = 0;
    double h100e_per_chip = 0;
    std::uint64_t interdicted = 0;  // chips
    std::uint64_t delivered = 0;    // chips, net of later disables
    bool whole_flagged = false;     // an alert on the lot itself: all its chips are flagged
    std::vector<std::pair<std::uint64_t, std::uint64_t>> flagged_parts;  // (part, chips)
    std::vector<std::size_t> flagged_by;  // policies, first flag first
    bool first_interdiction_seen = false;
    bool counted_interdicted = false;  // in lots_interdicted
    bool counted_delivered = false;    // in lots_delivered_restricted
    sim::Time aged_from;     // the chips' age counts from here (delivered, or in service before)
    sim::Time delivered_at;  // when they arrived (working)
    [[nodiscard]] std::uint64_t chips_flagged() const;
  };

  struct PolicyTotals {
    std::uint64_t lots_flagged = 0, lots_first_flagged = 0, lots_first_interdicted = 0;
    std::uint64_t chips_interdicted = 0;
    double h100e_interdicted = 0;
    double cost_usd = 0;
    double h100e_hours_remote_denied = 0;
  };

  // Compute delivered to restricted end users enters the stock in service; a remote disable
  // takes it out again. An entry adds `h100e` times the chips' survival to the stock at every
  // time from `from` on: their age counts from `aged_from`, and they worked when they arrived
  // at `delivered` (so survival to t is conditional on survival to that age).
  struct StockEntry {
    sim::Time from, aged_from, delivered;
    double h100e = 0;
    std::size_t chip_model = 0;
  };

  // Remote access (leases), all counted by the lease's start: hours are H100e-hours.
  struct RemoteTotals {
    std::uint64_t leases = 0, refused = 0, cut = 0;
    double sought = 0, denied = 0, used = 0, in_pipeline = 0;
    double used_window = 0;  // used in [warm-up, horizon)
    std::uint64_t legitimate = 0, legitimate_refused = 0, legitimate_false_positive = 0;
    double legitimate_hours_refused = 0;
  };

  // A finding of `policy` on `lot` at `t`: the flagged rung, its attribution and overlap.
  void flagged(const Lot& lot, std::size_t policy, sim::Time t);
  // Adds `v` to column `c` of the period holding `t`, and of the steady window after warm-up.
  void add(Column c, double v, sim::Time t);
  // The period holding t. An instant at the horizon itself (an event the run's last moment
  // executes) closes the last period instead of opening one past the horizon.
  [[nodiscard]] std::size_t period_of(sim::Time t) const;
  // The one rule every counter obeys: an event at `t` is counted when t >= count_from (the
  // counting window infer sets; 0 otherwise). Totals count what is counted; per-year figures
  // what is also in the steady window.
  [[nodiscard]] bool counted(sim::Time t) const;
  // Whether an event at `t` falls in the steady window [window_start(), horizon).
  [[nodiscard]] bool in_window(sim::Time t) const;
  // The steady window's start: after the warm-up and the counting window's start. Per-year
  // figures divide by the window's length.
  [[nodiscard]] sim::Time window_start() const;
  void interdict(LotOutcome& o, const Lot& lot, std::size_t policy, Verdict v, sim::Time t);
  [[nodiscard]] double h100e(const Lot& lot) const;
  void add_fixed_costs(std::vector<Counts>& periods, Counts& window,
                       std::vector<PolicyTotals>& by_policy) const;
  // The expected H100e delivered to restricted end users and still working at `t` (by the
  // chips' lifetimes), net of remote disables.
  [[nodiscard]] double in_service(sim::Time t) const;

  const World& world_;
  sim::Time warmup_, period_, count_from_;
  std::unordered_map<std::uint64_t, LotOutcome> lots_;  // diverted lots, by sold id
  Counts totals_{};
  std::vector<Counts> periods_;
  Counts window_{};  // events in [warmup, horizon)
  std::uint64_t chips_seized_ = 0, chips_disabled_ = 0;
  std::uint64_t lots_legitimate_ = 0, chips_legitimate_ = 0, chips_delivered_legitimate_ = 0;
  std::uint64_t false_positive_lots_ = 0, chips_legitimate_disabled_ = 0;
  std::unordered_set<std::uint64_t> false_positive_ids_, falsely_disabled_ids_;
  std::unordered_set<std::uint64_t> found_without_authority_;  // diverted lots, by sold id
  std::uint64_t chips_delivered_silent_ = 0;
  std::uint64_t front_closures_ = 0;
  std::uint64_t lots_deterred_ = 0;
  std::uint64_t entity_listings_ = 0;
  double entity_listed_days_ = 0;
  double h100e_deterred_ = 0;
  std::unordered_map<std::size_t, std::uint64_t> front_closures_by_flow_;
  double front_closed_days_ = 0;      // within the horizon
  double lots_forgone_expected_ = 0;  // the closed fronts' expected lots, at their flows' rates
  double smuggler_countermeasure_cost_ = 0;
  sim::RunningStats days_to_first_flag_;
  std::vector<PolicyTotals> by_policy_;
  std::vector<StockEntry> stock_;
  // Per flow, in [warm-up, horizon): H100e delivered (diversion flows of chips), H100e-hours
  // used (flows of leases).
  std::vector<double> delivered_window_by_flow_, remote_used_window_by_flow_;
  bool has_remote_access_ = false;  // the world has flows of leases: their metrics are reported
  RemoteTotals remote_;
  // Adaptive smugglers only: substitution.
  std::uint64_t lots_substituted_ = 0;
  double h100e_substituted_demand_ = 0, h100e_substituted_bought_ = 0, h100e_shortfall_ = 0;
};

}  // namespace chiptrail::models
