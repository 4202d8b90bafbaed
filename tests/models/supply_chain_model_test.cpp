#include "models/supply_chain_model.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>

#include "chiptrail/v1/scenario.pb.h"
#include "models/ladder_checks.hpp"
#include "models/lot.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario_test_support.hpp"
#include "sim/analysis/intervals.hpp"
#include "sim/running_stats.hpp"
#include "sim/sampling.hpp"

using namespace chiptrail;
using chiptrail::testing::base_scenario;
using chiptrail::testing::diversion_flow;
using chiptrail::testing::world_from_text;

namespace {

std::string customs_at_border(double rate, double detection = 1.0) {
  return "policies { name: \"customs\" scope { nodes: \"b\" } cost_per_unit_usd: 100\n"
         "  customs_inspection { inspection_rate: " +
         std::to_string(rate) + " detection_probability: " + std::to_string(detection) + " } }\n";
}

}  // namespace

TEST_CASE("chips are conserved in every replication of every shipped scenario") {
  const auto registry = testing::builtin_registry();
  const auto scenarios = testing::shipped_scenarios(CHIPTRAIL_SOURCE_DIR);
  REQUIRE(scenarios.size() >= 7);
  for (const std::string& path : scenarios) {
    CAPTURE(path);
    const models::World w = models::load_world(path, registry);
    for (std::uint64_t r = 0; r < 20; ++r) {
      const models::RunMetrics m = models::run_replication(w, r);
      CHECK(m.get("chips_diverted") > 0);
      testing::check_ladder_conservation(m);
    }
  }
}

TEST_CASE("a lot split into consignments and merged back keeps its chips and serials") {
  models::Lot lot;
  lot.id = 7;
  lot.chips = 100;
  lot.first_serial = 1000;
  const auto parts = models::split(lot, 32);
  REQUIRE(parts.size() == 4);
  CHECK(parts[3].chips == 4);
  CHECK(parts[1].first_serial == 1032);
  CHECK(parts[0].id == 7);
  CHECK(parts[0].part == 1);
  CHECK(parts[3].part == 4);
  CHECK(models::key(parts[0]) != models::key(parts[1]));
  CHECK(models::merge(lot, parts).chips == 100);
  CHECK(models::merge(lot, {parts[0], parts[2]}).chips == 64);
}

TEST_CASE("consignment keys stay distinct past 65,536 parts, and serials never overlap") {
  // Ids used to pack the part index in 16 bits: past 65,535 consignments keys collided.
  models::Lot a;
  a.id = 1;
  a.chips = 70000;
  models::Lot b = a;
  b.id = 2;
  std::unordered_set<models::LotKey, models::LotKeyHash> keys;
  std::uint64_t chips = 0;
  for (const models::Lot& lot : {a, b}) {
    std::uint64_t next_serial = 0;
    for (const models::Lot& part : models::split(lot, 1)) {
      CHECK(part.first_serial == next_serial);  // contiguous within the sold lot
      next_serial += part.chips;
      chips += part.chips;
      keys.insert(models::key(part));
    }
  }
  CHECK(keys.size() == 140000);
  CHECK(chips == 140000);
}

TEST_CASE("a lot dismantled into 70,000 consignments conserves its chips") {
  // Past 65,535 consignments per lot, ids packed in 16 bits collided and chips went missing.
  const models::World w =
      world_from_text(base_scenario() + diversion_flow(2, 70000, 1) +
                      "policies { name: \"c\" scope { nodes: \"b\" }\n"
                      "  customs_inspection { inspection_rate: 0.5 detection_probability: 1 } }\n");
  const models::RunMetrics m = models::run_replication(w, 0);
  CHECK(m.get("chips_diverted") == 140000);
  testing::check_ladder_conservation(m);
  // About half of the consignments are seized: 70,000 +- 3.29 sd of a binomial.
  CHECK(std::abs(m.get("chips_seized") - 70000) < 3.29 * std::sqrt(140000 * 0.25));
}

TEST_CASE("with no enforcement, nothing is detected and every diverted chip arrives") {
  const models::World w =
      world_from_text("replications: 5\n" + base_scenario() + diversion_flow(30, 64, 16));
  for (std::uint64_t r = 0; r < 5; ++r) {
    const models::RunMetrics m = models::run_replication(w, r);
    CHECK(m.get("lots_flagged") == 0);
    CHECK(m.get("chips_interdicted") == 0);
    CHECK(m.get("lots_diverted") == 30);
    // Fixed times: every lot bought by day 49 is through the 3-day chain by day 100.
    CHECK(m.get("chips_delivered_restricted") == 30 * 64);
    CHECK(m.get("chips_in_pipeline") == 0);
    CHECK(m.get("enforcement_cost_usd") == 0);
  }
}

