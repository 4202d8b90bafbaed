#include "cli/demo_command.hpp"

#include <cstdio>
#include <deque>
#include <optional>

#include "cli/exit_codes.hpp"
#include "cli/number_options.hpp"
#include "sim/analysis/intervals.hpp"
#include "sim/random_stream.hpp"
#include "sim/sampling.hpp"
#include "sim/simulator.hpp"

namespace chiptrail::cli {
namespace {

struct DemoOptions {
  double arrival_rate = 0.8;  // per hour
  double service_rate = 1.0;  // per hour
  int customers = 20000;
  int replications = 20;
  std::uint64_t seed = 1;
  std::optional<double> expect;  // hours; default: the closed form 1 / (mu - lambda)
};

// One replication of an M/M/1 queue, written with plain callbacks: returns the mean time in
// system, in hours, of the first `customers` customers.
double mm1_mean_time_in_system(const DemoOptions& o, std::uint64_t replication) {
  sim::Simulator simulator;
  sim::RandomStream arrivals({o.seed, replication, sim::stream_key("arrivals"), 0});
  sim::RandomStream services({o.seed, replication, sim::stream_key("services"), 0});
  std::deque<sim::Time> waiting;  // arrival times of customers in the system, head in service
  sim::RunningStats time_in_system;
  int arrived = 0;

  std::function<void()> depart = [&] {
    time_in_system.add((simulator.now() - waiting.front()).to_hours());
    waiting.pop_front();
    if (!waiting.empty()) {
      simulator.schedule_in(sim::Time::from_hours(sim::exponential(services, 1 / o.service_rate)),
                            depart);
    }
  };
  std::function<void()> arrive = [&] {
    waiting.push_back(simulator.now());
    if (waiting.size() == 1) {
      simulator.schedule_in(sim::Time::from_hours(sim::exponential(services, 1 / o.service_rate)),
                            depart);
    }
    if (++arrived < o.customers) {
      simulator.schedule_in(sim::Time::from_hours(sim::exponential(arrivals, 1 / o.arrival_rate)),
                            arrive);
    }
  };
  simulator.schedule_in(sim::Time::zero(), arrive);
  simulator.run();
  return time_in_system.mean();
}

int run_demo(const DemoOptions& o, spdlog::logger& log) {
  if (!(o.arrival_rate > 0 && o.service_rate > o.arrival_rate && o.customers > 0 &&
        o.replications > 1)) {
    log.error("demo: need 0 < arrival-rate < service-rate, customers > 0, replications > 1");
    return kUsage;
  }
  sim::RunningStats w;
  for (int r = 0; r < o.replications; ++r) {
    w.add(mm1_mean_time_in_system(o, static_cast<std::uint64_t>(r)));
  }
  const sim::Interval ci = sim::student_t_interval(w, 0.95);
  const sim::Interval check = sim::student_t_interval(w, 0.999);
  const double exact = o.expect.value_or(1.0 / (o.service_rate - o.arrival_rate));
  std::printf(
      "M/M/1 queue: arrival rate %.3g/h, service rate %.3g/h, %d customers x %d "
      "replications\n",
      o.arrival_rate, o.service_rate, o.customers, o.replications);
  std::printf("mean time in system: %.4f h, 95%% CI [%.4f, %.4f]; %s = %.4f h\n", w.mean(), ci.low,
              ci.high, o.expect ? "expected" : "closed form 1/(mu-lambda)", exact);
  // The self-check: the engine is wrong if the 99.9% interval misses the closed form. Runs start
  // empty, a small downward bias next to the interval's width at the default sizes.
  if (!check.contains(exact)) {
    std::printf("check FAILED: %.4f h lies outside the 99.9%% CI [%.4f, %.4f]\n", exact, check.low,
                check.high);
    return kSoftware;
  }
  std::printf("check passed: %.4f h lies within the 99.9%% CI [%.4f, %.4f]\n", exact, check.low,
              check.high);
  return kOk;
}

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code, spdlog::logger& log) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* demo = app.add_subcommand("demo",
                                      "Run a small engine self-check: an M/M/1 queue "
                                      "against its closed form (exit 70 if it misses)");
  demo->add_option("--arrival-rate", options->arrival_rate, "Arrivals per hour");
  demo->add_option("--service-rate", options->service_rate, "Services per hour");
  demo->add_option("--customers", options->customers, "Customers per replication");
  demo->add_option("--replications", options->replications, "Replications");
  demo->add_option("--seed", options->seed, "Master seed")->check(whole_number(0, UINT64_MAX));
  demo->add_option("--expect", options->expect,
                   "Check against this mean time in system, hours, instead of the closed form");
  demo->callback([options, &exit_code, &log] { exit_code = run_demo(*options, log); });
}

}  // namespace chiptrail::cli
