// The outcome ladder (models/metric_glossary.hpp) against hand-computable cases: the time series
// sums to the totals, the warm-up leaves out the filling pipeline, costs add up, attribution
// and overlap, the rungs' shares against closed forms, and honest intervals when lots are
// coupled.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "models/experiment/replications.hpp"
#include "models/metric_glossary.hpp"
#include "models/metrics_recorder.hpp"
#include "models/output/plain_reading.hpp"
#include "models/scenario_test_support.hpp"
#include "models/summary.hpp"
#include "models/supply_chain_model.hpp"
#include "sim/analysis/intervals.hpp"

using namespace chiptrail;
using chiptrail::testing::base_scenario;
using chiptrail::testing::world_from_text;

namespace {

// The column of a period metric.
std::size_t column(const std::string& name) {
  const auto& names = models::period_metric_names();
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (names[c] == name) return c;
  }
  FAIL("no period metric " << name);
  return 0;
}

double period_sum(const models::RunMetrics& m, const std::string& name) {
  double sum = 0;
  for (const auto& period : m.periods) sum += period[column(name)];
  return sum;
}

// Lots sold every `gap` days from day 0 to `last`, of 8 loose chips (B200, 1 H100e each),
// installed at dc after a day, operated `operate` days, then carried dc -> b -> end (a day
// each), in one consignment.
std::string steady_flow(int gap, int last, int operate) {
  std::string at;
  for (int day = 0; day <= last; day += gap) at += (at.empty() ? "" : ", ") + std::to_string(day);
  return "flows { id: \"d\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
         "  arrivals { schedule { at_days: [" +
         at +
         "] } }\n"
         "  lot_chips { fixed: 8 }\n"
         "  route: [\"v\", \"dc\"]\n"
         "  tactics { consignment_chips: 8 end_facility: \"end\" operate_days { fixed: " +
         std::to_string(operate) + " } }\n}\n";
}

std::string with_horizon(double days) {
  std::string s = base_scenario();
  s.replace(s.find("horizon_days: 100"), 17, "horizon_days: " + std::to_string(days));
  return s;
}

}  // namespace

TEST_CASE("the time series sums to the totals in every shipped scenario, whatever the period") {
  const auto registry = testing::builtin_registry();
  for (const std::string& path : testing::shipped_scenarios(CHIPTRAIL_SOURCE_DIR)) {
    CAPTURE(path);
    const models::World w = models::load_world(path, registry);
    for (const char* period : {"year", "month", "17"}) {
      CAPTURE(period);
      models::RunConfig config = models::default_run(w);
      config.period = *models::parse_period(period);
      for (std::uint64_t r = 0; r < 3; ++r) {
        const models::RunMetrics m = models::run_replication(w, config, r);
        const auto periods = static_cast<std::size_t>(
            std::ceil(w.horizon.to_days() / config.period.to_days() - 1e-9));
        CHECK(m.periods.size() == periods);
        for (const std::string& name : models::period_metric_names()) {
          CAPTURE(name);
          if (models::find_metric(name)->rung == "stock") {  // taken at the horizon, last
            CHECK(m.periods.back()[column(name)] == doctest::Approx(m.get(name)).epsilon(1e-12));
          } else {
            CHECK(period_sum(m, name) == doctest::Approx(m.get(name)).epsilon(1e-9));
          }
        }
      }
    }
  }
}