TEST_CASE("one border inspected with probability p detects a fraction p of lots") {
  // One consignment per lot and certain detection on inspection: each lot is caught with
  // probability p, independently. The pooled rate must fall inside the 99.9% Wilson interval
  // around it, and p inside the 99.9% interval of the estimate.
  for (const double p : {0.05, 0.3, 0.8}) {
    CAPTURE(p);
    const models::World w =
        world_from_text(base_scenario() + diversion_flow(200, 64, 64) + customs_at_border(p));
    std::uint64_t detected = 0, lots = 0;
    for (std::uint64_t r = 0; r < 20; ++r) {
      const models::RunMetrics m = models::run_replication(w, r);
      detected += static_cast<std::uint64_t>(m.get("lots_flagged"));
      lots += static_cast<std::uint64_t>(m.get("lots_diverted"));
      testing::check_ladder_conservation(m);
    }
    REQUIRE(lots == 4000);
    CHECK(sim::wilson_interval(detected, lots, 0.999).contains(p));
  }
}

TEST_CASE("lots split into k consignments are detected with probability 1 - (1 - p)^k") {
  // DOMAIN.md case 1's composition rule, here across consignments of one lot.
  const double p = 0.1;
  const int k = 4;
  const models::World w =
      world_from_text(base_scenario() + diversion_flow(200, 64, 64 / k) + customs_at_border(p));
  std::uint64_t detected = 0, lots = 0;
  double chips_interdicted = 0, chips = 0;
  for (std::uint64_t r = 0; r < 20; ++r) {
    const models::RunMetrics m = models::run_replication(w, r);
    detected += static_cast<std::uint64_t>(m.get("lots_flagged"));
    lots += static_cast<std::uint64_t>(m.get("lots_diverted"));
    chips_interdicted += m.get("chips_interdicted");
    chips += m.get("chips_diverted");
  }
  const double expected = 1 - std::pow(1 - p, k);  // 0.3439
  CHECK(sim::wilson_interval(detected, lots, 0.999).contains(expected));
  // Chips: each consignment of 16 chips is caught with probability p.
  CHECK(sim::wilson_interval(static_cast<std::uint64_t>(chips_interdicted / 16),
                             static_cast<std::uint64_t>(chips / 16), 0.999)
            .contains(p));
}

TEST_CASE("relabelled consignments meet the relabelled detection probability") {
  const models::World w = world_from_text(
      base_scenario() +
      "flows { id: \"d\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
      "  arrivals { poisson_per_year: 2000 } lot_chips { fixed: 8 } route: [\"v\", \"dc\"]\n"
      "  tactics { consignment_chips: 8 relabel_probability: 1 end_facility: \"end\" } }\n"
      "policies { name: \"c\" customs_inspection { inspection_rate: 1 detection_probability: 1\n"
      "  relabelled_detection_probability: 0.25 } }\n");
  const models::RunMetrics m = models::run_replication(w, 0);
  const auto lots = static_cast<std::uint64_t>(m.get("lots_diverted"));
  const auto caught = static_cast<std::uint64_t>(m.get("lots_flagged"));
  // Lots still before the border at the horizon are neither; count only those resolved.
  const auto delivered = static_cast<std::uint64_t>(m.get("lots_delivered_restricted"));
  CHECK(lots > 300);
  CHECK(sim::wilson_interval(caught, caught + delivered, 0.999).contains(0.25));
}

TEST_CASE("a policy comes into force at its start time") {
  // Inspection is certain but starts on day 30: only lots reaching the border after it are caught.
  const models::World w =
      world_from_text(base_scenario() + diversion_flow(50, 8, 8) +
                      "policies { name: \"c\" start_days: 30 scope { nodes: \"b\" }\n"
                      "  customs_inspection { inspection_rate: 1 detection_probability: 1 } }\n");
  const models::RunMetrics m = models::run_replication(w, 0);
  // Lots bought on days 0..49 reach the border two days later: those bought on day 28 or later
  // arrive on day 30 or later.
  CHECK(m.get("lots_flagged") == 22);
  CHECK(m.get("lots_delivered_restricted") == 28);
}

namespace {
// A policy defined only here: the README's example, verbatim apart from the namespace.
class LargeOrderScreening : public chiptrail::models::Policy {
 public:
  LargeOrderScreening(double threshold, double catch_rate)
      : threshold_(threshold), catch_rate_(catch_rate) {}
  chiptrail::models::Decision on_sale(const chiptrail::models::PolicyContext& ctx) const override {
    using chiptrail::models::Verdict;
    if (static_cast<double>(ctx.lot.chips) < threshold_) return {Verdict::kPass, 0};
    const bool caught = ctx.lot.diverted && chiptrail::sim::bernoulli(ctx.rng, catch_rate_);
    return {caught ? Verdict::kSeize : Verdict::kPass, 1};  // one screening's effort
  }

 private:
  double threshold_, catch_rate_;
};
}  // namespace

