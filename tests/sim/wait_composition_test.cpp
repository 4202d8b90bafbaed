// Waits composed at random (delays, signal waits with and without a timeout, wait-any,
// interrupts), against a reference interpreter that knows only what each wait means: it ends
// at the first of the things it waits for that happens after it began, and nothing that
// belonged to an earlier wait may end it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sim/process.hpp"
#include "sim/signal.hpp"
#include "sim/simulator.hpp"
#include "sim/wait_any.hpp"

using namespace chiptrail::sim;

namespace {

enum class Kind { kDelay, kWait, kWaitFor, kWaitAny };

struct Op {
  Kind kind = Kind::kDelay;
  std::int64_t length = 0;           // a delay's, or a timeout's (kWaitFor, kWaitAny)
  std::vector<std::size_t> signals;  // kWait and kWaitFor: one; kWaitAny: one or more
};

// How a wait ended: at `at`, by `how` ("woke", "timeout", "interrupted", "signal <i>").
struct Outcome {
  std::int64_t at = 0;
  std::string how;
  bool operator==(const Outcome&) const = default;
};

struct Program {
  std::vector<std::vector<Op>> ops;                   // by process
  std::vector<std::vector<std::int64_t>> fires;       // by signal, sorted
  std::vector<std::vector<std::int64_t>> interrupts;  // by process, sorted
};

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// Times drawn from a range this wide never coincide in practice, so no tie rule is needed.
constexpr std::int64_t kSpan = 1'000'000'000;

Program random_program(std::mt19937_64& rng) {
  const auto below = [&](std::uint64_t n) { return static_cast<std::int64_t>(rng() % n); };
  Program p;
  const std::size_t signals = 3, processes = 4;
  p.fires.resize(signals);
  for (auto& f : p.fires) {
    for (int k = 0; k < 6; ++k) f.push_back(1 + below(3 * kSpan));
    std::sort(f.begin(), f.end());
  }
  p.ops.resize(processes);
  p.interrupts.resize(processes);
  for (std::size_t i = 0; i < processes; ++i) {
    for (int k = 0; k < 2; ++k) p.interrupts[i].push_back(1 + below(3 * kSpan));
    std::sort(p.interrupts[i].begin(), p.interrupts[i].end());
    for (int k = 0; k < 10; ++k) {
      Op op;
      op.kind = static_cast<Kind>(below(4));
      op.length = 1 + below(kSpan / 4);
      if (op.kind == Kind::kWaitAny) {
        for (std::size_t s = 0; s < signals; ++s) {
          if (below(2) == 0) op.signals.push_back(s);
        }
        if (op.signals.empty()) op.signals.push_back(static_cast<std::size_t>(below(signals)));
      } else if (op.kind != Kind::kDelay) {
        op.signals.push_back(static_cast<std::size_t>(below(signals)));
      }
      p.ops[i].push_back(op);
    }
  }
  return p;
}

std::int64_t first_after(const std::vector<std::int64_t>& times, std::int64_t t) {
  const auto it = std::upper_bound(times.begin(), times.end(), t);
  return it == times.end() ? kNever : *it;
}

// What each wait of process `i` should give: the earliest of its ends after it began.
std::vector<Outcome> reference(const Program& p, std::size_t i) {
  std::vector<Outcome> out;
  std::int64_t t = 0;
  for (const Op& op : p.ops[i]) {
    Outcome best{kNever, ""};
    const auto consider = [&](std::int64_t at, std::string how) {
      if (at < best.at) best = {at, std::move(how)};
    };
    consider(first_after(p.interrupts[i], t), "interrupted");
    if (op.kind == Kind::kDelay) consider(t + op.length, "woke");
    if (op.kind == Kind::kWaitFor || op.kind == Kind::kWaitAny) consider(t + op.length, "timeout");
    for (std::size_t k = 0; k < op.signals.size(); ++k) {
      consider(first_after(p.fires[op.signals[k]], t), "signal " + std::to_string(k));
    }
    if (best.at == kNever) break;  // waits for ever
    out.push_back(best);
    t = best.at;
  }
  return out;
}

Process run_ops(Simulator& sim, std::vector<Signal*> signals, const std::vector<Op>& ops,
                std::vector<Outcome>& log) {
  for (const Op& op : ops) {
    std::string how;
    try {
      switch (op.kind) {
        case Kind::kDelay:
          co_await sim.delay(Time::ticks(op.length));
          how = "woke";
          break;
        case Kind::kWait:
          co_await *signals[op.signals[0]];
          how = "signal 0";
          break;
        case Kind::kWaitFor: {
          const bool fired = co_await signals[op.signals[0]]->wait_for(Time::ticks(op.length));
          how = fired ? "signal 0" : "timeout";
          break;
        }
        case Kind::kWaitAny: {
          std::vector<Signal*> any;
          for (const std::size_t s : op.signals) any.push_back(signals[s]);
          WaitAny wait(sim, std::move(any), {}, Time::ticks(op.length));
          const std::size_t which = co_await wait;
          how = which == ProcessPromise::kTimedOut ? "timeout" : "signal " + std::to_string(which);
          break;
        }
      }
    } catch (const Interrupted&) {
      how = "interrupted";
    }
    log.push_back({sim.now().count(), how});
  }
}

}  // namespace

