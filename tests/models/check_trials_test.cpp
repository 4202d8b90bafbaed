// Operation checks as trials (PeriodicChecks, trial_walk) against their definition: the
// per-check reference, one on_operation call per check.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "models/metrics_recorder.hpp"
#include "models/replication/trial_walk.hpp"
#include "models/scenario_test_support.hpp"
#include "models/supply_chain_model.hpp"
#include "sim/normal_quantile.hpp"
#include "sim/running_stats.hpp"

using namespace chiptrail;
using models::CheckTrials;
using models::TrialState;
using models::Verdict;

TEST_CASE("trial walk: certain violations act at the M-th check; a flagged lot only disables") {
  CheckTrials t;
  t.violations_to_act = 3;
  t.window_checks = 5;
  sim::RandomStream rng({1, 0, 0, 0});
  TrialState s{10, 0};
  // Certain from check 20 on: checks 20, 21, 22 violate, the third acts.
  auto act = models::walk_trials(t, false, 20, 1000, rng, s);
  REQUIRE(act);
  CHECK(act->check == 22);
  CHECK(act->verdict == Verdict::kFlag);
  CHECK(s.next == 23);
  CHECK(s.record == 0b111);
  // Flagged, never disabling: nothing acts, and the record is the last checks' (all violated).
  act = models::walk_trials(t, true, 20, 1000, rng, s);
  CHECK(!act);
  CHECK(s.next == 1000);
  CHECK(s.record == ~std::uint64_t{0});
  // Never violating: the record empties as the checks pass.
  TrialState quiet{0, 0b1011};
  CHECK(!models::walk_trials(t, false, UINT64_MAX, 3, rng, quiet));
  CHECK(quiet.record == 0b1011000);
  // A replay to an earlier check gives that check's state of the same walk.
  t.violation_probability = 0.3;
  TrialState whole{0, 0}, cut{0, 0};
  sim::RandomStream a({7, 0, 0, 0}), b({7, 0, 0, 0});
  const auto acted = models::walk_trials(t, false, UINT64_MAX, 100000, a, whole);
  REQUIRE(acted);
  CHECK(!models::walk_trials(t, false, UINT64_MAX, acted->check, b, cut));
  CHECK(cut.next == acted->check);
  CHECK((cut.record << 1U | 1U) == whole.record);
}

TEST_CASE("bulk costs count like one cost per check, per period and window") {
  const models::World w = testing::world_from_text(testing::base_scenario() +
                                                   "policies { name: \"hb\" heartbeat { "
                                                   "interval_days: 1 } }\n");
  models::RunConfig config = models::default_run(w);
  config.warmup = sim::Time::days(30);
  config.period = sim::Time::days(7);
  config.count_from = sim::Time::days(3);
  models::MetricsRecorder bulk(w, config), one_by_one(w, config);
  const sim::Time interval = sim::Time::from_days(0.7);
  for (const std::int64_t first_hours : {0, 5, 70, 2300}) {
    for (const std::uint64_t count : {1U, 2U, 37U, 300U}) {
      const sim::Time first = sim::Time::hours(first_hours);
      bulk.costs(0, 2.5, first, interval, count);
      for (std::uint64_t k = 0; k < count; ++k) {
        one_by_one.cost(0, 2.5, first + interval * static_cast<sim::Time::Rep>(k));
      }
    }
  }
  const models::Pipeline none;
  const models::RunMetrics a = bulk.finish(none), b = one_by_one.finish(none);
  for (const char* name : {"enforcement_cost_usd", "enforcement_cost_usd_per_year"}) {
    CAPTURE(name);
    CHECK(a.get(name) == doctest::Approx(b.get(name)).epsilon(1e-12));
  }
  REQUIRE(a.periods.size() == b.periods.size());
  for (std::size_t k = 0; k < a.periods.size(); ++k) {
    CAPTURE(k);
    CHECK(a.periods[k] == b.periods[k]);
  }
}

