#include "models/analytic/absorbing_chain.hpp"

#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>
#include <stdexcept>

#include "sim/random_stream.hpp"

using chiptrail::models::AbsorbingChain;
using doctest::Approx;

TEST_CASE("DOMAIN.md case 1: four independent checkpoints in series") {
  // Transient i: the consignment at checkpoint i. Absorbing 0..3: caught at checkpoint i;
  // 4: delivered.
  const double p[] = {0.02, 0.05, 0.10, 0.24};
  AbsorbingChain chain(4, 5);
  for (std::size_t i = 0; i < 4; ++i) {
    chain.add_absorption(i, i, p[i]);
    if (i < 3)
      chain.add_transition(i, i + 1, 1 - p[i]);
    else
      chain.add_absorption(i, 4, 1 - p[i]);
    chain.set_holding_time(i, 2.0);
  }
  const auto s = chain.solve();
  double caught = 0;
  for (std::size_t a = 0; a < 4; ++a) caught += s.probability(0, a);
  CHECK(caught == Approx(1 - 0.98 * 0.95 * 0.90 * 0.76).epsilon(1e-12));
  CHECK(caught == Approx(0.3632).epsilon(1e-4));
  CHECK(s.probability(0, 1) == Approx(0.98 * 0.05).epsilon(1e-12));
  CHECK(s.probability(0, 3) == Approx(0.98 * 0.95 * 0.90 * 0.24).epsilon(1e-12));
  // Time: caught at checkpoint 3 means 3 stays of 2 days; delivered means 4.
  CHECK(s.time_given(0, 2) == Approx(6.0));
  CHECK(s.time_given(0, 4) == Approx(8.0));
}

TEST_CASE("DOMAIN.md case 3: a branching route with a retry loop, solved by hand") {
  // S -> A (0.6) or B (0.4). A: caught 0.1, else delivered. B: caught 0.3, turned back to S
  // 0.5, else delivered. By hand: P(caught at A) = 0.06 / 0.8 = 0.075, P(caught at B) =
  // 0.12 / 0.8 = 0.15, delivered 0.775; expected steps from S = 2 / 0.8 = 2.5.
  enum { S, A, B };
  enum { CaughtA, CaughtB, Delivered };
  AbsorbingChain chain(3, 3);
  chain.add_transition(S, A, 0.6);
  chain.add_transition(S, B, 0.4);
  chain.add_absorption(A, CaughtA, 0.1);
  chain.add_absorption(A, Delivered, 0.9);
  chain.add_absorption(B, CaughtB, 0.3);
  chain.add_transition(B, S, 0.5);
  chain.add_absorption(B, Delivered, 0.2);
  for (int i = 0; i < 3; ++i) chain.set_holding_time(static_cast<std::size_t>(i), 1.0);
  const auto s = chain.solve();
  CHECK(s.probability(S, CaughtA) == Approx(0.075).epsilon(1e-12));
  CHECK(s.probability(S, CaughtB) == Approx(0.15).epsilon(1e-12));
  CHECK(s.probability(S, Delivered) == Approx(0.775).epsilon(1e-12));
  CHECK(s.expected_steps[S] == Approx(2.5).epsilon(1e-12));
  CHECK(s.expected_time[S] == Approx(2.5).epsilon(1e-12));
}

TEST_CASE("a generated 1,000-state chain: sparse LU agrees with a dense solve, rows sum to 1") {
  const std::size_t n = 1000, m = 5;
  AbsorbingChain chain(n, m);
  Eigen::MatrixXd q = Eigen::MatrixXd::Zero(n, n), r = Eigen::MatrixXd::Zero(n, m);
  chiptrail::sim::RandomStream rs({3, 0, 0, 0});
  for (std::size_t i = 0; i < n; ++i) {
    // Three random successors and a chance of absorption, as in a large routing graph.
    const double absorb = 0.05 + 0.2 * rs.uniform01();
    const auto a = static_cast<std::size_t>(rs.uniform01() * m);
    chain.add_absorption(i, a, absorb);
    r(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(a)) += absorb;
    for (int k = 0; k < 3; ++k) {
      const auto j = static_cast<std::size_t>(rs.uniform01() * n);
      chain.add_transition(i, j, (1 - absorb) / 3);
      q(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) += (1 - absorb) / 3;
    }
  }
  const auto s = chain.solve();
  const Eigen::MatrixXd dense = (Eigen::MatrixXd::Identity(n, n) - q).partialPivLu().solve(r);
  double worst = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double row = 0;
    for (std::size_t a = 0; a < m; ++a) {
      row += s.probability(i, a);
      worst = std::max(worst, std::fabs(s.probability(i, a) - dense(static_cast<Eigen::Index>(i),
                                                                    static_cast<Eigen::Index>(a))));
    }
    CHECK(row == Approx(1.0).epsilon(1e-10));
  }
  CHECK(worst < 1e-10);
}

TEST_CASE("an invalid chain is refused") {
  AbsorbingChain leaky(1, 1);
  leaky.add_absorption(0, 0, 0.5);
  CHECK_THROWS_AS((void)leaky.solve(), std::invalid_argument);
  AbsorbingChain trap(2, 1);  // 1 loops to itself forever
  trap.add_transition(0, 1, 1.0);
  trap.add_transition(1, 1, 1.0);
  CHECK_THROWS_AS((void)trap.solve(), std::invalid_argument);
}
