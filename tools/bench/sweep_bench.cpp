// Sweep throughput with 1 and 2 worker threads, on the executor the sweep command uses
// (sim::run_on_threads over independent replications). The ratio is what matters on shared
// machines: both are measured here, interleaved, best of three.
#include <algorithm>
#include <cstdio>
#include <numeric>

#include "bench/benchmarks.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/scenario/build_world.hpp"
#include "models/supply_chain_model.hpp"
#include "sim/analysis/thread_pool.hpp"

namespace chiptrail::bench {

void run_sweep_bench(const SweepBenchOptions& o) {
  models::PolicyRegistry registry;
  models::register_builtin_policies(registry);
  const models::World world = models::load_world(o.scenario, registry);
  std::vector<std::uint64_t> ids(o.runs);
  std::iota(ids.begin(), ids.end(), 0);
  const auto measure = [&](unsigned threads) {
    double checksum = 0;
    const auto start = std::chrono::steady_clock::now();
    sim::run_on_threads(
        ids, threads, [&](std::uint64_t id) { return models::run_replication(world, id).values; },
        [&](std::uint64_t, std::vector<double> v) { checksum += v.front(); }, [] { return false; });
    const double s = seconds_since(start);
    if (checksum < 0) std::printf("impossible\n");
    return static_cast<double>(o.runs) / s;
  };
  double one = 0, two = 0;
  for (int round = 0; round < 3; ++round) {
    one = std::max(one, measure(1));
    two = std::max(two, measure(2));
  }
  std::printf(
      "benchmark=sweep\nscenario=%s\nruns=%llu\nthreads1_runs_per_s=%.1f\n"
      "threads2_runs_per_s=%.1f\nthreads2_vs_threads1=%.3f\n",
      o.scenario.c_str(), static_cast<unsigned long long>(o.runs), one, two, two / one);
}

}  // namespace chiptrail::bench
