// The validation suite: scenarios with answers known in closed form (DOMAIN.md's cases and
// hand-computed ones). For each, the analytic solver must equal the hand value, and the
// simulation must fall within the 99.9% interval around the analytic value.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "models/analytic/scenario_analysis.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/scenario/build_world.hpp"
#include "models/supply_chain_model.hpp"
#include "sim/intervals.hpp"

using namespace chiptrail;

namespace {

models::World load(const std::string& name) {
  models::PolicyRegistry registry;
  models::register_builtin_policies(registry);
  return models::load_world(std::string(CHIPTRAIL_SOURCE_DIR "/tests/validation/") + name,
                            registry);
}

// Every lot of these scenarios completes its journey before the horizon, so detected / diverted
// is an unbiased estimate of the probability a lot is found; lots are independent, so a Wilson
// interval applies.
void check_simulation(const models::World& w, double expected, int replications) {
  std::uint64_t detected = 0, diverted = 0;
  for (int r = 0; r < replications; ++r) {
    const models::RunMetrics m = models::run_replication(w, static_cast<std::uint64_t>(r));
    CHECK(m.get("chips_in_pipeline") == 0);  // all resolved
    detected += static_cast<std::uint64_t>(m.get("lots_detected"));
    diverted += static_cast<std::uint64_t>(m.get("lots_diverted"));
  }
  CAPTURE(detected);
  CAPTURE(diverted);
  CHECK(sim::wilson_interval(detected, diverted, 0.999).contains(expected));
}

}  // namespace

TEST_CASE("validation: DOMAIN.md case 1, independent layers in series") {
  const models::World w = load("case1_series.textproto");
  const auto a = models::analyze(w);
  REQUIRE(a.size() == 1);
  REQUIRE(a[0].obstacles.empty());
  const double hand = 1 - 0.98 * 0.95 * 0.90 * 0.76;
  CHECK(a[0].detection_probability == doctest::Approx(hand).epsilon(1e-12));
  CHECK(a[0].found_at.size() == 4);
  CHECK(a[0].found_at[3].probability == doctest::Approx(0.98 * 0.95 * 0.90 * 0.24).epsilon(1e-12));
  check_simulation(w, a[0].detection_probability, 60);
}

TEST_CASE("validation: vetting, a hub before dismantling, relabelled consignments after it") {
  const models::World w = load("split_relabel.textproto");
  const auto a = models::analyze(w);
  REQUIRE(a.size() == 1);
  REQUIRE(a[0].obstacles.empty());
  CHECK(a[0].consignments.size() == 4);
  const double hand = 1 - 0.9 * 0.9 * std::pow(1 - 0.3 * (0.5 * 0.9 + 0.5 * 0.2), 4);
  CHECK(a[0].detection_probability == doctest::Approx(hand).epsilon(1e-12));
  check_simulation(w, a[0].detection_probability, 60);
}

TEST_CASE("validation: the solver names what it cannot solve") {
  models::PolicyRegistry registry;
  models::register_builtin_policies(registry);
  const models::World w =
      models::load_world(CHIPTRAIL_SOURCE_DIR "/scenarios/chip_security_act.textproto", registry);
  for (const models::FlowAnalysis& a : models::analyze(w)) {
    CAPTURE(a.flow);
    CHECK_FALSE(a.obstacles.empty());
    bool names_heartbeat = false;
    for (const std::string& o : a.obstacles)
      names_heartbeat |= o.find("heartbeat_b200") != std::string::npos;
    CHECK(names_heartbeat);
  }
}
