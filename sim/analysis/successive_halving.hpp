#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace chiptrail::sim {

// Picks the best of many candidates by simulation, spending replications where they matter:
// successive halving (Jamieson and Talwalkar 2016; a racing method). Every candidate is run
// on replications [0, r0); the best 1/eta of them (by mean, ties to the lower index; never
// fewer than two) go on to eta times as many replications, and so on up to max_replications;
// the best mean of the last round wins.
// Candidates share replication indices, so with addressed random numbers they meet the same
// random events (common random numbers) and their comparison is paired.
struct HalvingOptions {
  std::uint64_t initial_replications = 8;
  std::uint64_t max_replications = 128;
  std::size_t eta = 3;
  bool maximize = true;
  unsigned threads = 1;
};

struct Contender {
  std::vector<double> values;  // the objective, by replication index
  std::size_t rounds = 0;      // rounds it took part in
  [[nodiscard]] double mean() const;
};

struct HalvingResult {
  std::vector<Contender> contenders;  // by candidate index
  std::size_t best = 0;
  std::size_t runner_up = 0;  // the best of the others in the last round (== best if alone)
  std::vector<std::size_t> finalists;  // the last round's candidates, best first
  std::uint64_t runs = 0;              // evaluations made
};

// `evaluate(candidate, replication)` must be a pure function of its arguments (it runs on
// `threads` threads in any order); results do not depend on the thread count.
HalvingResult successive_halving(std::size_t candidates,
                                 const std::function<double(std::size_t, std::uint64_t)>& evaluate,
                                 const HalvingOptions& options);

// What the finalists of a race are worth, free of the winner's curse. The race chose them on
// its own replications, so their values there are biased in their favour (on a flat objective
// the winner looked +38 better and led the runner-up by +33 where the truth is 0). Re-run on
// fresh replications [first, first + count) (common random numbers among them), their means
// and differences are unbiased; the choice itself stays the race's.
struct Confirmation {
  std::vector<std::size_t> finalists;       // race.finalists: the winner, the runner-up, ...
  std::vector<std::vector<double>> values;  // by finalist, by fresh replication
  std::uint64_t runs = 0;
};
Confirmation confirm_finalists(const HalvingResult& race,
                               const std::function<double(std::size_t, std::uint64_t)>& evaluate,
                               std::uint64_t first, std::uint64_t count, unsigned threads);

}  // namespace chiptrail::sim
