// Remote access (Flow.remote_access): leases of cloud capacity, their H100e-hours against hand
// values and closed forms, the measures on leases, and the errors of the format.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "chiptrail/v1/scenario.pb.h"
#include "models/analytic/scenario_analysis.hpp"
#include "models/run_config.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario_test_support.hpp"
#include "models/supply_chain_model.hpp"
#include "models/sweep/field_setter.hpp"
#include "sim/running_stats.hpp"

using namespace chiptrail;

namespace {

// A data center whose capacity is leased, B200s worth 2.5 H100e; `flows` and `policies` added.
std::string cloud(double horizon_days, const std::string& rest) {
  return "horizon_days: " + std::to_string(horizon_days) +
         "\nchips { model: \"B200\" price_usd: 40000 controlled: true h100_equivalents: 2.5 }\n"
         "nodes { id: \"v\" kind: VENDOR }\n"
         "nodes { id: \"dc\" kind: DATA_CENTER country: \"MY\" latitude: 1.5 longitude: 103.6 }\n"
         "edges { from: \"v\" to: \"dc\" mode: AIR transit_days { fixed: 1 } }\n" +
         rest;
}

// `n` leases of 64 chips, one every 10 days from day 0, each for `days`.
std::string leases(const char* kind, int n, const std::string& days) {
  std::string at;
  for (int i = 0; i < n; ++i) at += (i ? ", " : "") + std::to_string(10 * i);
  return std::string("flows { id: \"") + (std::string(kind) == "DIVERSION" ? "rent" : "tenants") +
         "\" kind: " + kind + " chip_model: \"B200\" lot_chips { fixed: 64 }\n" +
         "  destination: \"dc\" arrivals { schedule { at_days: [" + at +
         "] } }\n  remote_access { lease_days { " + days + " } } }\n";
}

const char* kKyc =
    "policies { name: \"kyc\" cost_per_unit_usd: 50 cloud_kyc { catch_probability_medium: %s "
    "false_positive_probability: %s } }\n";

std::string kyc(const std::string& catch_p, const std::string& fp = "0") {
  char buf[512];
  std::snprintf(buf, sizeof buf, kKyc, catch_p.c_str(), fp.c_str());
  return buf;
}

std::string monitoring(double mean_days, double fp = 0) {
  return "policies { name: \"watch\" usage_monitoring { mean_days_to_detect: " +
         std::to_string(mean_days) + " false_positive_probability: " + std::to_string(fp) +
         " } }\n";
}

void check_conservation(const models::RunMetrics& m) {
  CHECK(m.get("h100e_hours_remote_sought") ==
        doctest::Approx(m.get("h100e_hours_remote_denied") + m.get("h100e_hours_remote_used") +
                        m.get("h100e_hours_remote_in_pipeline"))
            .epsilon(1e-12));
}

}  // namespace

TEST_CASE("remote access: hours are chips x H100e x lease hours, and the horizon cuts them") {
  // 20 leases of 64 B200 (2.5 H100e) for 90 days: all end by day 280 < 400.
  const double per_lease = 64 * 2.5 * 90 * 24;
  {
    const auto w = testing::world_from_text(cloud(400, leases("DIVERSION", 20, "fixed: 90")));
    const models::RunMetrics m = models::run_replication(w, 0);
    CHECK(m.get("leases_restricted") == 20);
    CHECK(m.get("h100e_hours_remote_sought") == doctest::Approx(20 * per_lease));
    CHECK(m.get("h100e_hours_remote_used") == doctest::Approx(20 * per_lease));
    CHECK(m.get("h100e_hours_remote_denied") == 0);
    CHECK(m.get("h100e_hours_remote_in_pipeline") == 0);
    // No chip moved: the physical ladder is empty.
    CHECK(m.get("lots_diverted") == 0);
    CHECK(m.get("h100e_in_service_restricted") == 0);
    // 20 x 90 days of 160 H100e over 400 days: 720 H100e-years / (400 / 365) years.
    CHECK(m.get("h100e_years_remote_used_per_year") ==
          doctest::Approx(20 * 90 * 160 / 365.0 / (400 / 365.0)));
  }
  {
    // Horizon 100: leases start on days 0..90; used until the horizon: 90 + 90 + 80 + ... + 10
    // = 540 lease-days; what they would use after it: 0 + 0 + 10 + ... + 80 = 360.
    const auto w = testing::world_from_text(cloud(100, leases("DIVERSION", 20, "fixed: 90")));
    const models::RunMetrics m = models::run_replication(w, 0);
    CHECK(m.get("leases_restricted") == 10);
    CHECK(m.get("h100e_hours_remote_used") == doctest::Approx(540 * 64 * 2.5 * 24));
    CHECK(m.get("h100e_hours_remote_in_pipeline") == doctest::Approx(360 * 64 * 2.5 * 24));
    check_conservation(m);
  }
}

