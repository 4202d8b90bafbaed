// The public record's reporting model: publication with a known probability and delay, and
// inference from what was published back to the diversion rate, against the closed form of
// tests/data/infer_synthetic.textproto (lots found at one border, Poisson).
#include "models/inference/public_record.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "chiptrail/v1/scenario.pb.h"
#include "models/detection_log.hpp"
#include "models/inference/infer.hpp"
#include "models/inference/observations.hpp"
#include "models/inference_support.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/calendar_date.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/supply_chain_model.hpp"
#include "models/sweep/field_setter.hpp"

using namespace chiptrail;

namespace {

const std::string kDir = std::string(CHIPTRAIL_SOURCE_DIR) + "/tests/data/";
constexpr double kTruth = 40;     // lots a year
constexpr double kDays = 1460;    // the record's window: four years
constexpr double kInspect = 0.3;  // each lot is seized at the border with this probability

using testing::builtin_registry;
using testing::Posterior;

// A record's header: a four-year window from 2021-01-01, seizures published with `probability`
// (a fixed value or a prior) after 30 to 200 days.
std::string header(const std::string& probability, const std::string& bins = "") {
  return "window { opens: \"2021-01-01\" closes: \"2024-12-30\" }\n"
         "reporting { name: \"seizures\" policies: \"customs\" probability { " +
         probability + " } delay_days { uniform { min: 30 max: 200 } } chips_weight: 0 " + bins +
         "}\n";
}

struct Synthetic {
  models::Observations record;
  double published = 0;  // cases in the window
};

// The truth, published: the scenario at the true rate over the lead and the window, its
// detections published with probability p (draws of seed 999), the window's cases written as
// the file a researcher would write.
Synthetic synthesize(const models::ScenarioFile& f, double p, const std::string& bins = "") {
  const std::string head = header("fixed: " + std::to_string(p), bins);
  const models::Observations empty = models::parse_observations_text("record.textproto", head);
  v1::Scenario s = *f.message;
  models::set_numeric_field(s, "flows[id=diverted].arrivals.poisson_per_year", kTruth);
  const models::World probe = models::build_world(s, f.locator, builtin_registry());
  const models::PublicRecord record(empty, probe, 0);
  const double lead = record.lead().to_days();
  s.set_horizon_days(lead + kDays);
  const models::World w = models::build_world(s, f.locator, builtin_registry());
  models::DetectionLog log;
  (void)models::simulate(w, 12345, log);
  std::string cases;
  Synthetic out;
  const std::int64_t opens = *models::parse_iso_date("2021-01-01");
  for (const auto& c : record.publish(log.records(), {}, {999, 1, 0, 0, 0})) {
    const double day = c.published_day - lead;
    if (day < 0 || day >= kDays) continue;
    cases += "cases { reporting: \"seizures\" published: \"" +
             models::format_iso_date(opens + static_cast<std::int64_t>(day)) + "\" }\n";
    out.published += 1;
  }
  out.record = models::parse_observations_text("record.textproto", head + cases);
  return out;
}

Posterior infer(const models::ScenarioFile& f, const models::Observations& record,
                std::size_t particles = 500) {
  return testing::infer_rate(f, record, particles);
}

}  // namespace

TEST_CASE("public record: a detection is published with its probability after its delay") {
  const models::ScenarioFile f = models::read_scenario_file(kDir + "infer_synthetic.textproto");
  v1::Scenario s = *f.message;
  models::set_numeric_field(s, "flows[id=diverted].arrivals.poisson_per_year", 2000.0);
  const models::World w = models::build_world(s, f.locator, builtin_registry());
  models::DetectionLog log;
  (void)models::simulate(w, 7, log);
  const double n = static_cast<double>(log.records().size());
  REQUIRE(n > 300);  // 2,000 lots a year, 30% seized over a year

  const models::Observations low =
      models::parse_observations_text("r.textproto", header("fixed: 0.3"));
  const models::Observations high =
      models::parse_observations_text("r.textproto", header("fixed: 0.6"));
  const models::PublicRecord at_low(low, w, 0), at_high(high, w, 0);
  CHECK(at_low.lead() == sim::Time::days(199));  // the 99th percentile of U(30, 200): 198.3
  const auto published_low = at_low.publish(log.records(), {}, {5, 1, 0, 0, 0});
  const auto published_high = at_high.publish(log.records(), {}, {5, 1, 0, 0, 0});
  // Binomial(n, p): within 4 sd.
  // (No structured binding: clang 14 cannot capture one in CAPTURE's lambda.)
  for (const auto& run : {std::pair{&published_low, 0.3}, {&published_high, 0.6}}) {
    const auto* published = run.first;
    const double p = run.second;
    CAPTURE(p);
    CHECK(std::fabs(static_cast<double>(published->size()) - n * p) <
          4 * std::sqrt(n * p * (1 - p)));
    for (const auto& c : *published) {
      CHECK(c.published_day - c.detected_day >= 30);
      CHECK(c.published_day - c.detected_day <= 200);
      CHECK(c.chips == 64);
    }
  }
  // One draw per detection: what is published at 0.3 is published at 0.6, with the same delay
  // (common random numbers across parameter values).
  std::size_t j = 0;
  for (const auto& c : published_low) {
    while (j < published_high.size() && published_high[j].detected_day < c.detected_day) ++j;
    REQUIRE(j < published_high.size());
    CHECK(published_high[j].detected_day == c.detected_day);
    CHECK(published_high[j].published_day == c.published_day);
  }
}

