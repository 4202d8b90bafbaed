#include "models/replication/trial_walk.hpp"

#include <algorithm>
#include <bit>

#include "sim/sampling.hpp"

namespace chiptrail::models {
namespace {

std::uint64_t shifted(std::uint64_t record, std::uint64_t checks) {
  return checks >= 64 ? 0 : record << checks;
}

}  // namespace

std::optional<TrialAct> walk_trials(const CheckTrials& trials, bool flagged,
                                    std::uint64_t certain_from, std::uint64_t until,
                                    sim::RandomStream& rng, TrialState& state) {
  const std::uint64_t window = trials.window_checks >= 64
                                   ? ~std::uint64_t{0}
                                   : (std::uint64_t{1} << trials.window_checks) - 1;
  // Flagged already and never disabling: no check acts, and only the record's last 64 checks
  // are left to draw (a flagged lot far from every landmark violates every day).
  const bool may_act = !flagged || trials.disable_probability > 0;
  if (!may_act && until > state.next && until - state.next > 64) {
    state.next = until - 64;
    state.record = 0;
  }
  while (state.next < until) {
    // The next violating check: the first certain one, unless a random one comes before.
    std::uint64_t violation = std::max(certain_from, state.next);
    if (state.next < certain_from) {
      const std::uint64_t gap = sim::geometric(rng, trials.violation_probability);
      if (gap < violation - state.next) violation = state.next + gap;
    }
    if (violation >= until) {
      state.record = shifted(state.record, until - state.next);
      state.next = until;
      break;
    }
    state.record = shifted(state.record, violation - state.next) << 1U | 1U;
    state.next = violation + 1;
    if (static_cast<std::uint32_t>(std::popcount(state.record & window)) <
        trials.violations_to_act) {
      continue;
    }
    const bool disable =
        trials.disable_probability >= 1 ||
        (trials.disable_probability > 0 && sim::bernoulli(rng, trials.disable_probability));
    if (disable) return TrialAct{violation, Verdict::kDisable};
    if (!flagged) return TrialAct{violation, Verdict::kFlag};
  }
  return std::nullopt;
}

}  // namespace chiptrail::models
