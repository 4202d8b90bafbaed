#include "sim/process.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/signal.hpp"
#include "sim/simulator.hpp"

using chiptrail::sim::Process;
using chiptrail::sim::ProcessError;
using chiptrail::sim::ProcessHandle;
using chiptrail::sim::Signal;
using chiptrail::sim::Simulator;
using chiptrail::sim::Time;

namespace {

using Log = std::vector<std::pair<std::string, Time>>;

Process walker(Simulator& sim, Log& log, std::string name, Time step, int steps) {
  for (int i = 0; i < steps; ++i) {
    co_await sim.delay(step);
    log.emplace_back(name, sim.now());
  }
}

Process parent(Simulator& sim, Log& log) {
  log.emplace_back("parent starts", sim.now());
  ProcessHandle child = sim.spawn("child", walker(sim, log, "child", Time::hours(1), 3));
  co_await child;
  log.emplace_back("parent resumes", sim.now());
  co_await child;  // already finished: no wait
  log.emplace_back("parent again", sim.now());
}

Process waiter(Simulator& sim, Signal& signal, Log& log, std::string name) {
  co_await signal;
  log.emplace_back(name, sim.now());
}

Process thrower(Simulator& sim) {
  co_await sim.delay(Time::days(2));
  throw std::runtime_error("customs computer down");
}

// Counts live instances, to check that coroutine frames are destroyed.
struct Tracked {
  int& live;
  explicit Tracked(int& l) : live(l) { ++live; }
  ~Tracked() { --live; }
};

Process forever(Simulator& sim, Signal& never, int& live) {
  Tracked t(live);
  co_await sim.delay(Time::hours(1));
  co_await never;
}

}  // namespace

TEST_CASE("a process waits for simulated time in sequence") {
  Simulator sim;
  Log log;
  ProcessHandle h = sim.spawn("w", walker(sim, log, "w", Time::hours(2), 3));
  CHECK_FALSE(h.done());
  CHECK(h.name() == "w");
  sim.run();
  CHECK(h.done());
  CHECK(log == Log{{"w", Time::hours(2)}, {"w", Time::hours(4)}, {"w", Time::hours(6)}});
  CHECK(sim.live_processes() == 0);
}

TEST_CASE("processes interleave by time and, at equal times, by scheduling order") {
  Simulator sim;
  Log log;
  sim.spawn("a", walker(sim, log, "a", Time::hours(2), 2));
  sim.spawn("b", walker(sim, log, "b", Time::hours(1), 4));
  sim.run();
  CHECK(log == Log{{"b", Time::hours(1)},
                   {"a", Time::hours(2)},
                   {"b", Time::hours(2)},
                   {"b", Time::hours(3)},
                   {"a", Time::hours(4)},
                   {"b", Time::hours(4)}});
}

TEST_CASE("a process can spawn a child and wait for it to finish") {
  Simulator sim;
  Log log;
  sim.spawn("parent", parent(sim, log));
  sim.run();
  CHECK(log == Log{{"parent starts", Time::zero()},
                   {"child", Time::hours(1)},
                   {"child", Time::hours(2)},
                   {"child", Time::hours(3)},
                   {"parent resumes", Time::hours(3)},
                   {"parent again", Time::hours(3)}});
}

TEST_CASE("a signal wakes the processes waiting when it fires, in the order they waited") {
  Simulator sim;
  Signal signal(sim);
  Log log;
  sim.spawn("first", waiter(sim, signal, log, "first"));
  sim.spawn("second", waiter(sim, signal, log, "second"));
  sim.schedule_at(Time::hours(5), [&] {
    CHECK(signal.waiting() == 2);
    signal.fire();
    sim.spawn("late", waiter(sim, signal, log, "late"));  // waits for the next fire
  });
  sim.run();
  CHECK(log == Log{{"first", Time::hours(5)}, {"second", Time::hours(5)}});
  CHECK(signal.waiting() == 1);
  sim.schedule_in(Time::hours(1), [&] { signal.fire(); });
  sim.run();
  CHECK(log.back() == std::pair<std::string, Time>{"late", Time::hours(6)});
}

TEST_CASE("an exception in a process surfaces from run with the process's name") {
  Simulator sim;
  sim.spawn("inspector-7", thrower(sim));
  try {
    sim.run();
    FAIL("run should have thrown");
  } catch (const ProcessError& e) {
    CHECK(e.process_name() == "inspector-7");
    const std::string what = e.what();
    CHECK(what.find("inspector-7") != std::string::npos);
    CHECK(what.find("customs computer down") != std::string::npos);
    CHECK(what.find("2d 00:00:00") != std::string::npos);
    CHECK_THROWS_AS(std::rethrow_exception(e.cause()), std::runtime_error);
  }
  CHECK(sim.live_processes() == 0);
}

TEST_CASE("frames of unfinished or unspawned processes are destroyed") {
  int live = 0;
  {
    Simulator sim;
    Signal never(sim);
    for (int i = 0; i < 10; ++i) sim.spawn("stuck", forever(sim, never, live));
    sim.run();
    CHECK(live == 10);
    CHECK(sim.live_processes() == 10);
    {
      Process unspawned = forever(sim, never, live);  // not started: body has not run
      CHECK(live == 10);
    }
  }
  CHECK(live == 0);
}

TEST_CASE("processes pending at a run_until boundary resume in the next run") {
  Simulator sim;
  Log log;
  sim.spawn("w", walker(sim, log, "w", Time::days(1), 5));
  sim.run_until(Time::days(2) + Time::hours(12));
  CHECK(log.size() == 2);
  sim.run();
  CHECK(log.size() == 5);
  CHECK_THROWS_AS((void)sim.delay(Time::seconds(-1)), std::invalid_argument);
}

namespace {
Process stopper(Simulator& sim) {
  co_await sim.delay(Time::hours(3));
  throw chiptrail::sim::RunStopped("too large");
}
}  // namespace

TEST_CASE("RunStopped ends the run as itself, not wrapped as a process's fault") {
  Simulator sim;
  sim.spawn("guarded", stopper(sim));
  CHECK_THROWS_AS(sim.run(), chiptrail::sim::RunStopped);
  CHECK(sim.now() == Time::hours(3));
}
