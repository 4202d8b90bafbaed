// Awaitable sub-coroutines (Task), interrupts, waits with a timeout and wait-any, and the tie
// rule of spawned processes.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/process.hpp"
#include "sim/signal.hpp"
#include "sim/simulator.hpp"
#include "sim/task.hpp"
#include "sim/wait_any.hpp"

using namespace chiptrail::sim;

namespace {

using Log = std::vector<std::pair<std::string, Time>>;

Task<int> inspect(Simulator& sim, int chips) {
  co_await sim.delay(Time::hours(2));
  co_return chips * 2;
}

Task<int> inspect_twice(Simulator& sim, int chips) {
  const int a = co_await inspect(sim, chips);
  const int b = co_await inspect(sim, a);
  co_return b;
}

Task<> fail_after(Simulator& sim, Time t) {
  co_await sim.delay(t);
  throw std::runtime_error("broken seal");
}

Process caller(Simulator& sim, Log& log, std::size_t& processes_seen) {
  const int x = co_await inspect_twice(sim, 3);
  processes_seen = sim.live_processes();
  log.emplace_back("result " + std::to_string(x), sim.now());
  try {
    co_await fail_after(sim, Time::hours(1));
  } catch (const std::runtime_error& e) {
    log.emplace_back(e.what(), sim.now());
  }
}

Process sleeper(Simulator& sim, Log& log, Time how_long) {
  bool interrupted = false;
  try {
    co_await sim.delay(how_long);
    log.emplace_back("woke", sim.now());
  } catch (const Interrupted&) {
    log.emplace_back("interrupted", sim.now());
    interrupted = true;
  }
  if (!interrupted) co_return;
  co_await sim.delay(Time::hours(1));  // the process goes on after the interrupt
  log.emplace_back("went on", sim.now());
}

Process in_task(Simulator& sim, Log& log) {
  try {
    co_await inspect(sim, 1);
    log.emplace_back("inspected", sim.now());
  } catch (const Interrupted&) {
    log.emplace_back("interrupted in task", sim.now());
  }
}

Process waiter(Simulator& sim, Signal& s, Log& log, std::string name) {
  try {
    co_await s;
    log.emplace_back(name + " fired", sim.now());
  } catch (const Interrupted&) {
    log.emplace_back(name + " interrupted", sim.now());
  }
}

Process patient(Simulator& sim, Signal& s, Log& log, Time timeout) {
  const bool fired = co_await s.wait_for(timeout);
  log.emplace_back(fired ? "fired" : "timed out", sim.now());
}

Process firer(Simulator& sim, Signal& s, Time at) {
  co_await sim.delay(at);
  s.fire();
}

WaitAny wait_for_any(Simulator& sim, Signal& a, Signal& b, const ProcessHandle& p, Time timeout) {
  return WaitAny(sim, {&a, &b}, {p}, timeout);
}

Process first_of(Simulator& sim, Signal& a, Signal& b, ProcessHandle p, Log& log, Time timeout) {
  // Built before the co_await: GCC 12 cannot keep a braced list's array in a coroutine frame.
  WaitAny any = wait_for_any(sim, a, b, p, timeout);
  const std::size_t which = co_await any;
  const std::string what =
      which == ProcessPromise::kTimedOut ? std::string("timeout") : std::to_string(which);
  log.emplace_back(what, sim.now());
}

Process note(Simulator& sim, Log& log, std::string name) {
  log.emplace_back(name, sim.now());
  co_return;
}

}  // namespace

TEST_CASE("a Task runs inside its process, returns its value, and passes on its exception") {
  Simulator sim;
  Log log;
  std::size_t processes = 0;
  sim.spawn("caller", caller(sim, log, processes));
  sim.run();
  REQUIRE(log.size() == 2);
  CHECK(log[0] == std::pair<std::string, Time>{"result 12", Time::hours(4)});
  CHECK(processes == 1);  // no process was spawned for the tasks
  CHECK(log[1] == std::pair<std::string, Time>{"broken seal", Time::hours(5)});
  CHECK(sim.live_processes() == 0);
}

