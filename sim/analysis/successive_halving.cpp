#include "sim/analysis/successive_halving.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "sim/analysis/thread_pool.hpp"

namespace chiptrail::sim {

double Contender::mean() const {
  if (values.empty()) return 0;
  return std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
}

HalvingResult successive_halving(std::size_t candidates,
                                 const std::function<double(std::size_t, std::uint64_t)>& evaluate,
                                 const HalvingOptions& o) {
  if (candidates == 0) throw std::invalid_argument("successive_halving: no candidates");
  if (o.initial_replications == 0 || o.max_replications < o.initial_replications || o.eta < 2) {
    throw std::invalid_argument(
        "successive_halving: needs 0 < initial <= max replications and eta >= 2");
  }
  HalvingResult r;
  r.contenders.resize(candidates);
  std::vector<std::size_t> alive(candidates);
  std::iota(alive.begin(), alive.end(), 0);
  // Better first; ties to the lower index, so the order is a function of the values alone.
  const auto better = [&](std::size_t a, std::size_t b) {
    const double ma = r.contenders[a].mean(), mb = r.contenders[b].mean();
    if (ma != mb) return o.maximize ? ma > mb : ma < mb;
    return a < b;
  };
  std::uint64_t done = 0;  // replications every survivor has
  std::uint64_t target = o.initial_replications;
  for (;;) {
    // Run every survivor on replications [done, target).
    const std::uint64_t width = target - done;
    std::vector<std::uint64_t> ids(alive.size() * width);
    std::iota(ids.begin(), ids.end(), 0);
    for (const std::size_t c : alive) r.contenders[c].values.resize(target);
    run_on_threads(
        ids, o.threads,
        [&](std::uint64_t id) { return evaluate(alive[id / width], done + id % width); },
        [&](std::uint64_t id, double v) {
          r.contenders[alive[id / width]].values[done + id % width] = v;
        },
        [] { return false; });
    r.runs += ids.size();
    for (const std::size_t c : alive) ++r.contenders[c].rounds;
    done = target;
    std::sort(alive.begin(), alive.end(), better);
    if (done >= o.max_replications) break;
    // At least two go on, so that the winner has a runner-up measured on the same replications.
    const std::size_t keep = (alive.size() + o.eta - 1) / o.eta;
    alive.resize(std::min(alive.size(), std::max<std::size_t>(2, keep)));
    target = std::min(done * o.eta, o.max_replications);
  }
  r.best = alive.front();
  r.runner_up = alive.size() > 1 ? alive[1] : alive.front();
  r.finalists = alive;
  return r;
}

Confirmation confirm_finalists(const HalvingResult& race,
                               const std::function<double(std::size_t, std::uint64_t)>& evaluate,
                               std::uint64_t first, std::uint64_t count, unsigned threads) {
  Confirmation out;
  out.finalists = race.finalists;
  out.values.assign(out.finalists.size(), std::vector<double>(count, 0.0));
  std::vector<std::uint64_t> ids(out.finalists.size() * count);
  std::iota(ids.begin(), ids.end(), 0);
  run_on_threads(
      ids, threads,
      [&](std::uint64_t id) { return evaluate(out.finalists[id / count], first + id % count); },
      [&](std::uint64_t id, double v) { out.values[id / count][id % count] = v; },
      [] { return false; });
  out.runs = ids.size();
  return out;
}

}  // namespace chiptrail::sim
