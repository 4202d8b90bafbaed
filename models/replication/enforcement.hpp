#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_set>
#include <utility>
#include <vector>

#include "models/recorder.hpp"
#include "models/replication/front_companies.hpp"
#include "models/replication/replication_context.hpp"

namespace chiptrail::models {

// Enforcement dispatch: asks the policies in force and in scope at each point a lot passes,
// records what they find, and acts on it: seizes where the law allows (models/jurisdictions.hpp),
// disables, schedules a delayed verdict, or opens a case (PolicyInstance::investigation) whose
// confirmation seizes what is left of the lot and closes the front company behind it.
class Enforcement {
 public:
  Enforcement(ReplicationContext& ctx, FrontCompanies& fronts);

  // Asks every policy in force and in scope at node `node` as the lot passes. Every finding is
  // recorded when it is made (overlap; an alert whose verdict comes later now, a finding that
  // itself takes time when it is made); the first seizure or disable acts and takes the lot (or
  // consignment) out of the chain, and the function returns true. Delayed verdicts are scheduled; a
  // refusal of entry sets *turned_back. `encounter` counts the lot's earlier arrivals at this node:
  // each is a draw of its own. A legitimate lot examined or wrongly held adds the time it is
  // held to *held (the caller makes it wait).
  bool enforce(Stage stage, const Lot& lot, NodeIndex node, const EdgeInfo* edge,
               std::optional<EdgeIndex> edge_index, std::uint64_t encounter = 0,
               bool* turned_back = nullptr, sim::Time* held = nullptr);

  // A verdict on a sold lot as a whole, wherever its chips are now: every part still in the
  // chain is seized (where the law of its place allows) or disabled, else flagged; chips
  // already delivered can only be disabled (or the lot flagged).
  // Returns whether anything of the lot was still there to record (in the chain or delivered).
  bool act_on_sold_lot(std::uint64_t id, DetectionEvent event);

  // A periodic check's finding (audit, operation) on sold lot `id` (`lot` as the check saw it):
  // a false positive if the lot is legitimate; otherwise recorded and acted on as a verdict on
  // the sold lot.
  void act_on_finding(const Lot& lot, std::uint64_t id, const DetectionEvent& event);

 private:
  // A finding on a diverted lot: opens a case on the lot as sold if the finding's policy
  // investigates and no case on it is open.
  void investigate(const Lot& lot, const DetectionEvent& finding);
  // A confirmed case (an investigation confirmed, or a delayed verdict acting): the verdict on
  // the sold lot, and the front company that bought it closes.
  void conclude(std::uint64_t id, const DetectionEvent& event);
  // A finding made when a policy's delay ends (Policy::delay_is_time_to_find): found now, and
  // acted on (a confirmed case) unless `acts` is false (another policy had stopped the lot).
  void find_later(std::uint64_t id, const DetectionEvent& event, bool acts);
  // Records `event` on `lot` as a flag found now, acting on nothing.
  void flag_only(const Lot& lot, const DetectionEvent& event);
  // The consequence of a sold lot's confirmed case, once per lot however many cases confirm:
  // the front company that bought it closes if it still operates, and the lot counts against
  // its dealer for the entity list (FrontCompanies::confirmed_case).
  void close_front(std::uint64_t id);
  // Policy `policy`'s day so far at checkpoint `node`, rolled over to today.
  CheckpointLoad& load(std::size_t policy, NodeIndex node);

  ReplicationContext& ctx_;
  FrontCompanies& fronts_;
  // By node: the policies whose scope covers it, in order (the only ones asked there).
  std::vector<std::vector<std::size_t>> policies_at_;
  std::unordered_set<std::uint64_t> open_cases_;  // sold lots under investigation
  std::map<std::pair<std::size_t, std::uint64_t>, std::uint64_t> cases_opened_;  // (policy, lot)
  std::unordered_set<std::uint64_t> concluded_;  // sold lots whose front a case has closed
  std::map<std::pair<std::size_t, NodeIndex>, CheckpointLoad> loads_;  // by (policy, node)
};

}  // namespace chiptrail::models