TEST_CASE("warm-up: yearly rates count the steady window; year one fills the pipeline") {
  // Lots sold every 10 days from day 0 to 720, delivered 103 days after sale (1 day to dc, 100
  // operated, 1 to b, 1 to end). Horizon 730, warm-up 365: year one delivers the lots sold on
  // days 0..260 (27), year two those sold on days 270..620 (36); lots sold 630..720 (10) are in
  // the pipeline.
  const models::World w =
      world_from_text(with_horizon(730) + "warmup_days: 365\n" + steady_flow(10, 720, 100));
  const models::RunMetrics m = models::run_replication(w, models::default_run(w), 0);
  CHECK(m.get("lots_diverted") == 73);
  CHECK(m.get("lots_delivered_restricted") == 63);
  CHECK(m.get("lots_in_pipeline") == 10);
  REQUIRE(m.periods.size() == 2);
  CHECK(m.periods[0][column("lots_delivered_restricted")] == 27);
  CHECK(m.periods[1][column("lots_delivered_restricted")] == 36);
  CHECK(m.periods[0][column("lots_diverted")] == 37);  // days 0..360
  // Steady state: 36 lots of 8 H100e a year delivered, 36 sold (days 370..720).
  CHECK(m.get("h100e_delivered_restricted_per_year") == doctest::Approx(36 * 8));
  CHECK(m.get("h100e_diverted_per_year") == doctest::Approx(36 * 8));
  CHECK(m.get("lots_diverted_per_year") == doctest::Approx(36));
  // Without a warm-up the yearly rate is the two years' average, a quarter below the steady one.
  models::RunConfig none = models::default_run(w);
  none.warmup = sim::Time::zero();
  const models::RunMetrics cold = models::run_replication(w, none, 0);
  CHECK(cold.get("h100e_delivered_restricted_per_year") == doctest::Approx(63 * 8 / 2.0));
  // The warm-up changes what is counted per year, never the totals.
  CHECK(cold.get("h100e_delivered_restricted") == m.get("h100e_delivered_restricted"));
}

TEST_CASE("costs: variable per action, fixed per year from each policy's start, per period") {
  // Customs at b inspects every consignment (4 of 16 chips per lot, 10 lots: 40 inspections at
  // $100) and finds half; it costs $36,500 a year fixed over the 100-day horizon ($10,000). A
  // second measure that never acts costs $73,000 a year from day 50 ($10,000).
  const std::string text =
      base_scenario() + testing::diversion_flow(10, 64, 16) +
      "policies { name: \"customs\" scope { nodes: \"b\" } cost_per_unit_usd: 100\n"
      "  fixed_cost_per_year_usd: 36500\n"
      "  customs_inspection { inspection_rate: 1 detection_probability: 0.5 } }\n"
      "policies { name: \"idle\" scope { nodes: \"v\" } start_days: 50\n"
      "  fixed_cost_per_year_usd: 73000\n"
      "  customs_inspection { inspection_rate: 0 } }\n";
  const models::World w = world_from_text(text);
  models::RunConfig config = models::default_run(w);
  config.period = sim::Time::days(50);
  const models::RunMetrics m = models::run_replication(w, config, 0);
  CHECK(m.get("cost_usd_by.customs") == doctest::Approx(40 * 100 + 10000));
  CHECK(m.get("cost_usd_by.idle") == doctest::Approx(10000));
  CHECK(m.get("enforcement_cost_usd") == doctest::Approx(24000));
  CHECK(m.get("enforcement_cost_usd_per_year") == doctest::Approx(24000 * 365.0 / 100));
  CHECK(m.get("cost_usd_per_h100e_denied") == doctest::Approx(24000 / m.get("h100e_interdicted")));
  if (m.get("lots_interdicted") > 0) {
    CHECK(m.get("cost_usd_per_lot_interdicted") ==
          doctest::Approx(24000 / m.get("lots_interdicted")));
  } else {
    CHECK(std::isnan(m.get("cost_usd_per_lot_interdicted")));  // nothing to divide by
  }
  // The idle measure's fixed cost falls in the second period only.
  REQUIRE(m.periods.size() == 2);
  // Every consignment reaches b by day 12, so all 40 inspections fall in the first period.
  CHECK(m.periods[0][column("enforcement_cost_usd")] == doctest::Approx(5000 + 40 * 100));
  CHECK(m.periods[1][column("enforcement_cost_usd")] == doctest::Approx(5000 + 10000));
}

TEST_CASE("attribution: first to flag, first to interdict, any, and the overlap") {
  // Two customs posts at b find every consignment: the first seizes, the second (checking
  // after it at the same point) flags what is already stopped. An end-use check never runs.
  const std::string text =
      base_scenario() + testing::diversion_flow(10, 64, 16) +
      "policies { name: \"first\" scope { nodes: \"b\" }\n"
      "  customs_inspection { inspection_rate: 1 detection_probability: 1 } }\n"
      "policies { name: \"second\" scope { nodes: \"b\" }\n"
      "  customs_inspection { inspection_rate: 1 detection_probability: 1 } }\n";
  const models::RunMetrics m = models::run_replication(world_from_text(text), 0);
  CHECK(m.get("lots_flagged") == 10);
  CHECK(m.get("lots_interdicted") == 10);
  CHECK(m.get("lots_first_flagged_by.first") == 10);
  CHECK(m.get("lots_first_flagged_by.second") == 0);
  CHECK(m.get("lots_flagged_by.second") == 10);
  CHECK(m.get("lots_first_interdicted_by.first") == 10);
  CHECK(m.get("chips_interdicted_by.first") == 640);
  CHECK(m.get("chips_interdicted_by.second") == 0);
  CHECK(m.get("lots_flagged_by_several") == 10);
  CHECK(m.get("share_lots_denied") == 1);
  CHECK(m.get("chips_delivered_restricted") == 0);
}

