#include "models/uncertainty.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/scenario_test_support.hpp"

using namespace chiptrail;

TEST_CASE("second-order Monte Carlo splits variance into its known parameter and random parts" *
          doctest::test_suite("heavy")) {
  // Lots of 8 chips arrive as a Poisson process whose yearly rate is uncertain, uniform on
  // [100, 300]; over one year N | lambda ~ Poisson(lambda), so chips_diverted = 8 N has
  //   mean 8 E[lambda] = 1600, random part E[Var(8N | lambda)] = 64 E[lambda] = 12,800,
  //   parameter part Var(E[8N | lambda]) = 64 Var(lambda) = 64 * 200^2 / 12 = 213,333.
  const std::string text =
      testing::base_scenario().replace(0, 17, "horizon_days: 365") +
      "flows { id: \"d\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
      "  arrivals { poisson_per_year: 200 } lot_chips { fixed: 8 } route: [\"v\", \"dc\"]\n"
      "  tactics { consignment_chips: 8 end_facility: \"end\" } }\n"
      "uncertain { path: \"flows[id=d].arrivals.poisson_per_year\"\n"
      "  distribution { uniform { min: 100 max: 300 } } }\n";
  const models::ScenarioFile file = models::parse_scenario_text("u.textproto", text);
  const auto registry = testing::builtin_registry();
  (void)models::build_world(file, registry);  // valid as written
  const std::uint32_t S = 400, R = 20;
  const auto result = models::run_uncertainty(file, registry, {S, R, 1, 2});
  const models::UncertaintySummary* chips = nullptr;
  for (const auto& u : result) {
    if (u.metric == "chips_diverted") chips = &u;
  }
  REQUIRE(chips != nullptr);
  const double e_lambda = 200, var_lambda = 200.0 * 200.0 / 12,
               e_lambda2 = e_lambda * e_lambda + var_lambda;
  const double random = 64 * e_lambda, parameter = 64 * var_lambda;
  // Standard errors of the estimators: the random part averages S sample variances with R - 1
  // degrees of freedom (Poisson counts this large are near normal); the parameter part is a
  // sample variance of S means dominated by a uniform (kurtosis 1.8).
  const double se_random = std::sqrt(2 * 64.0 * 64.0 * e_lambda2 / ((R - 1.0) * S));
  const double se_parameter = (parameter + random / R) * std::sqrt(0.8 / S);
  const double se_mean = std::sqrt((parameter + random / R) / S);
  CHECK(std::abs(chips->mean - 1600) < 4.5 * se_mean);
  CHECK(std::abs(chips->stochastic_variance - random) < 4.5 * se_random);
  CHECK(std::abs(chips->parameter_variance - parameter) < 4.5 * se_parameter);
  CHECK(chips->p05 < chips->p50);
  CHECK(chips->p50 < chips->p95);
}

TEST_CASE("uncertain parameters are validated with their location") {
  const std::string text = testing::base_scenario() +
                           "uncertain { path: \"flows[id=nobody].arrivals.poisson_per_year\"\n"
                           "  distribution { uniform { min: 1 max: 2 } } }\n";
  try {
    (void)testing::world_from_text(text, testing::builtin_registry(), "bad.textproto");
    FAIL("expected an error");
  } catch (const models::InvalidInput& e) {
    REQUIRE(e.errors().size() == 1);
    CHECK(e.errors()[0].line == 10);
    CHECK(e.errors()[0].field == "uncertain[0].path");
  }
}