TEST_CASE("remote access: KYC refuses leases, location verification never sees them") {
  const std::string lv =
      "policies { name: \"lv\" location_verification { challenge_interval_days: 1 "
      "max_rtt_ms: 5 landmarks { name: \"sg\" latitude: 1.35 longitude: 103.8 } } }\n";
  const auto w =
      testing::world_from_text(cloud(400, leases("DIVERSION", 20, "fixed: 90") + kyc("1") + lv));
  const models::RunMetrics m = models::run_replication(w, 0);
  CHECK(m.get("leases_refused_restricted") == 20);
  CHECK(m.get("h100e_hours_remote_used") == 0);
  CHECK(m.get("h100e_hours_remote_denied") == doctest::Approx(20 * 64 * 2.5 * 90 * 24));
  CHECK(m.get("h100e_hours_remote_denied_by.kyc") == m.get("h100e_hours_remote_denied"));
  CHECK(m.get("h100e_hours_remote_denied_by.lv") == 0);
  CHECK(m.get("lots_flagged") == 0);
  CHECK(m.get("cost_usd_by.kyc") == 20 * 50);  // one screening per lease
  CHECK(m.get("share_h100e_hours_remote_denied") == 1);
}

TEST_CASE("remote access: KYC and monitoring against the closed form over replications") {
  // 100 leases of 90 days; KYC refuses with 0.3; monitoring finds a lease after Exp(mean 60)
  // days. A lease's used days: (1 - B) min(90, T), with mean 0.7 * 60 (1 - e^{-1.5}).
  const auto w = testing::world_from_text(
      cloud(1200, leases("DIVERSION", 100, "fixed: 90") + kyc("0.3") + monitoring(60)));
  const double expected_days = 100 * 0.7 * 60 * (1 - std::exp(-1.5));
  constexpr int kReplications = 300;
  sim::RunningStats used_days, refused, cut;
  for (int r = 0; r < kReplications; ++r) {
    const models::RunMetrics m = models::run_replication(w, static_cast<std::uint64_t>(r));
    check_conservation(m);
    CHECK(m.get("h100e_hours_remote_denied_by.kyc") + m.get("h100e_hours_remote_denied_by.watch") ==
          doctest::Approx(m.get("h100e_hours_remote_denied")));
    used_days.add(m.get("h100e_hours_remote_used") / (64 * 2.5 * 24));
    refused.add(m.get("leases_refused_restricted"));
    cut.add(m.get("leases_cut_restricted"));
  }
  const double se = std::sqrt(used_days.variance() / kReplications);
  CHECK(std::abs(used_days.mean() - expected_days) < 4.5 * se);
  // Refusals are Binomial(100, 0.3); cuts Binomial(100, 0.7 (1 - e^{-1.5})).
  CHECK(std::abs(refused.mean() - 30) < 4.5 * std::sqrt(100 * 0.3 * 0.7 / kReplications));
  const double p_cut = 0.7 * (1 - std::exp(-1.5));
  CHECK(std::abs(cut.mean() - 100 * p_cut) <
        4.5 * std::sqrt(100 * p_cut * (1 - p_cut) / kReplications));
}