TEST_CASE("the rungs of consignments seized with probability p: closed forms") {
  // Lots of 4 consignments each cross b, where each consignment is seized with p = 1/2: a lot
  // is flagged unless all 4 pass (1 - 1/16), interdicted when all 4 are seized (1/16), and half
  // of the chips are denied. Lots run to the end (drained); counts pooled over replications.
  const std::string text =
      base_scenario() + testing::diversion_flow(50, 64, 16) +
      "policies { name: \"c\" scope { nodes: \"b\" }\n"
      "  customs_inspection { inspection_rate: 1 detection_probability: 0.5 } }\n";
  const models::World w = world_from_text(text);
  REQUIRE(models::lots_independent(w));
  models::RunConfig config = models::default_run(w);
  config.drain = true;
  config.replications = 200;
  const models::ReplicationSet set = models::run_replications(w, config, {});
  double lots = 0, flagged = 0, interdicted = 0, finished = 0, chips = 0, denied = 0;
  for (const models::RunMetrics& m : set.runs) {
    lots += m.get("lots_diverted");
    flagged += m.get("lots_flagged");
    interdicted += m.get("lots_interdicted");
    finished += m.get("lots_finished");
    chips += m.get("chips_finished");
    denied += m.get("chips_interdicted");
  }
  CHECK(finished == lots);  // drained: every lot finished
  const auto covers = [](double k, double n, double p) {
    // 99.99% Wilson interval of independent lots (proven: no audits, no adaptation).
    const sim::Interval ci =
        sim::wilson_interval(static_cast<std::uint64_t>(k), static_cast<std::uint64_t>(n), 0.9999);
    CAPTURE(k / n);
    CAPTURE(p);
    return ci.low <= p && p <= ci.high;
  };
  CHECK(covers(flagged, lots, 15.0 / 16));
  CHECK(covers(interdicted, lots, 1.0 / 16));
  // Chips: consignments of 16 are the independent units.
  CHECK(covers(denied / 16, chips / 16, 0.5));
}

TEST_CASE("coupled lots: ratio intervals cover the long-run share; Wilson's would not") {
  // One site audited at 2 visits a year; a surprise visit flags every diverted lot missing
  // from the record, so one visit flags many lots at once (coupled lots). Lot i is sold on
  // day i (i = 0..19), installed on day i + 1 and removed on day i + 6; over a 100-day
  // horizon it is flagged when a visit falls in (i + 6, 100): probability
  // 1 - exp(-2 (94 - i) / 365), independently of the other lots only in expectation.
  std::string text = base_scenario() +
                     "flows { id: \"d\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
                     "  arrivals { schedule { at_days: [";
  for (int i = 0; i < 20; ++i) text += (i ? ", " : "") + std::to_string(i);
  text +=
      "] } }\n  lot_chips { fixed: 8 }\n  route: [\"v\", \"dc\"]\n"
      "  tactics { consignment_chips: 8 end_facility: \"end\" operate_days { fixed: 5 } } }\n"
      "policies { name: \"audit\" scope { nodes: \"dc\" }\n"
      "  end_use_check { visits_per_site_per_year: 2 } }\n";
  const models::World w = world_from_text(text);
  REQUIRE_FALSE(models::lots_independent(w));  // audits couple the lots
  double truth = 0;
  for (int i = 0; i < 20; ++i) truth += 1 - std::exp(-2.0 * (94 - i) / 365);
  truth /= 20;

  // K independent small runs of R replications (different seeds): how often does each 95%
  // interval hold the long-run share? Coverage is a binomial(K, 0.95) proportion; the margin is
  // 3.5 of its standard deviations, plus 0.02 for the delta method's small-sample bias at R.
  constexpr int kRuns = 300, kReplications = 30;
  int ratio_covers = 0, wilson_covers = 0;
  for (int k = 0; k < kRuns; ++k) {
    models::RunConfig config = models::default_run(w);
    config.seed = 1000 + static_cast<std::uint64_t>(k);
    config.replications = kReplications;
    const models::ReplicationSet set = models::run_replications(w, config, {});
    const models::MetricSummary* share = nullptr;
    for (const models::MetricSummary& s : set.summary) {
      if (s.metric == "share_lots_flagged") share = &s;
    }
    REQUIRE(share != nullptr);
    CHECK(share->ci_method == "ratio");
    if (share->ci_low <= truth && truth <= share->ci_high) ++ratio_covers;
    // What the summary gave before: a Wilson interval over the pooled lots.
    double flagged = 0, lots = 0;
    for (const models::RunMetrics& m : set.runs) {
      flagged += m.get("lots_flagged");
      lots += m.get("lots_diverted");
    }
    const sim::Interval wilson = sim::wilson_interval(static_cast<std::uint64_t>(flagged),
                                                      static_cast<std::uint64_t>(lots), 0.95);
    if (wilson.low <= truth && truth <= wilson.high) ++wilson_covers;
  }
  const double coverage = static_cast<double>(ratio_covers) / kRuns;
  const double margin = 3.5 * std::sqrt(0.95 * 0.05 / kRuns) + 0.02;
  CAPTURE(coverage);
  CAPTURE(static_cast<double>(wilson_covers) / kRuns);
  CHECK(std::fabs(coverage - 0.95) <= margin);
  // The coupling is real: intervals that take lots as independent cover far less often.
  CHECK(static_cast<double>(wilson_covers) / kRuns < 0.95 - margin);
}