TEST_CASE("a policy registered by the embedding program runs in a scenario") {
  chiptrail::models::PolicyRegistry registry;
  chiptrail::models::register_builtin_policies(registry);
  registry.add("large_order_screening", [](const chiptrail::v1::Policy& config) {
    const auto& p = config.custom().parameters();
    if (!p.contains("threshold"))
      throw chiptrail::models::PolicyConfigError("parameters", "needs threshold");
    return std::make_unique<LargeOrderScreening>(
        p.at("threshold"), p.contains("catch_rate") ? p.at("catch_rate") : 0.5);
  });
  const auto kinds = registry.kinds();
  CHECK(std::find(kinds.begin(), kinds.end(), "large_order_screening") != kinds.end());
  CHECK(kinds.size() == 12);  // the eleven built-in measures and this one
  const std::string flows =
      "flows { id: \"small\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
      "  arrivals { schedule { at_days: [1, 2, 3] } } lot_chips { fixed: 8 } route: [\"v\", "
      "\"dc\"]\n"
      "  tactics { consignment_chips: 8 end_facility: \"end\" } }\n"
      "flows { id: \"large\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
      "  arrivals { schedule { at_days: [1, 2] } } lot_chips { fixed: 800 } route: [\"v\", "
      "\"dc\"]\n"
      "  tactics { consignment_chips: 8 end_facility: \"end\" } }\n";
  const std::string policy =
      "policies { name: \"kyc\" cost_per_unit_usd: 10\n"
      "  custom { kind: \"large_order_screening\"\n"
      "    parameters { key: \"threshold\" value: 100 }\n"
      "    parameters { key: \"catch_rate\" value: 1 } } }\n";
  const models::World w = world_from_text(base_scenario() + flows + policy, registry);
  const models::RunMetrics m = models::run_replication(w, 0);
  CHECK(m.get("lots_first_flagged_by.kyc") == 2);
  CHECK(m.get("chips_interdicted") == 1600);
  CHECK(m.get("chips_delivered_restricted") == 24);
  CHECK(m.get("cost_usd_by.kyc") == 20);  // two screenings of large orders
  CHECK(m.get("mean_days_to_first_flag") == 0);
  // Without the threshold the factory's error becomes a located input error.
  const std::string bad =
      "policies { name: \"kyc\"\n  custom { kind: \"large_order_screening\" } }\n";
  try {
    world_from_text(base_scenario() + bad, registry);
    FAIL("expected an error");
  } catch (const models::InvalidInput& e) {
    REQUIRE(e.errors().size() == 1);
    CHECK(e.errors()[0].line == 11);
    CHECK(e.errors()[0].field == "policies[0].custom.parameters");
  }
}

TEST_CASE("a replication is a pure function of (scenario, seed, replication)") {
  const models::World w =
      world_from_text(base_scenario() + diversion_flow(50, 64, 16) + customs_at_border(0.3));
  // Compared as bytes: undefined rates are NaN, which never equals itself.
  const auto bytes = [](const models::RunMetrics& m) {
    return std::string(reinterpret_cast<const char*>(m.values.data()),
                       m.values.size() * sizeof(double));
  };
  const models::RunMetrics a = models::run_replication(w, 3);
  const models::RunMetrics b = models::run_replication(w, 3);
  CHECK(bytes(a) == bytes(b));
  const models::RunMetrics c = models::run_replication(w, 4);
  CHECK(bytes(a) != bytes(c));
}

TEST_CASE("adding a policy elsewhere does not change this policy's draws") {
  // Common random numbers: the customs decisions at "b" must be the same whether or not another
  // policy (at another node, never catching anything) is present.
  const std::string base = base_scenario() + diversion_flow(100, 64, 16) + customs_at_border(0.3);
  const models::World one = world_from_text(base);
  const models::World two =
      world_from_text(base +
                      "policies { name: \"other\" scope { nodes: \"dc\" }\n"
                      "  customs_inspection { inspection_rate: 0.5 detection_probability: 0 } }\n");
  for (std::uint64_t r = 0; r < 5; ++r) {
    CHECK(models::run_replication(one, r).get("chips_interdicted_by.customs") ==
          models::run_replication(two, r).get("chips_interdicted_by.customs"));
  }
}

TEST_CASE("common random numbers make paired differences less variable") {
  // Two inspection rates at one border. With common random numbers, replication r of both
  // points sees the same lots, sizes and uniforms, so the difference varies far less than the
  // difference of independent runs. Var(independent diff) = 2 Var(X); with CRN it must be well
  // below: check it is below half, a margin far outside sampling noise at 200 pairs.
  const std::string base =
      base_scenario() +
      "flows { id: \"d\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
      "  arrivals { poisson_per_year: 200 } lot_chips { uniform { min: 8 max: 200 } } route: "
      "[\"v\", \"dc\"]\n"
      "  tactics { consignment_chips: 16 end_facility: \"end\" } }\n";
  const models::World low = world_from_text(base + customs_at_border(0.1));
  const models::World high = world_from_text(base + customs_at_border(0.2));
  sim::RunningStats paired, independent;
  for (std::uint64_t r = 0; r < 200; ++r) {
    const double a = models::run_replication(low, r).get("chips_delivered_restricted");
    paired.add(models::run_replication(high, r).get("chips_delivered_restricted") - a);
    independent.add(models::run_replication(high, r + 1000).get("chips_delivered_restricted") - a);
  }
  CHECK(paired.variance() < 0.5 * independent.variance());
  // Both estimate the same mean difference (fewer chips delivered at the higher rate).
  CHECK(paired.mean() < 0);
}
