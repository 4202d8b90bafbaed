#include "sim/analysis/successive_halving.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "sim/random_stream.hpp"
#include "sim/sampling.hpp"

using namespace chiptrail::sim;

namespace {

// Candidate c has true mean mu(c) = -|c - 17| / 4 (best: 17) and unit normal noise; the noise
// of replication r is common to all candidates plus an individual part, as with common random
// numbers.
double noisy(std::size_t c, std::uint64_t r) {
  RandomStream common({1, r, stream_key("common"), 0});
  RandomStream own({1, r, stream_key("own"), c});
  const double mu = -std::abs(static_cast<double>(c) - 17.0) / 4.0;
  return mu + normal(common, 0, 3) + normal(own, 0, 0.5);
}

}  // namespace

TEST_CASE("successive halving finds the best candidate and spends runs on the leaders") {
  HalvingOptions o;
  o.initial_replications = 4;
  o.max_replications = 108;
  o.eta = 3;
  const HalvingResult r = successive_halving(40, noisy, o);
  CHECK(r.best == 17);
  CHECK((r.runner_up == 16 || r.runner_up == 18));
  CHECK(r.contenders[17].values.size() == 108);
  // Rounds: 40 x 4, 14 x 8 more, 5 x 24 more, 2 x 72 more.
  CHECK(r.runs == 40 * 4 + 14 * 8 + 5 * 24 + 2 * 72);
  CHECK(r.runs < 40 * 108 / 5);  // a fifth of running everyone to the end
  // Minimising the negated objective finds the same candidate.
  o.maximize = false;
  const HalvingResult m = successive_halving(
      40, [](std::size_t c, std::uint64_t rep) { return -noisy(c, rep); }, o);
  CHECK(m.best == 17);
}

TEST_CASE("successive halving gives the same answer on any number of threads") {
  HalvingOptions o;
  o.initial_replications = 2;
  o.max_replications = 18;
  const HalvingResult one = successive_halving(25, noisy, o);
  o.threads = 2;
  const HalvingResult two = successive_halving(25, noisy, o);
  CHECK(one.best == two.best);
  CHECK(one.runs == two.runs);
  for (std::size_t c = 0; c < 25; ++c) CHECK(one.contenders[c].values == two.contenders[c].values);
}

TEST_CASE("successive halving refuses empty or inconsistent settings") {
  HalvingOptions o;
  CHECK_THROWS(successive_halving(0, noisy, o));
  o.max_replications = 2;
  CHECK_THROWS(successive_halving(3, noisy, o));
  o = {};
  CHECK(successive_halving(1, noisy, o).best == 0);
}
