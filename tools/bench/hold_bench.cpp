// The classic hold model: P pending events; each step pops the earliest and schedules one at
// now + Exp(1). Three implementations run the same work with the same random numbers.
#include <cstdio>
#include <functional>
#include <queue>
#include <vector>

#include "bench/benchmarks.hpp"
#include "sim/random_stream.hpp"
#include "sim/sampling.hpp"
#include "sim/simulator.hpp"

namespace chiptrail::bench {
namespace {

sim::Time exp_delay(sim::RandomStream& rs) {
  return sim::Time::ticks(static_cast<sim::Time::Rep>(sim::exponential(rs, kTicksPerUnit)));
}

struct CallbackHold {
  sim::Simulator simulator;
  sim::RandomStream rs;
  std::uint64_t remaining;

  void step() {
    if (--remaining == 0) simulator.stop();
    simulator.schedule_in(exp_delay(rs), [this] { step(); });
  }
};

double hold_callbacks(const HoldOptions& o, std::size_t& bytes_per_pending) {
  CallbackHold h{{}, sim::RandomStream({o.seed, 0, 1, 0}), o.events};
  for (std::uint64_t i = 0; i < o.pending; ++i) {
    h.simulator.schedule_in(exp_delay(h.rs), [&h] { h.step(); });
  }
  const auto start = std::chrono::steady_clock::now();
  h.simulator.run();
  const double s = seconds_since(start);
  bytes_per_pending = h.simulator.queue().bytes_reserved();
  return static_cast<double>(o.events) / s;
}

struct CoroutineHold {
  sim::Simulator simulator;
  sim::RandomStream rs;
  std::uint64_t remaining;
};

sim::Process holder(CoroutineHold& h) {
  for (;;) {
    co_await h.simulator.delay(exp_delay(h.rs));
    if (--h.remaining == 0) h.simulator.stop();
  }
}

double hold_coroutines(const HoldOptions& o) {
  // Warm-up (spawning and the first wake-ups) is excluded: the clock starts once every process
  // is waiting on its first delay.
  CoroutineHold h{{}, sim::RandomStream({o.seed, 0, 1, 0}), o.events + o.pending};
  for (std::uint64_t i = 0; i < o.pending; ++i) h.simulator.spawn("holder", holder(h));
  h.simulator.run_until(sim::Time::zero());
  h.remaining = o.events;
  const auto start = std::chrono::steady_clock::now();
  h.simulator.run();
  return static_cast<double>(o.events) / seconds_since(start);
}

double hold_raw_priority_queue(const HoldOptions& o) {
  struct Entry {
    sim::Time time;
    std::uint64_t seq;
    bool operator>(const Entry& other) const {
      return time > other.time || (time == other.time && seq > other.seq);
    }
  };
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> pq;
  sim::RandomStream rs({o.seed, 0, 1, 0});
  std::uint64_t seq = 0;
  for (std::uint64_t i = 0; i < o.pending; ++i) pq.push({exp_delay(rs), seq++});
  const auto start = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < o.events; ++i) {
    const sim::Time now = pq.top().time;
    pq.pop();
    pq.push({now + exp_delay(rs), seq++});
  }
  const double s = seconds_since(start);
  if (pq.size() != o.pending) std::fprintf(stderr, "raw loop lost events\n");
  return static_cast<double>(o.events) / s;
}

}  // namespace

void run_hold(const HoldOptions& o) {
  std::size_t bytes = 0;
  // Interleave and take the best of five so one noisy moment on a shared machine does not
  // decide the ratio.
  double raw = 0, callbacks = 0, coroutines = 0;
  for (int round = 0; round < 5; ++round) {
    raw = std::max(raw, hold_raw_priority_queue(o));
    callbacks = std::max(callbacks, hold_callbacks(o, bytes));
    coroutines = std::max(coroutines, hold_coroutines(o));
  }
  std::printf("benchmark=hold\npending=%llu\nevents=%llu\n",
              static_cast<unsigned long long>(o.pending),
              static_cast<unsigned long long>(o.events));
  std::printf("raw_pq_events_per_s=%.0f\nengine_events_per_s=%.0f\ncoroutine_events_per_s=%.0f\n",
              raw, callbacks, coroutines);
  std::printf("engine_vs_raw=%.3f\ncoroutine_vs_raw=%.3f\n", callbacks / raw, coroutines / raw);
  std::printf("engine_bytes_per_pending_event=%zu\n", bytes);
}

}  // namespace chiptrail::bench
