#include "sim/analysis/designs.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>

using namespace chiptrail::sim;

TEST_CASE("full factorial: every combination, last factor fastest") {
  const auto d = full_factorial({2, 3});
  REQUIRE(d.size() == 6);
  CHECK(d[0].coordinates == std::vector<double>{0, 0});
  CHECK(d[1].coordinates == std::vector<double>{0, 1});
  CHECK(d[3].coordinates == std::vector<double>{1, 0});
  CHECK(d[5].coordinates == std::vector<double>{1, 2});
}

TEST_CASE("simplex lattice: every split into multiples of 1/d, each summing to 1") {
  // Compositions of d into k parts: C(d + k - 1, k - 1). d = 4, k = 3: C(6, 2) = 15.
  const auto d = simplex_lattice(3, 4);
  REQUIRE(d.size() == 15);
  std::set<std::vector<double>> distinct;
  for (const DesignPoint& p : d) {
    double sum = 0;
    for (const double c : p.coordinates) {
      CHECK(c >= 0);
      CHECK(std::fmod(c * 4, 1.0) == 0.0);
      sum += c;
    }
    CHECK(sum == doctest::Approx(1.0));
    distinct.insert(p.coordinates);
  }
  CHECK(distinct.size() == 15);
  CHECK(d.front().coordinates == std::vector<double>{0, 0, 1});
  CHECK(d.back().coordinates == std::vector<double>{1, 0, 0});
  CHECK(simplex_lattice(1, 5).size() == 1);
  CHECK_THROWS(simplex_lattice(0, 5));
}

TEST_CASE("Latin hypercube: each factor visits each of the n strata exactly once") {
  const std::size_t n = 50, k = 4;
  const auto d = latin_hypercube(k, n, 7);
  REQUIRE(d.size() == n);
  for (std::size_t f = 0; f < k; ++f) {
    std::set<std::size_t> strata;
    for (const auto& p : d) {
      CHECK(p.coordinates[f] >= 0.0);
      CHECK(p.coordinates[f] < 1.0);
      strata.insert(static_cast<std::size_t>(p.coordinates[f] * n));
    }
    CHECK(strata.size() == n);
  }
  CHECK(latin_hypercube(k, n, 7)[3].coordinates == d[3].coordinates);  // deterministic
  CHECK(latin_hypercube(k, n, 8)[3].coordinates != d[3].coordinates);
}

TEST_CASE("Saltelli: A, B, AB_i per sample, AB_i = A with coordinate i from B") {
  const std::size_t k = 3, n = 4;
  const auto d = saltelli(k, n, 1);
  REQUIRE(d.size() == n * (k + 2));
  for (std::size_t j = 0; j < n; ++j) {
    const auto& a = d[j * (k + 2)];
    const auto& b = d[j * (k + 2) + 1];
    CHECK(a.role == "A");
    CHECK(b.role == "B");
    for (std::size_t i = 0; i < k; ++i) {
      const auto& ab = d[j * (k + 2) + 2 + i];
      CHECK(ab.role == "AB" + std::to_string(i + 1));
      for (std::size_t c = 0; c < k; ++c)
        CHECK(ab.coordinates[c] == (c == i ? b : a).coordinates[c]);
    }
  }
}

TEST_CASE("Morris: each step moves exactly one factor by delta, staying in [0, 1]") {
  const std::size_t k = 5, r = 6, levels = 4;
  const double delta = 4.0 / 6.0;
  const auto d = morris(k, r, levels, 3);
  REQUIRE(d.size() == r * (k + 1));
  for (std::size_t t = 0; t < r; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t s = 1; s <= k; ++s) {
      const auto& before = d[t * (k + 1) + s - 1].coordinates;
      const auto& after = d[t * (k + 1) + s].coordinates;
      std::size_t changes = 0;
      for (std::size_t f = 0; f < k; ++f) {
        CHECK(after[f] >= -1e-12);
        CHECK(after[f] <= 1 + 1e-12);
        if (after[f] != before[f]) {
          ++changes;
          moved.insert(f);
          CHECK(std::abs(std::abs(after[f] - before[f]) - delta) < 1e-12);
        }
      }
      CHECK(changes == 1);
    }
    CHECK(moved.size() == k);  // every factor moves once per trajectory
  }
}

TEST_CASE("Saltelli: the base samples are a Sobol' net: one point in every 1/n of each axis") {
  // With n = 2^m base samples, each coordinate of A and of B takes exactly one value in every
  // interval [i / n, (i + 1) / n): pseudo-random points leave a third of them empty. The
  // digital shift keeps that and differs by seed.
  const std::size_t k = 4, n = 1024;
  const auto d = saltelli(k, n, 3);
  for (std::size_t role = 0; role < 2; ++role) {
    for (std::size_t c = 0; c < k; ++c) {
      std::vector<int> hits(n, 0);
      for (std::size_t j = 0; j < n; ++j) {
        const double x = d[j * (k + 2) + role].coordinates[c];
        REQUIRE(x > 0);
        REQUIRE(x < 1);
        ++hits[static_cast<std::size_t>(x * static_cast<double>(n))];
      }
      CAPTURE(role);
      CAPTURE(c);
      CHECK(std::count(hits.begin(), hits.end(), 1) == static_cast<long>(n));
    }
  }
  CHECK(saltelli(k, n, 4)[0].coordinates != d[0].coordinates);
  CHECK(default_saltelli_samples(1) == 64);
  CHECK(default_saltelli_samples(6) == 256);
}
