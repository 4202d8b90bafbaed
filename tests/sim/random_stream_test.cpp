#include "sim/random_stream.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using chiptrail::sim::RandomStream;
using chiptrail::sim::stream_key;
using chiptrail::sim::StreamAddress;

TEST_CASE("Philox4x64-10 matches Random123's known-answer vector") {
  // kat_vectors: philox4x64 10, counter 0 0 0 0, key 0 0.
  const StreamAddress zero{0, 0, 0, 0};
  CHECK(RandomStream::at(zero, 0) == 0x16554d9eca36314cULL);
  CHECK(RandomStream::at(zero, 1) == 0xdb20fe9d672d0fdcULL);
  CHECK(RandomStream::at(zero, 2) == 0xd7e772cee186176bULL);
  CHECK(RandomStream::at(zero, 3) == 0x7e68b68aec7ba23bULL);
}

TEST_CASE("the same address gives the same numbers, computed in any order") {
  const StreamAddress a{2026, 3, stream_key("customs"), 17};
  RandomStream s1(a), s2(a);
  std::vector<std::uint64_t> seq;
  for (int i = 0; i < 11; ++i) seq.push_back(s1.next_u64());
  for (int i = 0; i < 11; ++i) CHECK(s2.next_u64() == seq[static_cast<std::size_t>(i)]);
  for (std::uint64_t i = 11; i-- > 0;) CHECK(RandomStream::at(a, i) == seq[i]);
  CHECK(s1.draw_index() == 11);
}

TEST_CASE("each address component selects a different stream") {
  const StreamAddress base{1, 2, 3, 4};
  const std::uint64_t x = RandomStream::at(base, 0);
  CHECK(RandomStream::at({9, 2, 3, 4}, 0) != x);
  CHECK(RandomStream::at({1, 9, 3, 4}, 0) != x);
  CHECK(RandomStream::at({1, 2, 9, 4}, 0) != x);
  CHECK(RandomStream::at({1, 2, 3, 9}, 0) != x);
  CHECK(RandomStream::at(base, 1) != x);
}

TEST_CASE("drawing from one stream leaves the others unchanged") {
  const StreamAddress customs{7, 0, stream_key("customs"), 0};
  const StreamAddress transit{7, 0, stream_key("transit"), 0};
  // Alone.
  RandomStream alone(transit);
  std::vector<double> expected;
  for (int i = 0; i < 100; ++i) expected.push_back(alone.uniform01());
  // Interleaved with heavy use of another stream, as when a policy is added to a scenario.
  RandomStream c(customs), t(transit);
  for (int i = 0; i < 100; ++i) {
    for (int k = 0; k < i % 5; ++k) (void)c.uniform01();
    CHECK(t.uniform01() == expected[static_cast<std::size_t>(i)]);
  }
}

TEST_CASE("stream keys are stable FNV-1a hashes") {
  static_assert(stream_key("") == 0xcbf29ce484222325ULL);
  CHECK(stream_key("a") == 0xaf63dc4c8601ec8cULL);  // published FNV-1a 64 test vector
  CHECK(stream_key("customs") != stream_key("transit"));
}

TEST_CASE("uniform01 stays strictly inside (0, 1), even at the extreme bit patterns") {
  CHECK(RandomStream::to_open_unit(0) > 0.0);
  CHECK(RandomStream::to_open_unit(UINT64_MAX) < 1.0);
  RandomStream rs({5, 0, 0, 0});
  double lo = 1, hi = 0, sum = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double u = rs.uniform01();
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    sum += u;
  }
  CHECK(lo > 0.0);
  CHECK(hi < 1.0);
  // Mean of U(0,1): sd of the mean is sqrt(1/12/n) ~ 0.00091; 5 sd.
  CHECK(std::abs(sum / n - 0.5) < 5 * 0.00091);
}
