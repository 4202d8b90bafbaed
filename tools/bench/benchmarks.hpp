#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace chiptrail::bench {

struct HoldOptions {
  std::uint64_t pending = 10000;
  std::uint64_t events = 5000000;
  std::uint64_t seed = 1;
};
// Prints key=value lines for the engine (callbacks and coroutines) and a raw priority-queue
// loop doing the same work.
void run_hold(const HoldOptions& o);

struct PholdOptions {
  std::uint64_t lps = 1000;
  double end = 1000.0;  // in PHOLD time units
  double remote_fraction = 0.25;
  std::uint64_t seed = 1;
};
void run_phold(const PholdOptions& o);

struct ModelOptions {
  std::string scenario = "scenarios/blackwell_sea.textproto";
  std::uint64_t replications = 50;
};
// The supply-chain model on a scenario at 1x and 10x volume.
void run_model(const ModelOptions& o);

struct StressOptions {
  std::uint64_t lots = 10000000;
};
// A generated scenario that ends with `lots` lots in flight: peak heap per lot in flight.
void run_stress(const StressOptions& o);

// PHOLD and hold draw Exp(1) delays; one time unit is this many ticks, so that rounding to
// whole ticks does not create artificial ties.
inline constexpr double kTicksPerUnit = 1e6;

inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace chiptrail::bench

namespace chiptrail::bench {
struct SweepBenchOptions {
  std::string scenario = "scenarios/blackwell_sea.textproto";
  std::uint64_t runs = 400;
};
// Sweep throughput: the same runs on 1 and on 2 worker threads, and the ratio.
void run_sweep_bench(const SweepBenchOptions& o);
}  // namespace chiptrail::bench
