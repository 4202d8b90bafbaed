// build/chiptrail-bench: engine benchmarks (hold, phold). Output is key=value lines on stdout.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "bench/benchmarks.hpp"

int main(int argc, char** argv) {
  using namespace chiptrail::bench;
  CLI::App app{"chiptrail engine benchmarks"};
  app.require_subcommand(1);

  HoldOptions hold;
  CLI::App* h = app.add_subcommand("hold", "Hold model: engine vs a raw std::priority_queue loop");
  h->add_option("--pending", hold.pending, "Pending events")->check(CLI::PositiveNumber);
  h->add_option("--events", hold.events, "Events to process")->check(CLI::PositiveNumber);
  h->add_option("--seed", hold.seed, "Seed");
  h->callback([&] { run_hold(hold); });

  PholdOptions phold;
  CLI::App* p = app.add_subcommand("phold", "PHOLD (ROSS's definition)");
  p->add_option("--lps", phold.lps, "Logical processes")->check(CLI::PositiveNumber);
  p->add_option("--end", phold.end, "End time in PHOLD units")->check(CLI::PositiveNumber);
  p->add_option("--remote", phold.remote_fraction, "Fraction of remote events")
      ->check(CLI::Range(0.0, 1.0));
  p->add_option("--seed", phold.seed, "Seed");
  p->callback([&] { run_phold(phold); });

  ModelOptions model;
  CLI::App* m = app.add_subcommand("model", "The supply-chain model at 1x and 10x volume");
  m->add_option("--scenario", model.scenario, "Scenario file")->check(CLI::ExistingFile);
  m->add_option("--replications", model.replications, "Replications per volume")
      ->check(CLI::PositiveNumber);
  m->callback([&] { run_model(model); });

  StressOptions stress;
  CLI::App* st = app.add_subcommand(
      "stress", "A generated scenario with this many lots in flight: peak heap per lot");
  st->add_option("--lots", stress.lots, "Lots in flight at the horizon")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{100000000}));
  st->callback([&] { run_stress(stress); });

  SweepBenchOptions sweep;
  CLI::App* sw = app.add_subcommand("sweep", "Sweep runs/s on 1 and 2 threads, and the ratio");
  sw->add_option("--scenario", sweep.scenario, "Scenario file")->check(CLI::ExistingFile);
  sw->add_option("--runs", sweep.runs, "Runs per measurement")->check(CLI::PositiveNumber);
  sw->callback([&] { run_sweep_bench(sweep); });

  // A scenario that is missing or invalid (the default one is found from the source tree's
  // root) is an error with a message, not a crash.
  try {
    CLI11_PARSE(app, argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr,
                 "chiptrail-bench: %s (run from the source tree's root, or give "
                 "--scenario)\n",
                 e.what());
    return 1;
  }
  return 0;
}
