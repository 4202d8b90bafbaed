#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "models/replication/enforcement.hpp"
#include "models/replication/replication_context.hpp"
#include "models/replication/trial_walk.hpp"
#include "sim/event_queue.hpp"
#include "sim/process.hpp"

namespace chiptrail::models {

// The periodic processes of enforcement: audit visits to data centers (one process per audit
// policy and site in scope, at its Poisson rate, announced ahead when the policy says so) and
// checks on operating chips (location verification, heartbeats), from installation until the
// lot leaves the chain or is first found in breach.
//
// Operation checks run as trials where the policy describes them so (operation_trials): the
// first check that acts is drawn directly (trial_walk) and is the only event; a change in the
// lot's state (LotRegistry::watch) settles the checks taken so far — their costs, the policy's
// record — and draws again from there under the new state, which the geometric gaps allow
// because they are memoryless. Other policies, or every policy with `per_check`, get one event
// per check: the reference the trials are tested against.
class PeriodicChecks {
 public:
  PeriodicChecks(ReplicationContext& ctx, Enforcement& enforcement, bool per_check = false);

  // Spawns the audit visits of every audit policy to every data center in its scope.
  void start_audits();
  // Starts the checks of every operation policy that covers a lot just installed.
  void start_operation_checks(const Lot& lot);
  // Until when an announced audit visit to `site` is pending (zero: none announced yet).
  [[nodiscard]] sim::Time announced_until(NodeIndex site) const;
  // At the end of the run: costs the checks taken since each lot's state last changed.
  void finish();

 private:
  // One operation policy's checks on one lot, run as trials.
  struct Trials {
    std::size_t policy = 0;
    std::uint64_t lot = 0;
    sim::Time first_check;                // when check 0 is due
    TrialState settled;                   // checks costed and recorded so far
    bool flagged = false;                 // found in breach before
    bool done = false;                    // no check will act again
    std::optional<sim::Time> left_chain;  // out of the chain since then (no check pending)
    CheckTrials outlook;                  // what each check does in the lot's current state
    std::uint64_t certain_from = 0;
    std::uint64_t walks = 0;  // walks drawn so far: each has its own stream
    TrialAct acting;          // the check that acts, when `pending`
    TrialState after_acting;
    sim::EventHandle pending;
  };

  sim::Process audits(std::size_t p, NodeIndex site);
  sim::Process operation(std::size_t p, std::uint64_t id);
  PolicyContext operation_context(const PolicyInstance& inst, const SoldLot& sold, std::uint64_t id,
                                  sim::RandomStream& rng) const;
  void lot_changed(std::uint64_t id);
  // Draws the next acting check from the lot's state now; `outlook` when the caller just asked
  // the policy for it (it depends on the state only, so asking again would give the same).
  void draw(Trials& t, std::optional<CheckTrials> outlook = std::nullopt);
  void act(Trials& t);
  void cost_checks(const Trials& t, std::uint64_t from, std::uint64_t upto);
  // Replays the current walk up to check `upto` (not included) and costs the checks passed.
  void settle(Trials& t, std::uint64_t upto);
  [[nodiscard]] sim::RandomStream walk_stream(const Trials& t, std::uint64_t walk) const;
  [[nodiscard]] sim::Time check_time(const Trials& t, std::uint64_t check) const;
  // How many of the lot's checks are due before `time`.
  [[nodiscard]] std::uint64_t checks_before(const Trials& t, sim::Time time) const;
  [[nodiscard]] std::uint64_t horizon_check(const Trials& t) const;

  ReplicationContext& ctx_;
  Enforcement& enforcement_;
  bool per_check_;
  std::unordered_map<NodeIndex, sim::Time> announced_until_;
  std::unordered_map<std::uint64_t, std::vector<Trials>> trials_;  // by sold lot id
};

}  // namespace chiptrail::models
