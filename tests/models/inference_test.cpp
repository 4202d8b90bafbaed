// Inference on synthetic data: observations simulated from a known diversion rate, against
// the posterior known in closed form (tests/data/infer_synthetic.textproto explains it).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "chiptrail/v1/scenario.pb.h"
#include "models/inference/infer.hpp"
#include "models/inference/observations.hpp"
#include "models/inference_support.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/supply_chain_model.hpp"
#include "models/sweep/field_setter.hpp"
#include "sim/sampling.hpp"

using namespace chiptrail;

namespace {

const std::string kDir = std::string(CHIPTRAIL_SOURCE_DIR) + "/tests/data/";
constexpr double kTruth = 40;  // lots a year

using testing::builtin_registry;

// What the simulator gives at the true rate over `days`: the data the inference must explain.
double simulated_seizures(const models::ScenarioFile& f, double days) {
  v1::Scenario s = *f.message;
  s.set_horizon_days(days);
  models::set_numeric_field(s, "flows[id=diverted].arrivals.poisson_per_year", kTruth);
  const models::World w = models::build_world(s, f.locator, builtin_registry());
  return models::run_replication(w, 12345).get("lots_first_interdicted_by.customs");
}

testing::Posterior infer_over(const models::ScenarioFile& f, double days, double seizures,
                              std::size_t particles = 500) {
  const models::Observations obs = models::parse_observations_text(
      "obs.textproto", "period_days: " + std::to_string(days) +
                           "\nobserved { metric: \"lots_first_interdicted_by.customs\" count: " +
                           std::to_string(seizures) + " }\n");
  return testing::infer_rate(f, obs, particles);
}

}  // namespace

TEST_CASE(
    "infer: a diversion rate's posterior matches the closed form and covers the truth "
    "(narrower with more data)" *
    doctest::test_suite("heavy")) {
  const models::ScenarioFile f = models::read_scenario_file(kDir + "infer_synthetic.textproto");
  std::vector<double> widths;
  for (const double days : {365.0, 1460.0}) {
    CAPTURE(days);
    const double k = simulated_seizures(f, days);
    const testing::Posterior p = infer_over(f, days, k);
    // Exact: detections ~ Poisson(rate c), c = 0.3 (days - 2) / 365, flat prior on [1, 150]:
    // the posterior is Gamma(k + 1, c) (truncation negligible here), mean (k + 1) / c.
    const double c = 0.3 * (days - 2) / 365;
    const double exact_mean = (k + 1) / c, exact_sd = std::sqrt(k + 1) / c;
    CAPTURE(k);
    CAPTURE(p.mean);
    CAPTURE(exact_mean);
    // 500 particles (ESS ~ 450) put the mean within ~4 sd / sqrt(ESS) = 0.19 sd; ABC's
    // tolerance (about one count) widens the posterior by well under 0.1 sd.
    CHECK(std::fabs(p.mean - exact_mean) < 0.25 * exact_sd);
    CHECK(p.low < kTruth);
    CHECK(p.high > kTruth);
    widths.push_back(p.high - p.low);
  }
  // Poisson information grows with the exposure: four times the data halves the width
  // (1 / sqrt(4)); the counts' own noise moves this, so 0.75 leaves room for it.
  CHECK(widths[1] < 0.75 * widths[0]);
}

