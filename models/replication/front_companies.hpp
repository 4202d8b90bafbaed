#pragma once

#include <cstddef>
#include <map>
#include <vector>

#include "models/replication/replication_context.hpp"
#include "sim/process.hpp"
#include "sim/random_stream.hpp"

namespace chiptrail::models {

// The front companies buying for the diversion flows of one replication. A confirmed case
// closes a flow's front (Flow::front): its arrivals stop until a new front forms, after the
// flow's re-formation time, buying at the flow's volume after re-formation. Deterrence
// (Flow::deterrence): a lot due is bought with probability (1 - r)^elasticity, r the flow's
// perceived risk, learnt from its lots' outcomes. The entity list (World::entity_list): a
// dealer with enough confirmed cases is listed for a time, and the flows dismantling there buy
// nothing meanwhile.
class FrontCompanies {
 public:
  explicit FrontCompanies(ReplicationContext& ctx);

  // The process creating flow `f`'s lots: interrupted when the front closes, so that it waits
  // for the new one and then draws its next arrival afresh (Poisson arrivals are memoryless).
  void set_arrivals(std::size_t f, sim::ProcessHandle process);

  // A confirmed case against a lot of flow `f` bought by its front number `front`
  // (front_number(f) at the sale): closes that front if it still operates, i.e. if no case has
  // closed it yet (a case against a lot of an earlier, closed front closes nothing: the new
  // front is another company), and counts against the flow's dealer for the entity list.
  void confirmed_case(std::size_t f, std::uint32_t front);

  // Which of flow `f`'s front companies buys now: 0 for the first, one more at each closure.
  [[nodiscard]] std::uint32_t front_number(std::size_t f) const {
    return f < fronts_.size() ? fronts_[f].number : 0;
  }

  // Whether flow `f` buys now: its front open and its dealer not listed.
  [[nodiscard]] bool open(std::size_t f) const;

  // What the flow of `lot` learns of its chips' fate: `interdicted` of them seized or disabled,
  // `delivered` reached the end user (as shares of the lot as sold).
  void learn(const Lot& lot, std::uint64_t interdicted, std::uint64_t delivered);
  // Whether the buyers go through with `lot` (just due), given the flow's perceived risk: drawn
  // from the lot's own stream. Always true without deterrence.
  [[nodiscard]] bool buys(const Lot& lot) const;
  // The flow's perceived risk now (Flow::deterrence).
  [[nodiscard]] double perceived_risk(std::size_t f) const;
  // When flow `f` may buy again (now or earlier if it may).
  [[nodiscard]] sim::Time reopens_at(std::size_t f) const;
  // The arrival rate relative to the flow's written rate.
  [[nodiscard]] double volume(std::size_t f) const { return fronts_[f].volume; }

 private:
  struct Front {
    sim::Time reopens_at;  // open from here on
    double volume = 1;
    std::uint32_t number = 0;     // closures so far: the front now forming or buying
    sim::ProcessHandle arrivals;  // none: no Poisson arrivals to interrupt
    sim::RandomStream reform;     // the re-formation times, in order
    // Learnt outcomes in lots, decayed to `learnt_at`.
    double interdicted = 0, delivered = 0;
    sim::Time learnt_at;
  };
  void close(std::size_t f, std::uint32_t front);
  void count_against_dealer(std::size_t f);
  [[nodiscard]] sim::Time dealer_listed_until(std::size_t f) const;

  ReplicationContext& ctx_;
  std::vector<Front> fronts_;
  // The entity list, by node: confirmed cases since the last listing, listed until.
  std::map<NodeIndex, std::uint32_t> cases_;
  std::map<NodeIndex, sim::Time> listed_until_;
  sim::RandomStream listing_;  // the listing times, in order
};

}  // namespace chiptrail::models
