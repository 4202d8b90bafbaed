#include "sim/analysis/thread_pool.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <numeric>
#include <stdexcept>
#include <vector>

using namespace chiptrail::sim;

TEST_CASE("run_on_threads hands every result over once, whatever the thread count") {
  std::vector<std::uint64_t> ids(500);
  std::iota(ids.begin(), ids.end(), 0);
  for (const unsigned threads : {1U, 2U, 4U}) {
    std::map<std::uint64_t, std::uint64_t> got;
    const std::size_t done = run_on_threads(
        ids, threads, [](std::uint64_t id) { return id * id; },
        [&](std::uint64_t id, std::uint64_t v) { CHECK(got.emplace(id, v).second); },
        [] { return false; });
    CHECK(done == ids.size());
    REQUIRE(got.size() == ids.size());
    for (const auto& [id, v] : got) CHECK(v == id * id);
  }
}

TEST_CASE("run_on_threads rethrows the lowest failing id, and stops when asked") {
  std::vector<std::uint64_t> ids(200);
  std::iota(ids.begin(), ids.end(), 0);
  try {
    run_on_threads(
        ids, 4,
        [](std::uint64_t id) {
          if (id == 37 || id == 150) throw std::runtime_error(std::to_string(id));
          return id;
        },
        [](std::uint64_t, std::uint64_t) {}, [] { return false; });
    FAIL("expected a failure");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "37");
  }
  std::atomic<int> seen{0};
  const std::size_t done = run_on_threads(
      ids, 2, [](std::uint64_t id) { return id; }, [&](std::uint64_t, std::uint64_t) { ++seen; },
      [&] { return seen.load() >= 10; });
  CHECK(done < ids.size());
  CHECK(done >= 10);
}
