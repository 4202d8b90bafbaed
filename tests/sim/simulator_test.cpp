#include "sim/simulator.hpp"

#include <doctest/doctest.h>

#include <functional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "sim/random_stream.hpp"
#include "sim/sampling.hpp"

using chiptrail::sim::RandomStream;
using chiptrail::sim::Simulator;
using chiptrail::sim::Time;

TEST_CASE("the clock follows the events; schedule_in is relative to now") {
  Simulator sim;
  std::vector<std::pair<Time, int>> seen;
  sim.schedule_at(Time::hours(2), [&] {
    seen.emplace_back(sim.now(), 1);
    sim.schedule_in(Time::hours(1), [&] { seen.emplace_back(sim.now(), 3); });
  });
  sim.schedule_in(Time::hours(2), [&] { seen.emplace_back(sim.now(), 2); });
  sim.run();
  CHECK(seen == std::vector<std::pair<Time, int>>{
                    {Time::hours(2), 1}, {Time::hours(2), 2}, {Time::hours(3), 3}});
  CHECK(sim.now() == Time::hours(3));
  CHECK(sim.events_processed() == 3);
  CHECK(sim.pending_events() == 0);
}

TEST_CASE("an event scheduled for now runs after the events already due now") {
  Simulator sim;
  std::vector<int> order;
  sim.schedule_at(Time::seconds(1), [&] {
    order.push_back(1);
    sim.schedule_in(Time::zero(), [&] { order.push_back(3); });
  });
  sim.schedule_at(Time::seconds(1), [&] { order.push_back(2); });
  sim.run();
  CHECK(order == std::vector<int>{1, 2, 3});
}

TEST_CASE("scheduling in the past is refused") {
  Simulator sim;
  sim.schedule_at(Time::hours(5), [] {});
  sim.run();
  CHECK_THROWS_AS(sim.schedule_at(Time::hours(4), [] {}), std::invalid_argument);
  CHECK_THROWS_AS(sim.schedule_in(Time::seconds(-1), [] {}), std::invalid_argument);
  CHECK_THROWS_AS(sim.run_until(Time::hours(1)), std::invalid_argument);
}

TEST_CASE("run_until runs events at the boundary, not after it, and moves the clock to it") {
  Simulator sim;
  std::vector<int> ran;
  sim.schedule_at(Time::hours(1), [&] { ran.push_back(1); });
  sim.schedule_at(Time::hours(2), [&] {
    ran.push_back(2);
    sim.schedule_in(Time::zero(), [&] { ran.push_back(22); });  // also at the boundary
  });
  sim.schedule_at(Time::hours(2) + Time::seconds(1), [&] { ran.push_back(3); });
  sim.run_until(Time::hours(2));
  CHECK(ran == std::vector<int>{1, 2, 22});
  CHECK(sim.now() == Time::hours(2));
  CHECK(sim.pending_events() == 1);
  sim.run_until(Time::hours(10));
  CHECK(ran.back() == 3);
  CHECK(sim.now() == Time::hours(10));
  sim.run_until(Time::hours(10));  // an empty window is fine
}

TEST_CASE("stop ends the run after the current event; run resumes where it stopped") {
  Simulator sim;
  std::vector<int> ran;
  for (int i = 1; i <= 5; ++i) {
    sim.schedule_at(Time::seconds(i), [&, i] {
      ran.push_back(i);
      if (i == 2) sim.stop();
    });
  }
  sim.run();
  CHECK(ran == std::vector<int>{1, 2});
  CHECK(sim.now() == Time::seconds(2));
  sim.run();
  CHECK(ran.size() == 5);
}

TEST_CASE("a simulator's cancel reaches its queue") {
  Simulator sim;
  bool ran = false;
  auto h = sim.schedule_in(Time::days(1), [&] { ran = true; });
  CHECK(sim.cancel(h));
  sim.run();
  CHECK_FALSE(ran);
}

TEST_CASE("run is not re-entrant") {
  Simulator sim;
  sim.schedule_in(Time::zero(), [&] { sim.run(); });
  CHECK_THROWS_AS(sim.run(), std::logic_error);
}

namespace {
// A small self-exciting model with randomness; returns its trace as (time, event) pairs.
std::vector<std::int64_t> busy_model(std::uint64_t seed) {
  Simulator sim;
  RandomStream rs({seed, 0, 7, 0});
  std::vector<std::int64_t> trace;
  std::function<void()> tick = [&] {
    trace.push_back(sim.now().count());
    if (trace.size() < 20000) {
      sim.schedule_in(Time::from_seconds(chiptrail::sim::exponential(rs, 100.0)), tick);
      if (chiptrail::sim::bernoulli(rs, 0.1)) sim.schedule_in(Time::seconds(1), [] {});
    }
  };
  sim.schedule_in(Time::zero(), tick);
  sim.run();
  return trace;
}
}  // namespace

TEST_CASE("two simulators on two threads do not affect each other") {
  const auto expected_a = busy_model(1);
  const auto expected_b = busy_model(2);
  REQUIRE(expected_a != expected_b);
  std::vector<std::int64_t> a, b;
  std::thread ta([&] { a = busy_model(1); });
  std::thread tb([&] { b = busy_model(2); });
  ta.join();
  tb.join();
  CHECK(a == expected_a);
  CHECK(b == expected_b);
}

TEST_CASE("the watchdog runs every n events and may stop the run by throwing") {
  Simulator sim;
  int events = 0;
  std::function<void()> tick = [&] {
    ++events;
    sim.schedule_in(chiptrail::sim::Time::seconds(1), [&] { tick(); });
  };
  sim.schedule_in(chiptrail::sim::Time::zero(), [&] { tick(); });
  int checks = 0;
  sim.set_watchdog(10, [&] {
    ++checks;
    if (checks == 3) throw std::runtime_error("enough");
  });
  CHECK_THROWS_WITH_AS(sim.run(), "enough", std::runtime_error);
  CHECK(events == 30);
  CHECK(checks == 3);
}