TEST_CASE("public record: published chips with a range are read as lognormal around the figure") {
  const models::ScenarioFile f = models::read_scenario_file(kDir + "infer_synthetic.textproto");
  const models::World w = models::build_world(*f.message, f.locator, builtin_registry());
  const std::string head =
      "window { opens: \"2024-01-01\" closes: \"2024-12-31\" }\n"
      "reporting { name: \"seizures\" probability { fixed: 0.5 } delay_days { fixed: 10 }"
      " bin_days: 200 }\n";
  const auto statistics = [&](const std::string& cases) {
    return models::PublicRecord(models::parse_observations_text("r.textproto", head + cases), w, 0)
        .observed();
  };
  // One case, 1,000 chips, 95% range 500-2,000: sigma = ln 4 / (2 x 1.96), the sum's exactly.
  const models::RecordStatistics one = statistics(
      "cases { reporting: \"seizures\" published: \"2024-08-01\" chips: 1000 chips_low: 500 "
      "chips_high: 2000 }\n");
  REQUIRE(one.names.size() == 3);
  CHECK(one.names[0] == "cases_published.seizures.2024-01-01..2024-07-18");
  CHECK(one.names[1] == "cases_published.seizures.2024-07-19..2024-12-31");
  CHECK(one.names[2] == "log_chips_published.seizures");
  CHECK(one.values[0] == 0);
  CHECK(one.values[1] == 1);
  CHECK(one.values[2] == doctest::Approx(std::log1p(1000.0)));
  CHECK(one.noise_sd[2] == doctest::Approx(std::log(4.0) / (2 * 1.959963984540054)));
  // Two exact figures: no noise; their total.
  const models::RecordStatistics exact = statistics(
      "cases { reporting: \"seizures\" published: \"2024-01-01\" chips: 100 }\n"
      "cases { reporting: \"seizures\" published: \"2024-12-31\" chips: 300 }\n");
  CHECK(exact.values[0] == 1);
  CHECK(exact.values[1] == 1);
  CHECK(exact.values[2] == doctest::Approx(std::log1p(400.0)));
  CHECK(exact.noise_sd[2] == 0);
}

TEST_CASE("public record: bad records are refused at the line of the field") {
  const auto fails = [](const std::string& text, const std::string& words, int line) {
    CAPTURE(text);
    try {
      (void)models::parse_observations_text("r.textproto", text);
      FAIL("accepted");
    } catch (const models::InvalidInput& e) {
      CHECK(e.errors().front().line == line);
      CHECK(e.errors().front().to_string().find(words) != std::string::npos);
    }
  };
  const std::string window = "window { opens: \"2024-01-01\" closes: \"2024-12-31\" }\n";
  const std::string seizures =
      "reporting { name: \"s\" probability { fixed: 0.5 } delay_days { fixed: 1 } }\n";
  fails("window { opens: \"2024-13-01\" closes: \"2024-12-31\" }\n", "must be a date", 1);
  fails("window { opens: \"2024-02-01\" closes: \"2024-01-31\" }\n", "comes before", 1);
  fails(seizures, "is needed with `reporting`", 1);
  fails(window + "period_days: 10\n" + seizures, "not both", 2);
  fails(window + "reporting { name: \"s\" probability { fixed: 1.5 } delay_days { fixed: 1 } }",
        "must be a probability in [0, 1]", 2);
  fails(window +
            "reporting { name: \"s\" probability { normal { mean: 0.5 sd: 0.1 } } "
            "delay_days { fixed: 1 } }",
        "uniform or triangular", 2);
  fails(window + "reporting { name: \"s\" probability { fixed: 0.5 } }", "delay_days", 2);
  fails(window + seizures + "cases { reporting: \"t\" published: \"2024-05-01\" chips: 1 }",
        "names no reporting model", 3);
  fails(window + seizures + "cases { reporting: \"s\" published: \"2025-01-01\" chips: 1 }",
        "outside the window", 3);
  fails(window + seizures + "cases { reporting: \"s\" published: \"2024-05-01\" }",
        "set chips_weight: 0", 3);
  fails(window + seizures +
            "cases { reporting: \"s\" published: \"2024-05-01\" chips: 10 chips_low: 20 "
            "chips_high: 30 }",
        "chips_low <= chips", 3);

  // Names are checked against the scenario.
  const models::ScenarioFile f = models::read_scenario_file(kDir + "infer_synthetic.textproto");
  const models::World w = models::build_world(*f.message, f.locator, builtin_registry());
  const models::Observations unknown = models::parse_observations_text(
      "r.textproto",
      window +
          "reporting { name: \"s\" policies: \"customs_xx\" countries: \"XX\"\n"
          "  probability { fixed: 0.5 } delay_days { fixed: 1 } chips_weight: 0 }\n");
  try {
    (void)models::PublicRecord(unknown, w, 0);
    FAIL("accepted");
  } catch (const models::InvalidInput& e) {
    REQUIRE(e.errors().size() == 2);
    CHECK(e.errors()[0].field == "reporting[0].policies[0]");
    CHECK(e.errors()[0].message.find("it has: customs") != std::string::npos);
    CHECK(e.errors()[1].field == "reporting[0].countries[0]");
  }
}

