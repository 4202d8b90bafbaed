// The model benchmark: the default scenario at 1x and 10x its flow volumes, sequentially in one
// thread. Reports events/s and replications/s, and the replication's peak heap over its peak
// of lots in flight (counted by the allocation hooks in allocation_counter.cpp): an upper bound
// on the cost of a lot in flight, since the heap also holds the records of lots installed or
// delivered, the periodic checks and the metrics (the stress benchmark measures the cost of a
// lot in flight alone). The reference is the engine's
// bare hold loop measured in the same process, so the ratio says what the model costs on top
// of the engine, independent of how busy the machine is.
#include <algorithm>
#include <cstdio>
#include <stdexcept>

#include "bench/allocation_counter.hpp"
#include "bench/benchmarks.hpp"
#include "models/metrics_recorder.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/scenario/build_world.hpp"
#include "models/supply_chain_model.hpp"
#include "sim/sampling.hpp"
#include "sim/simulator.hpp"

namespace chiptrail::bench {
namespace {

// Events per second of the engine running callbacks that each schedule one more event.
double engine_reference_events_per_s() {
  sim::Simulator simulator;
  sim::RandomStream rs({1, 0, 1, 0});
  std::uint64_t remaining = 2000000;
  struct Step {
    sim::Simulator& sim;
    sim::RandomStream& rs;
    std::uint64_t& remaining;
    void operator()() const {
      if (--remaining == 0) sim.stop();
      sim.schedule_in(sim::Time::from_seconds(sim::exponential(rs, 1e6)), Step{*this});
    }
  };
  for (int i = 0; i < 1000; ++i)
    simulator.schedule_in(sim::Time::seconds(i), Step{simulator, rs, remaining});
  const auto start = std::chrono::steady_clock::now();
  simulator.run();
  return 2e6 / seconds_since(start);
}

}  // namespace

void run_model(const ModelOptions& o) {
  models::PolicyRegistry registry;
  models::register_builtin_policies(registry);
  const double reference = engine_reference_events_per_s();
  std::printf(
      "benchmark=model\nscenario=%s\nreplications=%llu\nengine_reference_events_per_s=%.0f\n",
      o.scenario.c_str(), static_cast<unsigned long long>(o.replications), reference);
  for (const double scale : {1.0, 10.0}) {
    models::World world = models::load_world(o.scenario, registry);
    for (models::Flow& f : world.flows) {
      if (f.schedule_days.empty()) f.arrival_rate.scale(scale);
    }
    std::uint64_t events = 0;
    std::size_t peak_lots = 0;
    std::size_t peak_bytes_per_lot = 0;
    std::size_t peak_bytes = 0;
    const auto start = std::chrono::steady_clock::now();
    for (std::uint64_t r = 0; r < o.replications; ++r) {
      models::MetricsRecorder recorder(world);
      const AllocationWindow window;
      const models::SimulationSummary s = models::simulate(world, r, recorder);
      events += s.events;
      peak_lots = std::max(peak_lots, s.peak_lots_in_flight);
      peak_bytes = std::max(peak_bytes, window.peak_bytes());
      if (s.peak_lots_in_flight > 0) {
        peak_bytes_per_lot =
            std::max(peak_bytes_per_lot, window.peak_bytes() / s.peak_lots_in_flight);
      }
    }
    const double seconds = seconds_since(start);
    const int x = static_cast<int>(scale);
    std::printf(
        "x%d_events_per_s=%.0f\nx%d_replications_per_s=%.2f\nx%d_events_per_replication=%.0f\n", x,
        static_cast<double>(events) / seconds, x, static_cast<double>(o.replications) / seconds, x,
        static_cast<double>(events) / static_cast<double>(o.replications));
    std::printf("x%d_peak_lots_in_flight=%zu\nx%d_peak_bytes_per_lot_in_flight=%zu\n", x, peak_lots,
                x, peak_bytes_per_lot);
    // The world-scale goal (issue 22): a simulated year in at most a second and a GiB.
    const double years = world.horizon.to_days() / 365.0;
    std::printf("x%d_seconds_per_simulated_year=%.3f\nx%d_peak_heap_mib=%.1f\n", x,
                seconds / static_cast<double>(o.replications) / years, x,
                static_cast<double>(peak_bytes) / (1024.0 * 1024.0));
    std::printf("x%d_events_vs_engine=%.3f\n", x,
                static_cast<double>(events) / seconds / reference);
  }
}

}  // namespace chiptrail::bench
