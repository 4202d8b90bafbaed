#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "models/lot.hpp"
#include "models/network.hpp"
#include "models/policies/checkpoint_load.hpp"
#include "sim/random_stream.hpp"
#include "sim/time.hpp"

namespace chiptrail::models {

// Where in a lot's life a policy acts.
// kLease and kUsage are remote access's (Flow::remote_access): a lease's start, and its use.
enum class Stage { kSale, kShipment, kBorder, kInstallation, kAudit, kOperation, kLease, kUsage };
const char* to_string(Stage s);

enum class Verdict {
  kPass,      // nothing found
  kFlag,      // found: recorded as a detection, the lot goes on (e.g. a tip under investigation)
  kSeize,     // found and stopped
  kDisable,   // the chips are remotely disabled where they are
  kTurnBack,  // refused entry, not found: sent back one leg to try again (not a detection)
};
const char* to_string(Verdict v);

struct Decision {
  // A constructor rather than an aggregate, so `{Verdict::kSeize, 1}` needs no trailing fields.
  Decision(Verdict v = Verdict::kPass, double effort = 0, sim::Time after = {})  // NOLINT
      : verdict(v), effort_units(effort), delay(after) {}

  Verdict verdict = Verdict::kPass;
  double effort_units = 0;  // units of effort spent (inspections, visits); costed by the scenario
  // When positive, the verdict takes effect this long after the decision (a tip or a payment
  // investigation that takes time): then whatever of the lot is still in the chain is seized or
  // disabled, or an arrived lot is flagged. Whether the lot counts as found at the decision or
  // only when the verdict takes effect is the policy's rule (Policy::delay_is_time_to_find).
  sim::Time delay;
};

// Operation checks as independent trials: what every check on a lot does while the lot's state
// (where it operates, how long it has been silent, delivered or not) stays as it is. A check
// violates with `violation_probability`, and surely once the lot has been silent longer than
// `violates_offline_beyond` (when set); the policy acts on a check when `violations_to_act` of
// the last `window_checks` checks (that one included) violated, and then disables with
// `disable_probability` (drawn at that check), else flags. Each check costs `effort_units`.
// With this the model draws the first check that acts directly (a geometric skip over the
// passing ones) and runs no event per check (PeriodicChecks).
struct CheckTrials {
  bool enrolled = true;  // false: never checked, at no cost, whatever the state (per lot)
  double effort_units = 1;
  double violation_probability = 0;
  std::optional<sim::Time> violates_offline_beyond;
  std::uint32_t violations_to_act = 1;
  std::uint32_t window_checks = 1;  // <= 64
  double disable_probability = 0;
};

// What a policy may look at when it acts: read-only views and its own random stream, addressed
// by (policy, stage, node, lot), so its draws never shift anyone else's.
struct PolicyContext {
  PolicyContext(const Lot& l, const NodeInfo* n, const EdgeInfo* e, sim::Time t,
                sim::RandomStream& r)
      : lot(l), node(n), edge(e), now(t), rng(r) {}

  const Lot& lot;
  const NodeInfo* node;  // where the lot is; null where the stage has none (an offline chip)
  const EdgeInfo* edge;  // the edge just travelled, for shipments and border crossings
  sim::Time now;
  sim::RandomStream& rng;
  // Audits: whether the lot recorded at the audited site is still installed there, and how many
  // of its chips are missing.
  bool present = true;
  std::uint64_t missing_chips = 0;
  // Audits: the chips on record at the audited site, installed or missing (the population a
  // sample is drawn from); 0 where unknown, taken then as the lot's own.
  std::uint64_t site_chips = 0;
  // Operation checks: how long the chips have been silent (zero while they operate online).
  sim::Time offline_for;
  // Operation checks: whether the lot has reached its end user, and whether its firmware was
  // rolled back to one without a licence (Countermeasures).
  bool delivered = false;
  bool licence_defeated = false;
  // Operation checks: this policy's record of its recent checks on this lot, kept by the model
  // between checks (a policy may write it; e.g. one bit per check, newest lowest), so a policy
  // can act on persistent findings rather than one reading. Null where there is no record.
  std::uint64_t* check_record = nullptr;
  // Shipments and borders, for policies that use_checkpoint_load(): the checkpoint's day so far
  // (kept by the model per policy and node). Null elsewhere.
  CheckpointLoad* checkpoint = nullptr;
  // A uniform in (0, 1) fixed for this policy and this sold lot, the same at every decision:
  // for lasting properties of a lot (enrolled in an opt-in scheme, firmware defeated). Drawn
  // from `lot_address` on first use only: most decisions never ask, and a draw costs a Philox
  // block on the model's hot path. 0.5 when no address was given.
  [[nodiscard]] double lot_uniform() const {
    if (!lot_uniform_)
      lot_uniform_ = sim::RandomStream::to_open_unit(sim::RandomStream::at(*lot_address_, 0));
    return *lot_uniform_;
  }
  void set_lot_address(const sim::StreamAddress& a) {
    lot_address_ = a;
    lot_uniform_.reset();
  }
  void set_lot_uniform(double u) { lot_uniform_ = u; }