TEST_CASE("infer: observations are checked, with the line of what is wrong") {
  const auto fails = [](const std::string& text, const std::string& words, int line) {
    CAPTURE(text);
    try {
      (void)models::parse_observations_text("obs.textproto", text);
      FAIL("accepted");
    } catch (const models::InvalidInput& e) {
      CHECK(e.errors().front().line == line);
      CHECK(e.errors().front().message.find(words) != std::string::npos);
    }
  };
  fails("period_days: 0\nobserved { metric: \"x\" count: 1 }\n", "must be a number of days", 1);
  fails("period_days: 10\n", "needs at least one observed count", 1);  // the file's start
  fails("period_days: 10\nobserved { metric: \"x\" count: -1 }\n", "must be a count", 2);
  fails("period_days: 10\nobserved { count: 1 }\n", "is required", 2);
  fails("period_days: 10\nbogus: 1\n", "bogus", 2);

  const models::ScenarioFile f = models::read_scenario_file(kDir + "infer_synthetic.textproto");
  const models::Observations unknown = models::parse_observations_text(
      "obs.textproto", "period_days: 10\n\nobserved { metric: \"lots_caught\" count: 1 }\n");
  try {
    (void)models::infer(f, unknown, builtin_registry(), {}, testing::one_thread());
    FAIL("accepted an unknown metric");
  } catch (const models::InvalidInput& e) {
    CHECK(e.errors().front().line == 3);
    CHECK(e.errors().front().field == "observed[0].metric");
    CHECK(e.errors().front().message.find("lots_first_interdicted_by.customs") !=
          std::string::npos);
  }
}

TEST_CASE("infer: a warm-up shorter than the model's start-up transient is found") {
  // The observations describe a steady state; a simulation that counts them while its pipeline
  // is still filling compares unlike with like. Here lots spend 400 days between the data
  // center and the border: no lot can be seized in the first 13 months, so the monthly
  // seizures of a pilot are zero that long and then steady, and MSER must put the transient's
  // end there: at a batch boundary (the pilot's 120 months are cut in batches of 5) no earlier
  // than month 13 and no later than one batch after the batch in which seizures start (month
  // 20; measured: 15); beyond a warm-up of 0, within one of two years.
  const models::Observations obs = models::parse_observations_text(
      "obs.textproto",
      "period_days: 365\nobserved { metric: \"lots_first_interdicted_by.customs\" count: 9 }\n");
  models::InferenceOptions o;
  o.abc.particles = 20;
  o.abc.max_rounds = 1;  // the prior only: this test is about the pilot
  const auto inferred = [&](double transit_days, double warmup_days) {
    models::ScenarioFile f = models::read_scenario_file(kDir + "infer_synthetic.textproto");
    f.message->mutable_edges(1)->mutable_transit_days()->set_fixed(transit_days);
    f.message->set_warmup_days(warmup_days);
    return models::infer(f, obs, builtin_registry(), o, testing::one_thread());
  };
  const models::Inference quick = inferred(1, 0);
  CHECK(quick.transient.assessed);
  CHECK(quick.transient.settled);
  CHECK(quick.transient_days() < 31);  // two days of pipeline: at most the first month
  CHECK_FALSE(quick.warmup_too_short());

  const models::Inference slow = inferred(400, 0);
  CAPTURE(slow.transient_days());
  CHECK(slow.transient.settled);
  CHECK(slow.transient_days() >= 13 * 365.0 / 12 - 1e-9);
  CHECK(slow.transient_days() <= 20 * 365.0 / 12 + 1e-9);
  CHECK(slow.warmup_too_short());

  const models::Inference covered = inferred(400, 730);
  CHECK_FALSE(covered.warmup_too_short());
}

namespace {

// P(Gamma(n, 1) <= x) for whole n: P(Poisson(x) >= n).
double gamma_cdf(int n, double x) {
  if (x <= 0) return 0;
  double below = 0;
  for (int j = 0; j < n; ++j) below += std::exp(-x + j * std::log(x) - std::lgamma(j + 1.0));
  return 1 - below;
}

}  // namespace