TEST_CASE("waits composed at random end as a reference interpreter says, and only then") {
  std::mt19937_64 rng(20261207);
  for (int trial = 0; trial < 300; ++trial) {
    CAPTURE(trial);
    const Program p = random_program(rng);
    Simulator sim;
    std::vector<std::unique_ptr<Signal>> owned;
    std::vector<Signal*> signals;
    for (std::size_t s = 0; s < p.fires.size(); ++s) {
      owned.push_back(std::make_unique<Signal>(sim));
      signals.push_back(owned.back().get());
      for (const std::int64_t at : p.fires[s]) {
        sim.schedule_at(Time::ticks(at), [&signals, s] { signals[s]->fire(); });
      }
    }
    std::vector<std::vector<Outcome>> logs(p.ops.size());
    std::vector<ProcessHandle> handles;
    for (std::size_t i = 0; i < p.ops.size(); ++i) {
      handles.push_back(
          sim.spawn("p" + std::to_string(i), run_ops(sim, signals, p.ops[i], logs[i])));
    }
    for (std::size_t i = 0; i < p.ops.size(); ++i) {
      for (const std::int64_t at : p.interrupts[i]) {
        sim.schedule_at(Time::ticks(at), [&sim, &handles, i] { sim.interrupt(handles[i]); });
      }
    }
    sim.run();
    for (std::size_t i = 0; i < p.ops.size(); ++i) {
      CAPTURE(i);
      const std::vector<Outcome> want = reference(p, i);
      REQUIRE(logs[i].size() == want.size());
      for (std::size_t k = 0; k < want.size(); ++k) {
        CAPTURE(k);
        CHECK(logs[i][k].at == want[k].at);
        CHECK(logs[i][k].how == want[k].how);
      }
    }
    // The only waits still registered are those that never end (a plain signal wait with no
    // fire or interrupt left): one per process that stopped short of its last operation.
    std::size_t blocked = 0, waiting = 0;
    for (std::size_t i = 0; i < p.ops.size(); ++i) blocked += logs[i].size() < p.ops[i].size();
    for (const Signal* s : signals) waiting += s->waiting();
    CHECK(waiting == blocked);
  }
}

TEST_CASE("a wait that timed out leaves nothing that ends a later delay") {
  // The case that failed: wait_for times out on day 1, then a ten-day delay; the signal fires
  // on day 3. The delay must end on day 11.
  Simulator sim;
  Signal s(sim);
  std::vector<Outcome> log;
  const std::vector<Op> ops{{Kind::kWaitFor, Time::days(1).count(), {0}},
                            {Kind::kDelay, Time::days(10).count(), {}}};
  sim.spawn("p", run_ops(sim, {&s}, ops, log));
  sim.schedule_at(Time::days(3), [&s] { s.fire(); });
  sim.run();
  REQUIRE(log.size() == 2);
  CHECK(log[0] == Outcome{Time::days(1).count(), "timeout"});
  CHECK(log[1] == Outcome{Time::days(11).count(), "woke"});
  CHECK(s.registrations() == 0);  // the timed-out wait's registration went with it
}

TEST_CASE("wait-any cancels the losers: the signals that did not end it hold nothing") {
  Simulator sim;
  Signal a(sim), b(sim);
  std::vector<Outcome> log;
  const std::vector<Op> ops{{Kind::kWaitAny, Time::days(5).count(), {0, 1}}};
  sim.spawn("p", run_ops(sim, {&a, &b}, ops, log));
  sim.schedule_at(Time::days(1), [&a] { a.fire(); });
  sim.run();
  REQUIRE(log.size() == 1);
  CHECK(log[0] == Outcome{Time::days(1).count(), "signal 0"});
  CHECK(b.registrations() == 0);
}