TEST_CASE("interrupt ends a delay at once, cancels its timer, and the process may go on") {
  Simulator sim;
  Log log;
  const ProcessHandle p = sim.spawn("sleeper", sleeper(sim, log, Time::days(10)));
  sim.schedule_at(Time::days(1), [&] { CHECK(sim.interrupt(p)); });
  sim.run();
  REQUIRE(log.size() == 2);
  CHECK(log[0] == std::pair<std::string, Time>{"interrupted", Time::days(1)});
  CHECK(log[1] == std::pair<std::string, Time>{"went on", Time::days(1) + Time::hours(1)});
  CHECK(sim.now() == Time::days(1) + Time::hours(1));  // the ten-day timer never ran
  CHECK_FALSE(sim.interrupt(p));                       // finished
}

TEST_CASE("interrupt reaches a process through the Task it awaits") {
  Simulator sim;
  Log log;
  const ProcessHandle p = sim.spawn("in task", in_task(sim, log));
  sim.schedule_at(Time::hours(1), [&] { sim.interrupt(p); });
  sim.run();
  REQUIRE(log.size() == 1);
  CHECK(log[0] == std::pair<std::string, Time>{"interrupted in task", Time::hours(1)});
}

TEST_CASE("an interrupted signal waiter leaves the queue; the next fire wakes only the others") {
  Simulator sim;
  Signal s(sim);
  Log log;
  const ProcessHandle a = sim.spawn("a", waiter(sim, s, log, "a"));
  sim.spawn("b", waiter(sim, s, log, "b"));
  sim.schedule_at(Time::hours(1), [&] {
    CHECK(s.waiting() == 2);
    sim.interrupt(a);
    CHECK(s.waiting() == 1);
  });
  sim.schedule_at(Time::hours(2), [&] { s.fire(); });
  sim.run();
  REQUIRE(log.size() == 2);
  CHECK(log[0] == std::pair<std::string, Time>{"a interrupted", Time::hours(1)});
  CHECK(log[1] == std::pair<std::string, Time>{"b fired", Time::hours(2)});
}

TEST_CASE("wait_for: the signal within the time, or the timeout, whichever comes first") {
  Simulator sim;
  Signal s(sim);
  Log log;
  sim.spawn("quick", patient(sim, s, log, Time::hours(5)));
  sim.spawn("impatient", patient(sim, s, log, Time::hours(1)));
  sim.spawn("fire", firer(sim, s, Time::hours(3)));
  sim.run();
  REQUIRE(log.size() == 2);
  CHECK(log[0] == std::pair<std::string, Time>{"timed out", Time::hours(1)});
  CHECK(log[1] == std::pair<std::string, Time>{"fired", Time::hours(3)});
  CHECK(sim.now() == Time::hours(3));  // the five-hour timer was cancelled
  CHECK(s.waiting() == 0);
}

TEST_CASE("WaitAny: the first signal or process to end it, or the timeout, and only once") {
  for (const int scenario : {0, 1, 2, 3}) {
    CAPTURE(scenario);
    Simulator sim;
    Signal a(sim), b(sim);
    Log log;
    Log unused;
    const ProcessHandle slow =
        sim.spawn("slow", sleeper(sim, unused, scenario == 2 ? Time::hours(1) : Time::days(9)));
    sim.spawn("first of", first_of(sim, a, b, slow, log, Time::hours(6)));
    if (scenario == 0) sim.spawn("fire b", firer(sim, b, Time::hours(2)));
    if (scenario == 1) sim.spawn("fire a", firer(sim, a, Time::hours(3)));
    sim.spawn("fire a later", firer(sim, a, Time::hours(7)));
    sim.run_until(Time::days(1));
    REQUIRE(log.size() == 1);
    const std::pair<std::string, Time> want[] = {{"1", Time::hours(2)},
                                                 {"0", Time::hours(3)},
                                                 {"2", Time::hours(1)},
                                                 {"timeout", Time::hours(6)}};
    CHECK(log[0] == want[scenario]);
  }
}

TEST_CASE(
    "a spawned process runs after the events already due at its time (not first, as in "
    "SimPy)") {
  Simulator sim;
  Log log;
  sim.schedule_at(Time::zero(), [&] { log.emplace_back("event", sim.now()); });
  sim.spawn("process", note(sim, log, "process"));
  sim.schedule_at(Time::zero(), [&] { log.emplace_back("later event", sim.now()); });
  sim.run();
  REQUIRE(log.size() == 3);
  CHECK(log[0].first == "event");
  CHECK(log[1].first == "process");
  CHECK(log[2].first == "later event");
}