TEST_CASE("infer: simulation-based calibration of the whole inference on the synthetic scenario" *
          doctest::test_suite("heavy")) {
  // Talts et al. (2018) through everything `infer` does (scenario, streams, record-free
  // observations): 40 datasets, each a rate drawn from the Uniform(1, 150) prior and the
  // seizures the simulator gives at it over a year; 150 particles. Seizures are
  // Poisson(rate c), c = 0.3 (365 - 2) / 365, so at ABC's last tolerance t (in counts) the
  // exact ABC posterior is prior x P(|k' - k| <= t): its distribution function at the true
  // rate is a sum of Gamma ones. ABC must cover the true rate as that exact posterior does on
  // the same datasets, and rank it uniformly. Measured: 39 and 38 of 40 covered, the weighted
  // share below the truth 0.032 from the exact one on average, chi-square 5.8; ~40 s.
  const models::ScenarioFile f = models::read_scenario_file(kDir + "infer_synthetic.textproto");
  const double c = 0.3 * (365 - 2) / 365.0;
  constexpr int kDatasets = 40;
  int covered = 0, exact_covered = 0, only_exact = 0, only_abc = 0;
  double mean_gap = 0;
  std::vector<int> bins(5, 0);
  for (int d = 0; d < kDatasets; ++d) {
    chiptrail::sim::RandomStream truth(
        {2026, static_cast<std::uint64_t>(d), chiptrail::sim::stream_key("infer-sbc"), 0});
    const double rate = chiptrail::sim::uniform(truth, 1, 150);
    v1::Scenario s = *f.message;
    models::set_numeric_field(s, "flows[id=diverted].arrivals.poisson_per_year", rate);
    const models::World w = models::build_world(s, f.locator, builtin_registry());
    const double k = models::run_replication(w, 1000000 + static_cast<std::uint64_t>(d))
                         .get("lots_first_interdicted_by.customs");
    const testing::Posterior p = infer_over(f, 365, k, 150);
    const double t = std::round(p.result.abc.rounds.back().tolerance * p.result.abc.scales[0]);
    // The exact ABC posterior's distribution function.
    const auto exact_cdf = [&](double x) {
      double below = 0, total = 0;
      for (int kk = std::max(0, static_cast<int>(k - t)); kk <= static_cast<int>(k + t); ++kk) {
        below += gamma_cdf(kk + 1, std::clamp(x, 1.0, 150.0) * c) - gamma_cdf(kk + 1, c);
        total += gamma_cdf(kk + 1, 150 * c) - gamma_cdf(kk + 1, c);
      }
      return below / total;
    };
    const double f_true = exact_cdf(rate);
    const bool hit = p.low <= rate && rate <= p.high;
    const bool exact_hit = f_true >= 0.025 && f_true <= 0.975;
    covered += hit ? 1 : 0;
    exact_covered += exact_hit ? 1 : 0;
    only_exact += exact_hit && !hit ? 1 : 0;
    only_abc += hit && !exact_hit ? 1 : 0;
    double rank = 0;
    std::vector<double> values;
    for (const auto& theta : p.result.abc.population.parameters) values.push_back(theta[0]);
    for (std::size_t i = 0; i < values.size(); ++i)
      rank += values[i] < rate ? p.result.abc.population.weights[i] : 0.0;
    mean_gap += std::fabs(rank - f_true) / kDatasets;
    ++bins[std::min<std::size_t>(4, static_cast<std::size_t>(rank * 5))];
  }
  CAPTURE(covered);
  CAPTURE(exact_covered);
  CAPTURE(only_exact);
  CAPTURE(only_abc);
  CAPTURE(mean_gap);
  CHECK(std::abs(only_exact - only_abc) <= 4 * std::sqrt(only_exact + only_abc + 1.0));
  double chi2 = 0;
  for (const int b : bins)
    chi2 += (b - kDatasets / 5.0) * (b - kDatasets / 5.0) / (kDatasets / 5.0);
  CAPTURE(chi2);
  CHECK(chi2 < 18.47);  // chi-square(4) at 0.999
  // The weighted share of particles below the truth against the exact posterior's: an
  // independent sample of ~100 effective draws is off by ~0.03 on average.
  CHECK(mean_gap < 0.06);
}