TEST_CASE("operation checks as trials follow the per-check reference's distribution") {
  // Legitimate lots at a data center 348 km from the landmark, where one reading is late with
  // p = e^-3.5 (one probe), so a chip is acted on when 2 of its last 4 challenges are; diverted
  // lots that operate there, go dark in transit (heartbeat and location verification both
  // report silence), half of them stay air-gapped at the end user (the licence expires with
  // probability 0.1 per heartbeat) and the rest operate online 3,000 km away (disabled).
  std::string text = testing::base_scenario() + testing::diversion_flow(30, 8, 8);
  text.replace(text.find("horizon_days: 100"), 17, "horizon_days: 50");  // some still underway
  text.replace(text.find("nodes { id: \"dc\" kind: DATA_CENTER }"), 36,
               "nodes { id: \"dc\" kind: DATA_CENTER latitude: 4.48 longitude: 103.82 }");
  text.replace(text.find("nodes { id: \"end\" kind: END_FACILITY }"), 38,
               "nodes { id: \"end\" kind: END_FACILITY latitude: 30.27 longitude: 120.16 }");
  text.replace(text.find("end_facility: \"end\" }"), 22,
               "end_facility: \"end\" operate_days { uniform { min: 5 max: 40 } }\n"
               "  countermeasures { air_gapped_probability: 0.5 } }");
  text +=
      "flows { id: \"l\" kind: LEGITIMATE chip_model: \"B200\" packaging: LOOSE\n"
      "  lot_chips { fixed: 8 } arrivals { poisson_per_year: 200 } route: [\"v\", \"dc\"] }\n"
      "policies { name: \"lv\" cost_per_unit_usd: 1 location_verification {\n"
      "  landmarks { latitude: 1.35 longitude: 103.82 } challenge_interval_days: 1\n"
      "  max_rtt_ms: 10 probes_per_challenge: 1 violations_to_act: 2 window_challenges: 4\n"
      "  require_heartbeat: true max_offline_days: 5 on_violation: DISABLE } }\n"
      "policies { name: \"hb\" cost_per_unit_usd: 0.25 heartbeat { interval_days: 0.5\n"
      "  grace_days: 3 disable_probability: 0.1 mechanism: LICENCE_EXPIRY } }\n";
  const models::World w = testing::world_from_text(text);
  const std::vector<std::string> metrics{"false_positive_lots",  "lots_first_flagged_by.lv",
                                         "chips_disabled",       "chips_delivered_restricted",
                                         "enforcement_cost_usd", "mean_days_to_first_flag"};
  constexpr int kReplications = 200;
  std::vector<sim::RunningStats> trials(metrics.size()), reference(metrics.size());
  for (const bool per_check : {false, true}) {
    models::RunConfig config = models::default_run(w);
    config.per_check_operation = per_check;
    for (int r = 0; r < kReplications; ++r) {
      // Other replication numbers for the two: independent samples.
      const auto replication = static_cast<std::uint64_t>(r + (per_check ? kReplications : 0));
      const models::RunMetrics m = models::run_replication(w, config, replication);
      for (std::size_t i = 0; i < metrics.size(); ++i) {
        (per_check ? reference : trials)[i].add(m.get(metrics[i]));
      }
    }
  }
  // Welch's two-sample z on each metric's mean over replications (independent, so the central
  // limit holds), at a family-wise false-alarm rate of 1e-3 (Bonferroni over the metrics).
  const double z = sim::normal_quantile(1 - 1e-3 / (2.0 * static_cast<double>(metrics.size())));
  for (std::size_t i = 0; i < metrics.size(); ++i) {
    CAPTURE(metrics[i]);
    CAPTURE(trials[i].mean());
    CAPTURE(reference[i].mean());
    REQUIRE(reference[i].variance() > 0);  // the case exercises the metric
    const double se =
        std::sqrt(trials[i].variance() / kReplications + reference[i].variance() / kReplications);
    CHECK(std::abs(trials[i].mean() - reference[i].mean()) < z * se);
  }
}
