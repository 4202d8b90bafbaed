// PHOLD as ROSS defines it: one event per logical process (LP) in flight; on each event the LP
// sends the next one to a uniformly chosen LP with probability remote_fraction, else to itself,
// at now + lookahead (1) + Exp(1). Each LP has its own random stream, as ROSS's LPs do.
#include <algorithm>
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

struct Phold {
  sim::Simulator simulator;
  std::vector<sim::RandomStream> streams;
  double remote_fraction;

  sim::Time next_delay(sim::RandomStream& rs) {
    return sim::Time::ticks(
        static_cast<sim::Time::Rep>(kTicksPerUnit + sim::exponential(rs, kTicksPerUnit)));
  }

  void handle(std::uint32_t lp) {
    sim::RandomStream& rs = streams[lp];
    std::uint32_t dest = lp;
    if (sim::bernoulli(rs, remote_fraction)) {
      dest = static_cast<std::uint32_t>(rs.uniform01() * static_cast<double>(streams.size()));
    }
    simulator.schedule_in(next_delay(rs), [this, dest] { handle(dest); });
  }
};

// One PHOLD run on the engine: events per second.
double phold_engine(const PholdOptions& o, std::uint64_t& events) {
  Phold p{{}, {}, o.remote_fraction};
  p.streams.reserve(o.lps);
  for (std::uint64_t i = 0; i < o.lps; ++i)
    p.streams.emplace_back(sim::StreamAddress{o.seed, 0, 2, i});
  for (std::uint32_t lp = 0; lp < o.lps; ++lp) {
    p.simulator.schedule_in(p.next_delay(p.streams[lp]), [&p, lp] { p.handle(lp); });
  }
  const auto start = std::chrono::steady_clock::now();
  p.simulator.run_until(sim::Time::ticks(static_cast<sim::Time::Rep>(o.end * kTicksPerUnit)));
  const double s = seconds_since(start);
  events = p.simulator.events_processed();
  return static_cast<double>(events) / s;
}

// The same work as a textbook loop over a std::priority_queue of (time, sequence, LP): the
// in-process reference the engine's rate is read against.
double phold_raw(const PholdOptions& o) {
  struct Entry {
    sim::Time time;
    std::uint64_t seq;
    std::uint32_t lp;
    bool operator>(const Entry& other) const {
      return time > other.time || (time == other.time && seq > other.seq);
    }
  };
  Phold p{{}, {}, o.remote_fraction};  // its streams and delays; not its simulator
  p.streams.reserve(o.lps);
  for (std::uint64_t i = 0; i < o.lps; ++i)
    p.streams.emplace_back(sim::StreamAddress{o.seed, 0, 2, i});
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> pq;
  std::uint64_t seq = 0;
  for (std::uint32_t lp = 0; lp < o.lps; ++lp) pq.push({p.next_delay(p.streams[lp]), seq++, lp});
  const sim::Time end = sim::Time::ticks(static_cast<sim::Time::Rep>(o.end * kTicksPerUnit));
  std::uint64_t events = 0;
  const auto start = std::chrono::steady_clock::now();
  while (!pq.empty() && pq.top().time <= end) {
    const Entry e = pq.top();
    pq.pop();
    ++events;
    sim::RandomStream& rs = p.streams[e.lp];
    std::uint32_t dest = e.lp;
    if (sim::bernoulli(rs, p.remote_fraction)) {
      dest = static_cast<std::uint32_t>(rs.uniform01() * static_cast<double>(p.streams.size()));
    }
    pq.push({e.time + p.next_delay(rs), seq++, dest});
  }
  return static_cast<double>(events) / seconds_since(start);
}

}  // namespace

void run_phold(const PholdOptions& o) {
  // Best of five interleaved rounds, as the hold benchmark: the machines are shared and noisy.
  double engine = 0, raw = 0;
  std::uint64_t events = 0;
  for (int round = 0; round < 5; ++round) {
    engine = std::max(engine, phold_engine(o, events));
    raw = std::max(raw, phold_raw(o));
  }
  std::printf("benchmark=phold\nlps=%llu\nend=%g\nevents=%llu\nevents_per_s=%.0f\n",
              static_cast<unsigned long long>(o.lps), o.end,
              static_cast<unsigned long long>(events), engine);
  std::printf("raw_pq_events_per_s=%.0f\nengine_vs_raw=%.3f\n", raw, engine / raw);
}

}  // namespace chiptrail::bench