TEST_CASE("every metric a shipped scenario reports is in the glossary") {
  const auto registry = testing::builtin_registry();
  for (const std::string& path : testing::shipped_scenarios(CHIPTRAIL_SOURCE_DIR)) {
    CAPTURE(path);
    const models::World w = models::load_world(path, registry);
    for (const std::string& name : models::MetricsRecorder(w).finish({}).names) {
      CAPTURE(name);
      const models::MetricInfo* info = models::find_metric(name);
      REQUIRE(info != nullptr);
      if (info->is_ratio()) {
        CHECK(models::find_metric(info->numerator) != nullptr);
        CHECK(models::find_metric(info->denominator) != nullptr);
      }
    }
  }
  for (const std::string& name : models::period_metric_names()) {
    CHECK(models::find_metric(name) != nullptr);
  }
  CHECK(models::renamed_metric("detection_rate_lots") == "share_lots_flagged");
  CHECK(models::renamed_metric("lots_detected_by.customs_hk") ==
        "lots_first_flagged_by.customs_hk");
  CHECK(models::renamed_metric("share_lots_flagged").empty());
}

TEST_CASE("the plain-language reading quotes the headline figures and says what flags stopped") {
  const auto row = [](const char* name, double mean, double low, double high) {
    return models::MetricSummary{name, 100, mean, 0, low, high, "student-t"};
  };
  const std::vector<models::MetricSummary> summary{
      row("lots_diverted", 40, 38, 42),
      row("h100e_delivered_restricted_per_year", 44953.4, 42771.1, 47135.7),
      row("h100e_diverted_per_year", 45347, 44616, 46078),
      row("share_h100e_denied", 0.0363, 0.0348, 0.0379),
      row("share_lots_flagged", 0.6, 0.55, 0.65),
      row("share_h100e_flagged", 0.5, 0.45, 0.55),
      row("h100e_flagged", 20000, 19000, 21000),
      row("h100e_interdicted", 5000, 4500, 5500),
      row("lots_first_flagged_by.customs_my", 6, 5, 7),
      row("lots_first_flagged_by.officers", 10, 9, 11),
      row("enforcement_cost_usd_per_year", 7531.3, 7379.9, 7682.8),
      row("cost_usd_per_h100e_denied", 4.7394, 4.5994, 4.8795)};
  const std::string text = models::plain_reading(summary, {100, 730, 365, 0.95});
  CAPTURE(text);
  CHECK(text.find("Over 100 replications of 730 days (yearly figures from day 365 on)") == 0);
  CHECK(text.find("about 45,000 H100-equivalents a year reached the restricted end user "
                  "(42,800 to 47,100); about 45,300 a year were sold for diversion. ") !=
        std::string::npos);
  CHECK(text.find("interdicted 3.6% (3.5% to 3.8%)") != std::string::npos);
  CHECK(text.find("flagged 60% of the diverted lots, most often first officers (25% of lots)") !=
        std::string::npos);
  CHECK(text.find("Only 25% of the flagged compute was seized or disabled") != std::string::npos);
  CHECK(text.find("$7,530 a year, $4.74 per H100e denied") != std::string::npos);
  // Nothing finished: no share denied is claimed.
  const std::string empty =
      models::plain_reading({row("lots_diverted", 0, 0, 0)}, {1, 10, 0, 0.95});
  CHECK(empty.find("no share denied can be given") != std::string::npos);
  CHECK(empty.find("no cost") != std::string::npos);
}