 private:
  std::optional<sim::StreamAddress> lot_address_;
  mutable std::optional<double> lot_uniform_ = 0.5;
};

// An enforcement measure. Each hook returns a Decision; the defaults do nothing, so a policy
// overrides only the stages where it acts. Policies are immutable and shared by all
// replications and threads: per-run state belongs in the Recorder, not here.
class Policy {
 public:
  virtual ~Policy() = default;

  // Scheduling the model does on a policy's behalf. Audits: visits per year to each data center
  // in scope, each calling on_audit for every lot recorded there; announced audits give
  // `audit_notice` of warning. Operation: on_operation for every lot in scope, every
  // `operation_interval`, from installation on.
  // For the analytic solver: the probability that this policy seizes `lot` (diverted) at
  // `stage`, when that probability depends on nothing but the lot and the stage (memoryless per
  // hop); 0 where the policy does not act. nullopt (the default) means the policy's effect
  // depends on time or history, and the scenario cannot be solved analytically.
  [[nodiscard]] virtual std::optional<double> memoryless_seize_probability(Stage,
                                                                           const Lot&) const {
    return std::nullopt;
  }

  // For the analytic solver: the probability that the lot is turned back (and not seized) at
  // `stage` by this policy. Only meaningful with memoryless_seize_probability.
  [[nodiscard]] virtual double memoryless_turn_back_probability(Stage, const Lot&) const {
    return 0.0;
  }

  // A published rule smugglers can answer: consignments of fewer chips than this are never
  // examined (0: no such rule).
  [[nodiscard]] virtual std::uint64_t exempt_below_chips() const { return 0; }

  // Whether the policy's decisions at a checkpoint depend on its day's traffic (a daily
  // capacity): the model then keeps a CheckpointLoad per node for it (PolicyContext::checkpoint),
  // and lots are no longer independent trials.
  [[nodiscard]] virtual bool uses_checkpoint_load() const { return false; }

  // Policies are shared by every replication and thread, so they keep no state. One that must
  // (a Python policy's object may) returns here a fresh instance, which one replication asks
  // for all its decisions, made at its start (ReplicationPolicies). nullptr (the default): this
  // policy serves every replication.
  [[nodiscard]] virtual std::shared_ptr<const Policy> for_replication() const { return nullptr; }

  // What a decision's delay (Decision::delay) means. false (the default): the policy raises
  // an alert now (a tip names the lot, a payment screen marks it) and acts later; the lot counts
  // as flagged at the decision. true: the delay is the time until the finding itself (an
  // audit's time to find a falsified record); nothing is found, nor counted, before the delay
  // ends, and nothing whose delay ends after the horizon is ever found.
  [[nodiscard]] virtual bool delay_is_time_to_find() const { return false; }

  [[nodiscard]] virtual double audits_per_site_per_year() const { return 0; }
  // Effort spent at a steady rate whatever the lots do (audits of a seller's records), priced
  // by cost_per_unit_usd and accrued like the fixed cost, from the start to the horizon.
  [[nodiscard]] virtual double effort_units_per_year() const { return 0; }
  [[nodiscard]] virtual sim::Time audit_notice() const { return {}; }
  [[nodiscard]] virtual sim::Time operation_interval() const { return {}; }
  // The operation checks of a lot in the state `ctx` describes (its node, delivered and
  // licence_defeated; offline when node is null), as independent trials: must describe exactly
  // the distribution of what on_operation decides, check after check, in that state (a test
  // compares the two). nullopt (the default): the model calls on_operation at every check.
  [[nodiscard]] virtual std::optional<CheckTrials> operation_trials(const PolicyContext&) const {
    return std::nullopt;
  }

  virtual Decision on_sale(const PolicyContext&) const { return {}; }
  virtual Decision on_shipment(const PolicyContext&) const { return {}; }
  virtual Decision on_border(const PolicyContext&) const { return {}; }
  virtual Decision on_installation(const PolicyContext&) const { return {}; }
  virtual Decision on_audit(const PolicyContext&) const { return {}; }
  virtual Decision on_operation(const PolicyContext&) const { return {}; }
  // Remote access (models/replication/remote_access.hpp): at a lease's start, a screening
  // (kSeize refuses it); and its use, decided at the start too: kSeize with a delay cuts the
  // lease that long after its start if it still runs, kFlag reports a legitimate tenant.
  virtual Decision on_lease(const PolicyContext&) const { return {}; }
  virtual Decision on_usage(const PolicyContext&) const { return {}; }
};

}  // namespace chiptrail::models
