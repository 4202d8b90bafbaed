// PHOLD as ROSS defines it: one event per logical process (LP) in flight; on each event the LP
// sends the next one to a uniformly chosen LP with probability remote_fraction, else to itself,
// at now + lookahead (1) + Exp(1). Each LP has its own random stream, as ROSS's LPs do.
#include <cstdio>
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

}  // namespace

void run_phold(const PholdOptions& o) {
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
  const auto events = p.simulator.events_processed();
  std::printf("benchmark=phold\nlps=%llu\nend=%g\nevents=%llu\nseconds=%.3f\nevents_per_s=%.0f\n",
              static_cast<unsigned long long>(o.lps), o.end,
              static_cast<unsigned long long>(events), s, static_cast<double>(events) / s);
}

}  // namespace chiptrail::bench