TEST_CASE("burden on legitimate trade: exam fees and delays, wrongful holds") {
  // Ten legitimate lots of 16 chips pass customs at b, which inspects each (the importer pays
  // $250 an exam, and waits 3 days) and wrongly holds one with probability 1/2 ($2,500 each,
  // 10 days more).
  const std::string text =
      base_scenario() +
      "nodes { id: \"dc2\" kind: DATA_CENTER }\n"
      "edges { from: \"v\" to: \"b\" mode: AIR transit_days { fixed: 1 } }\n"
      "edges { from: \"b\" to: \"dc2\" mode: TRUCK transit_days { fixed: 1 } }\n"
      "flows { id: \"legit\" kind: LEGITIMATE chip_model: \"B200\" packaging: LOOSE\n"
      "  arrivals { schedule { at_days: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] } }\n"
      "  lot_chips { fixed: 16 } route: [\"v\", \"b\", \"dc2\"] }\n"
      "policies { name: \"customs\" scope { nodes: \"b\" } cost_per_unit_usd: 400\n"
      "  legitimate_cost_per_unit_usd: 250 false_positive_cost_usd: 2500\n"
      "  legitimate_delay_days { fixed: 3 } false_positive_delay_days { fixed: 10 }\n"
      "  customs_inspection { inspection_rate: 1 false_positive_probability: 0.5 } }\n";
  const models::RunMetrics m = models::run_replication(world_from_text(text), 0);
  CHECK(m.get("lots_legitimate") == 10);
  const double held = m.get("false_positive_lots");
  CHECK(held > 0);
  CHECK(held < 10);
  CHECK(m.get("enforcement_cost_usd") == 10 * 400);
  CHECK(m.get("legitimate_burden_usd") == 10 * 250 + held * 2500);
  CHECK(m.get("total_cost_usd") == 10 * 400 + 10 * 250 + held * 2500);
  CHECK(period_sum(m, "legitimate_burden_usd") == m.get("legitimate_burden_usd"));
  CHECK(std::isnan(m.get("cost_usd_per_h100e_denied")));  // nothing diverted, nothing denied
  // Every exam holds a lot 3 days, a wrongful hold 10 more; the lots still arrive, later.
  CHECK(m.get("legitimate_delay_days") == doctest::Approx(10 * 3 + held * 10));
  CHECK(period_sum(m, "legitimate_delay_days") == doctest::Approx(m.get("legitimate_delay_days")));
  CHECK(m.get("chips_delivered_legitimate") == 160);
}

TEST_CASE("a policy that starts later shows its effect from its period on") {
  // Customs at b seizes every consignment, from day 365 on; lots are sold every 10 days and
  // reach b 103 days later, so the first seizure is of the lot sold on day 270 (at b on day
  // 373): year one interdicts nothing, year two everything that reaches b.
  const models::World w =
      world_from_text(with_horizon(730) + steady_flow(10, 720, 100) +
                      "policies { name: \"late\" scope { nodes: \"b\" } start_days: 365\n"
                      "  customs_inspection { inspection_rate: 1 detection_probability: 1 } }\n");
  const models::RunMetrics m = models::run_replication(w, models::default_run(w), 0);
  REQUIRE(m.periods.size() == 2);
  CHECK(m.periods[0][column("chips_interdicted")] == 0);
  CHECK(m.periods[0][column("lots_delivered_restricted")] == 27);  // sold on days 0..260
  CHECK(m.periods[1][column("lots_interdicted")] == 36);           // sold on days 270..620
  CHECK(m.periods[1][column("lots_delivered_restricted")] == 0);
}
