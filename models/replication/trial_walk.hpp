#pragma once

#include <cstdint>
#include <optional>

#include "models/policies/policy.hpp"
#include "sim/random_stream.hpp"

namespace chiptrail::models {

// Where a lot's operation checks stand: how many were taken, and the policy's record of them.
struct TrialState {
  std::uint64_t next = 0;    // the first check not yet taken
  std::uint64_t record = 0;  // one bit per check taken, newest lowest: 1 = it violated
};

// A check that acts, and what it does.
struct TrialAct {
  std::uint64_t check = 0;
  Verdict verdict = Verdict::kFlag;
};

// Takes a lot's checks as independent trials (CheckTrials) from state.next up to, not
// including, `until`, or up to and including the first check that acts, which it returns;
// `state` ends after the last check taken. Checks from `certain_from` on violate surely. Only
// violating checks cost draws: the gap to the next violation is geometric, so a year of daily
// checks that pass costs one draw. A check in breach while `flagged` acts only to disable (a
// second flag adds nothing). The same stream gives the same walk, so a walk cut short by a
// change of state can be replayed to where the change came; a walk that cannot act (flagged,
// no disable) draws only the record's last 64 checks before `until`, which is all that matters.
std::optional<TrialAct> walk_trials(const CheckTrials& trials, bool flagged,
                                    std::uint64_t certain_from, std::uint64_t until,
                                    sim::RandomStream& rng, TrialState& state);

}  // namespace chiptrail::models