TEST_CASE(
    "public record: the rate is recovered from what was published at the closed form and "
    "less precisely as reporting falls" *
    doctest::test_suite("heavy")) {
  const models::ScenarioFile f = models::read_scenario_file(kDir + "infer_synthetic.textproto");
  std::vector<double> relative_widths;
  for (const double p : {0.8, 0.2}) {
    CAPTURE(p);
    const Synthetic data = synthesize(f, p);
    const Posterior post = infer(f, data.record);
    // Published cases in the window ~ Poisson(rate c), c = 0.3 p (days / 365): every detection
    // is published with p whatever its date, and the window sits in the steady state. With
    // the flat prior on [1, 150] the posterior is Gamma(k + 1, c).
    const double c = kInspect * p * kDays / 365, k = data.published;
    const double exact_mean = (k + 1) / c, exact_sd = std::sqrt(k + 1) / c;
    CAPTURE(k);
    CAPTURE(post.mean);
    CAPTURE(exact_mean);
    // As in inference_test.cpp: 500 particles put the mean within ~0.2 sd of the exact one.
    CHECK(std::fabs(post.mean - exact_mean) < 0.25 * exact_sd);
    CHECK(post.low < kTruth);
    CHECK(post.high > kTruth);
    relative_widths.push_back((post.high - post.low) / post.mean);
    // The fitted model reproduces the record it came from.
    REQUIRE(post.result.checks.size() == 1);
    CHECK(post.result.checks[0].p_value > 0.05);
  }
  // Fewer published cases, less information: at a quarter of the reporting the relative width
  // doubles (1 / sqrt(k)); the counts' own noise moves this, so 1.3 leaves room for it.
  CHECK(relative_widths[1] > 1.3 * relative_widths[0]);
}

TEST_CASE(
    "public record: an unknown reporting probability trades off against the volume and a "
    "record the model cannot reproduce fails its predictive check" *
    doctest::test_suite("heavy")) {
  const models::ScenarioFile f = models::read_scenario_file(kDir + "infer_synthetic.textproto");
  const Synthetic data = synthesize(f, 0.5);
  const Posterior known = infer(f, data.record, 300);
  // The same cases, the reporting probability a prior on [0.1, 1].
  std::string text = data.record.text;
  const std::string fixed = "fixed: 0.500000";
  REQUIRE(text.find(fixed) != std::string::npos);
  text.replace(text.find(fixed), fixed.size(), "uniform { min: 0.1 max: 1 }");
  const Posterior unknown = infer(f, models::parse_observations_text("r.textproto", text), 300);
  REQUIRE(unknown.result.parameters.size() == 2);
  CHECK(unknown.result.parameters[1] == "reporting.seizures.probability");
  // Only rate x p is identified: the rate's interval spans what the prior on p allows.
  CHECK(unknown.high - unknown.low > 2 * (known.high - known.low));
  // ... along a ridge: rate and probability are negatively correlated in the posterior.
  const auto& pop = unknown.result.abc.population;
  double mr = 0, mp = 0, cov = 0;
  for (std::size_t i = 0; i < pop.weights.size(); ++i) {
    mr += pop.weights[i] * pop.parameters[i][0];
    mp += pop.weights[i] * pop.parameters[i][1];
  }
  for (std::size_t i = 0; i < pop.weights.size(); ++i) {
    cov += pop.weights[i] * (pop.parameters[i][0] - mr) * (pop.parameters[i][1] - mp);
  }
  CHECK(cov < 0);

  // All the cases of four years in its first year: no steady rate explains the bins.
  std::string burst = header("fixed: 0.5", "bin_days: 365 ");
  for (int i = 0; i < static_cast<int>(data.published); ++i) {
    burst += "cases { reporting: \"seizures\" published: \"2021-0" + std::to_string(1 + i % 9) +
             "-15\" }\n";
  }
  const Posterior misfit = infer(f, models::parse_observations_text("r.textproto", burst), 300);
  REQUIRE(misfit.result.checks.size() == 4);
  double smallest = 1;
  for (const auto& c : misfit.result.checks) smallest = std::min(smallest, c.p_value);
  CHECK(smallest < 0.01);
}
