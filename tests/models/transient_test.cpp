// Where a transient ends, from replications: MSER refined by the replications must find a
// start-up transient where there is one and none in steady noise.
#include "models/transient.hpp"

#include <doctest/doctest.h>

#include <cstddef>
#include <random>
#include <vector>

#include "sim/analysis/steady_state.hpp"

using namespace chiptrail::models;

namespace {

// 40 replications of 120 periods: Poisson counts with mean `mean(period)`.
template <typename Mean>
ReplicatedSeries poisson_series(unsigned seed, Mean mean) {
  std::mt19937_64 rng(seed);
  ReplicatedSeries out(40, std::vector<double>(120));
  for (std::vector<double>& row : out) {
    for (std::size_t k = 0; k < row.size(); ++k) {
      std::poisson_distribution<int> count(mean(k));
      row[k] = count(rng);
    }
  }
  return out;
}

}  // namespace

TEST_CASE("longest_transient: none in steady noise, where MSER alone often finds one") {
  // On a flat series MSER's minimum falls anywhere in the first half: over 20 steady outputs it
  // deletes periods in 7. What it deletes there does not differ from what it keeps, so the
  // refined transient is none (at 99% per boundary tried, a rare false one is allowed).
  int mser_found = 0, refined_found = 0;
  for (unsigned seed = 1; seed <= 20; ++seed) {
    const ReplicatedSeries flat = poisson_series(seed, [](std::size_t) { return 1.4; });
    mser_found += chiptrail::sim::mser_truncation(averaged(flat, 120), 5).deleted > 0 ? 1 : 0;
    const Transient t = longest_transient({flat});
    CHECK(t.assessed);
    refined_found += t.periods > 0 ? 1 : 0;
  }
  CAPTURE(mser_found);
  CAPTURE(refined_found);
  CHECK(mser_found >= 3);
  CHECK(refined_found <= 2);
}

TEST_CASE("longest_transient: a pipeline that fills for 13 periods ends within a batch of it") {
  // Zero for 13 periods, then steady: the transient ends at the batch boundary after period 13
  // (batches of 5 from 100 periods: 15), whatever the noise.
  for (unsigned seed = 1; seed <= 10; ++seed) {
    CAPTURE(seed);
    const ReplicatedSeries filling =
        poisson_series(seed, [](std::size_t k) { return k < 13 ? 0.0 : 1.9; });
    const ReplicatedSeries steady = poisson_series(seed + 100, [](std::size_t) { return 6.0; });
    const Transient t = longest_transient({steady, filling});
    CHECK(t.settled);
    CHECK(t.periods >= 13);
    CHECK(t.periods <= 15);
  }
  CHECK_FALSE(longest_transient({ReplicatedSeries(40, std::vector<double>(9, 1.0))}).assessed);
}