TEST_CASE("remote access: legitimate tenants are the denominator of false positives") {
  // KYC refuses a legitimate tenant with 0.1; monitoring wrongly reports one with 0.2 (it runs
  // on): a lease is wronged with 0.1 + 0.9 * 0.2 = 0.28.
  const auto w = testing::world_from_text(
      cloud(400, leases("LEGITIMATE", 40, "fixed: 30") + kyc("0.5", "0.1") +
                     "policies { name: \"watch\" false_positive_cost_usd: 1000 usage_monitoring { "
                     "mean_days_to_detect: 60 false_positive_probability: 0.2 } }\n"));
  constexpr int kReplications = 200;
  double wronged = 0, refused = 0;
  for (int r = 0; r < kReplications; ++r) {
    const models::RunMetrics m = models::run_replication(w, static_cast<std::uint64_t>(r));
    CHECK(m.get("leases_legitimate") == 40);
    CHECK(m.get("leases_restricted") == 0);
    wronged += m.get("leases_legitimate_false_positive");
    refused += m.get("leases_legitimate_refused");
    CHECK(m.get("h100e_hours_legitimate_refused") ==
          doctest::Approx(m.get("leases_legitimate_refused") * 64 * 2.5 * 30 * 24));
    CHECK(m.get("legitimate_burden_usd") ==
          doctest::Approx(1000 * (m.get("leases_legitimate_false_positive") -
                                  m.get("leases_legitimate_refused"))));
  }
  constexpr double n = 40.0 * kReplications;
  CHECK(std::abs(wronged / n - 0.28) < 4.5 * std::sqrt(0.28 * 0.72 / n));
  CHECK(std::abs(refused / n - 0.1) < 4.5 * std::sqrt(0.1 * 0.9 / n));
}

TEST_CASE("remote access: errors name the field; sweeps reach the lease; the solver declines") {
  const auto flow = [](const std::string& extra) {
    return cloud(100,
                 "flows { id: \"rent\" kind: DIVERSION chip_model: \"B200\" lot_chips { "
                 "fixed: 8 } arrivals { poisson_per_year: 10 }\n" +
                     extra + " }\n");
  };
  const std::string lease = "remote_access { lease_days { fixed: 30 } } ";
  CHECK_THROWS_WITH_AS(testing::world_from_text(flow(lease + "destination: \"v\"")),
                       doctest::Contains("flows[0].destination"), models::InvalidInput);
  CHECK_THROWS_WITH_AS(testing::world_from_text(flow(lease)),
                       doctest::Contains("flows[0].destination: is required"),
                       models::InvalidInput);
  CHECK_THROWS_WITH_AS(
      testing::world_from_text(flow(lease + "route: [\"v\", \"dc\"] destination: \"dc\"")),
      doctest::Contains("flows[0].route"), models::InvalidInput);
  CHECK_THROWS_WITH_AS(testing::world_from_text(
                           flow(lease + "destination: \"dc\" tactics { consignment_chips: 8 }")),
                       doctest::Contains("flows[0].tactics"), models::InvalidInput);
  CHECK_THROWS_WITH_AS(testing::world_from_text(flow("remote_access { } destination: \"dc\"")),
                       doctest::Contains("flows[0].remote_access.lease_days"),
                       models::InvalidInput);
  CHECK_THROWS_WITH_AS(
      testing::world_from_text(flow(lease + "destination: \"dc\"") + monitoring(0)),
      doctest::Contains("mean_days_to_detect"), models::InvalidInput);

  auto scenario =
      models::parse_scenario_text("test.textproto", flow(lease + "destination: \"dc\""));
  models::set_numeric_field(*scenario.message, "flows[id=rent].remote_access.lease_days.fixed", 45);
  const models::World w = models::build_world(scenario, testing::builtin_registry());
  CHECK(w.flows.at(0).lease_days.mean() == 45);
  const auto analysis = models::analyze(w);
  REQUIRE(analysis.size() == 1);
  REQUIRE(!analysis[0].obstacles.empty());
  CHECK(analysis[0].obstacles[0].find("remote access") != std::string::npos);
}
