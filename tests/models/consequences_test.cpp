// What follows a finding (issue 21) against hand-computable cases: who may seize (scenario
// jurisdictions, effective dates), investigations that confirm with a probability and reach
// only what is still in the chain, and front companies that a confirmed case closes.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "models/experiment/replications.hpp"
#include "models/scenario_test_support.hpp"
#include "models/supply_chain_model.hpp"
#include "sim/running_stats.hpp"

using namespace chiptrail;
using chiptrail::testing::world_from_text;

namespace {

// v (US) -> dc (MY) -> b (HK border) -> c (an undescribed transit country) -> end (CN), a day
// per leg and ten days from c to the end facility; Hong Kong may seize misdeclared goods only.
std::string network() {
  return R"(horizon_days: 3000
start_date: "2024-01-01"
chips { model: "B200" price_usd: 40000 }
nodes { id: "v" kind: VENDOR country: "US" }
nodes { id: "dc" kind: DATA_CENTER country: "MY" }
nodes { id: "b" kind: BORDER_CROSSING country: "HK" }
nodes { id: "c" kind: TRANSIT_HUB country: "XX" }
nodes { id: "end" kind: END_FACILITY country: "CN" }
edges { from: "v" to: "dc" mode: AIR transit_days { fixed: 1 } }
edges { from: "dc" to: "b" mode: TRUCK transit_days { fixed: 1 } }
edges { from: "b" to: "c" mode: TRUCK transit_days { fixed: 1 } }
edges { from: "c" to: "end" mode: TRUCK transit_days { fixed: 10 } }
)";
}

// `lots` lots of 8 loose chips, one a day from day 0, each in one consignment (relabelled with
// `relabel`), straight through: at b on day t + 2, at c on t + 3, delivered on t + 13.
std::string daily_flow(int lots, double relabel, const std::string& extra = "") {
  std::string at;
  for (int i = 0; i < lots; ++i) at += (i ? ", " : "") + std::to_string(i);
  return "flows { id: \"d\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
         "  arrivals { schedule { at_days: [" +
         at + "] } } lot_chips { fixed: 8 } route: [\"v\", \"dc\"]\n" + extra +
         "  tactics { consignment_chips: 8 relabel_probability: " + std::to_string(relabel) +
         " onward_route: [\"dc\", \"b\", \"c\", \"end\"] } }\n";
}

// Customs at b that inspect and find everything.
std::string customs_at_b(const std::string& extra = "") {
  return "policies { name: \"customs_hk\" scope { nodes: \"b\" } " + extra +
         "\n  customs_inspection { inspection_rate: 1 detection_probability: 1 "
         "relabelled_detection_probability: 1 } }\n";
}

const char* kHongKongMisdeclaration =
    "jurisdictions { country: \"HK\" authorities { kind: MISDECLARATION } }\n";

}  // namespace

TEST_CASE("jurisdictions: a correctly declared consignment is found but not seized") {
  const models::World w =
      world_from_text(network() + daily_flow(20, 0) + customs_at_b() + kHongKongMisdeclaration);
  const models::RunMetrics m = models::run_replication(w, 0);
  CHECK(m.get("lots_flagged") == 20);
  CHECK(m.get("lots_found_without_authority") == 20);
  CHECK(m.get("lots_interdicted") == 0);
  CHECK(m.get("chips_delivered_restricted") == 160);
}

TEST_CASE("jurisdictions: misdeclared consignments are customs fraud, seized") {
  const models::World w =
      world_from_text(network() + daily_flow(20, 1) + customs_at_b() + kHongKongMisdeclaration);
  const models::RunMetrics m = models::run_replication(w, 0);
  CHECK(m.get("lots_interdicted") == 20);
  CHECK(m.get("lots_found_without_authority") == 0);
}

TEST_CASE("jurisdictions: a country left out may seize; one listed with nothing may not") {
  const std::string base = network() + daily_flow(5, 0) + customs_at_b();
  CHECK(models::run_replication(world_from_text(base), 0).get("lots_interdicted") == 5);
  const models::World none = world_from_text(base + "jurisdictions { country: \"HK\" }\n");
  CHECK(models::run_replication(none, 0).get("lots_interdicted") == 0);
}

TEST_CASE("jurisdictions: a permit regime seizes from its effective date on") {
  // Controlled from 2024-01-11, day 10: lots at b on day t + 2 >= 10 are seized, t = 8..19.
  const std::string law =
      "jurisdictions { country: \"HK\" authorities { kind: CONTROLLED_ITEMS from_date: "
      "\"2024-01-11\" chip_models: \"B200\" } }\n";
  const models::World w = world_from_text(network() + daily_flow(20, 0) + customs_at_b() + law);
  const models::RunMetrics m = models::run_replication(w, 0);
  CHECK(m.get("lots_interdicted") == 12);
  CHECK(m.get("lots_found_without_authority") == 8);
  // The same law written in days.
  const std::string in_days =
      "jurisdictions { country: \"HK\" authorities { kind: CONTROLLED_ITEMS from_days: 10 } }\n";
  const models::World d = world_from_text(network() + daily_flow(20, 0) + customs_at_b() + in_days);
  CHECK(models::run_replication(d, 0).get("lots_interdicted") == 12);
}

TEST_CASE("dates: refused when malformed, before day 0, without day 0, or written twice") {
  const std::string base = network() + daily_flow(1, 0);
  const auto error_of = [](const std::string& text) {
    try {
      (void)world_from_text(text);
    } catch (const models::InvalidInput& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of(base + customs_at_b("start_date: \"2024-02-30\"")).find("YYYY-MM-DD") !=
        std::string::npos);
  CHECK(error_of(base + customs_at_b("start_date: \"2023-12-31\"")).find("before") !=
        std::string::npos);
  CHECK(
      error_of(base + customs_at_b("start_days: 3 start_date: \"2024-02-01\"")).find("not both") !=
      std::string::npos);
  std::string no_day0 = base + customs_at_b("start_date: \"2024-02-01\"");
  no_day0.erase(no_day0.find("start_date: \"2024-01-01\""), 25);
  CHECK(error_of(no_day0).find("needs the scenario's start_date") != std::string::npos);
  // A policy that starts on a date acts from that day: 2024-01-06 is day 5.
  const models::World w =
      world_from_text(network() + daily_flow(20, 0) + customs_at_b("start_date: \"2024-01-06\""));
  CHECK(models::run_replication(w, 0).get("lots_interdicted") == 17);  // at b on t + 2 >= 5
}

TEST_CASE("investigations: confirmed with their probability, they reach what is still in transit") {
  // Found at b where Hong Kong cannot seize; the case concludes 3 days later, when the
  // consignment has reached c, where nothing stops a seizure: interdicted with probability p.
  const int lots = 400;
  const double p = 0.3;
  std::string at;
  for (int i = 0; i < lots; ++i) at += (i ? ", " : "") + std::to_string(i * 7 % 2900);
  std::string flow = daily_flow(1, 0);
  flow.replace(flow.find("at_days: [0]"), 12, "at_days: [" + at + "]");
  const std::string investigation =
      "investigation { delay_days { fixed: 3 } confirm_probability: " + std::to_string(p) + " }";
  const models::World w =
      world_from_text(network() + flow + customs_at_b(investigation) + kHongKongMisdeclaration);
  CHECK(models::lots_independent(w));  // a case per lot, on the lot's own stream
  const models::RunMetrics m = models::run_replication(w, 0);
  CHECK(m.get("lots_flagged") == lots);
  const double share = m.get("lots_interdicted") / lots;
  const double se = std::sqrt(p * (1 - p) / lots);
  CHECK(std::abs(share - p) < 4 * se);
  CHECK(m.get("lots_interdicted") + m.get("lots_delivered_restricted") == lots);
  // Concluded after delivery (day t + 13), a case reaches nothing: flagged, not interdicted.
  std::string late = investigation;
  late.replace(late.find("fixed: 3"), 8, "fixed: 20");
  const models::World after =
      world_from_text(network() + flow + customs_at_b(late) + kHongKongMisdeclaration);
  const models::RunMetrics a = models::run_replication(after, 0);
  CHECK(a.get("lots_interdicted") == 0);
  CHECK(a.get("lots_delivered_restricted") == lots);
}

namespace {

// Fronts closed by cases: the k-th closure comes at C_k = E_1 + ... + E_k + k D + (k - 1) R,
// E_i ~ Exp(lambda) the wait for each front's first lot (a day's rate), D the case's delay and
// R the re-formation time; E[closures before H] = sum_k P(Poisson(lambda (H - k D -
// (k - 1) R)) >= k).
double expected_closures(double lambda, double delay, double reform, double horizon) {
  double expected = 0;
  for (int k = 1; horizon - k * delay - (k - 1) * reform > 0; ++k) {
    const double mu = lambda * (horizon - k * delay - (k - 1) * reform);
    double below = 0, term = std::exp(-mu);  // P(Poisson(mu) < k)
    for (int j = 0; j < k; ++j) {
      below += term;
      term *= mu / (j + 1);
    }
    expected += 1 - below;
  }
  return expected;
}

// Vetting that refuses every sale to the flow's front, with a case confirmed at once.
const char* kVettingWithCase =
    "policies { name: \"kyc\" scope { nodes: \"v\" }\n"
    "  investigation { delay_days { fixed: 0 } }\n"
    "  customer_vetting { catch_probability_medium: 1 } }\n";

}  // namespace

TEST_CASE(
    "fronts: a confirmed case closes the front; lots due while it is closed are never bought") {
  // Lots due every 10 days from 0 to 990; each is caught at sale and closes the front for 25
  // days, so the lots due at 10 and 20 fall in the gap: bought at 0, 30, 60, ..., 990 (34).
  std::string at;
  for (int day = 0; day <= 990; day += 10) at += (at.empty() ? "" : ", ") + std::to_string(day);
  std::string flow = daily_flow(1, 0, "  front { reform_days { fixed: 25 } }\n");
  flow.replace(flow.find("at_days: [0]"), 12, "at_days: [" + at + "]");
  const models::World w = world_from_text(network() + flow + kVettingWithCase);
  CHECK_FALSE(models::lots_independent(w));
  CHECK(models::run_replication(w, 0).get("lots_diverted") == 34);
  // Without an investigation, a refused sale closes nothing.
  std::string no_case = kVettingWithCase;
  no_case.erase(no_case.find("  investigation"), 43);
  CHECK(models::run_replication(world_from_text(network() + flow + no_case), 0)
            .get("lots_diverted") == 100);
}

TEST_CASE("counting window: consequences count from count_from, per-year rates divide by it") {
  // As above, lots bought and closures at 0, 30, ..., 990; counting from day 500 leaves those
  // at 510, 540, ..., 990 (17), each closing the front for 25 days; the window is 2,500 days.
  std::string at;
  for (int day = 0; day <= 990; day += 10) at += (at.empty() ? "" : ", ") + std::to_string(day);
  std::string flow = daily_flow(1, 0, "  front { reform_days { fixed: 25 } }\n");
  flow.replace(flow.find("at_days: [0]"), 12, "at_days: [" + at + "]");
  const models::World w = world_from_text(network() + flow + kVettingWithCase);
  models::RunConfig config = models::default_run(w);
  config.count_from = sim::Time::days(500);
  const models::RunMetrics m = models::run_replication(w, config, 0);
  CHECK(m.get("lots_diverted") == 17);
  CHECK(m.get("front_closures") == 17);
  CHECK(m.get("front_closed_days") == doctest::Approx(17 * 25.0));
  CHECK(m.get("lots_diverted_per_year") == doctest::Approx(17 / (2500 / 365.0)));
  CHECK(m.get("lots_flagged_by.kyc") == 17);
}

TEST_CASE("fronts: Poisson lots with a closure after each: the renewal count") {
  // Rate lambda a day, each lot closes the front for R days at once (D = 0), then a fresh
  // exponential wait: lot k is bought when closure k comes, so E[lots] = E[closures].
  const double lambda = 0.1, horizon = 3000;
  const double expected = expected_closures(lambda, 0, 20, horizon);
  const std::string flow =
      "flows { id: \"d\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
      "  arrivals { poisson_per_year: 36.5 } lot_chips { fixed: 8 } route: [\"v\", \"dc\"]\n"
      "  front { reform_days { fixed: 20 } }\n"
      "  tactics { consignment_chips: 8 end_facility: \"end\" } }\n";
  const models::World w = world_from_text(network() + flow + kVettingWithCase);
  sim::RunningStats lots;
  for (std::uint64_t r = 0; r < 200; ++r)
    lots.add(models::run_replication(w, r).get("lots_diverted"));
  CAPTURE(expected);
  CAPTURE(lots.mean());
  CHECK(std::abs(lots.mean() - expected) < 4 * lots.sd() / std::sqrt(200.0));
  CHECK(expected < 0.5 * lambda * horizon);  // far from the unclosed 300: the test can fail
}

namespace {

// E[min(N, k)], N ~ Poisson(mean).
double expected_min(double mean, int k) {
  double sum = 0, p = std::exp(-mean), below = 0;
  for (int n = 0; n < k; ++n) {
    sum += n * p;
    below += p;
    p *= mean / (n + 1);
  }
  return sum + k * (1 - below);
}

// Legitimate lots through a checkpoint b at `per_day` a day, a day from the vendor: with the
// model drained, arrivals at b fill days 1 .. 1000 as Poisson(per_day) a day. Returns the
// share of them inspected, per replication.
sim::RunningStats inspected_share(double per_day, const std::string& capacity) {
  const std::string text = R"(horizon_days: 1000
chips { model: "B200" price_usd: 40000 }
nodes { id: "v" kind: VENDOR }
nodes { id: "b" kind: TRANSIT_HUB }
nodes { id: "dc" kind: DATA_CENTER }
edges { from: "v" to: "b" mode: AIR transit_days { fixed: 1 } }
edges { from: "b" to: "dc" mode: TRUCK transit_days { fixed: 1 } }
flows { id: "l" kind: LEGITIMATE chip_model: "B200" packaging: LOOSE lot_chips { fixed: 8 }
  arrivals { poisson_per_year: )" +
                           std::to_string(per_day * 365) +
                           R"( } route: ["v", "b", "dc"] }
policies { name: "customs" cost_per_unit_usd: 1
  customs_inspection { capacity { )" +
                           capacity + " } } }\n";
  const models::World w = world_from_text(text);
  CHECK_FALSE(models::lots_independent(w));
  models::RunConfig config = models::default_run(w);
  config.drain = true;
  sim::RunningStats share;
  for (std::uint64_t r = 0; r < 12; ++r) {
    const models::RunMetrics m = models::run_replication(w, config, r);
    share.add(m.get("cost_usd_by.customs") / m.get("lots_legitimate"));
  }
  return share;
}

void check_share(const sim::RunningStats& share, double expected) {
  CAPTURE(expected);
  CAPTURE(share.mean());
  CHECK(std::abs(share.mean() - expected) < 4 * share.sd() / std::sqrt(12.0) + 1e-12);
}

}  // namespace

TEST_CASE("customs capacity: k a day of Poisson(lambda) arrivals inspects E[min(N, k)] / lambda") {
  check_share(inspected_share(5, "inspections_per_day: 4"), expected_min(5, 4) / 5);
  check_share(inspected_share(5, "inspections_per_day: 1"), expected_min(5, 1) / 5);
  // Other traffic, all targeted, shares the capacity: every arrival order is equally likely.
  check_share(inspected_share(5, "inspections_per_day: 4 other_consignments_per_day: 3"),
              expected_min(8, 4) / 8);
  // Half the other traffic targeted.
  check_share(inspected_share(5,
                              "inspections_per_day: 4 other_consignments_per_day: 6 "
                              "other_targeted_share: 0.5"),
              expected_min(8, 4) / 8);
  // Targeting half of the declared chips: Poisson(2.5) targeted a day, over 5 arriving.
  check_share(inspected_share(5, "inspections_per_day: 4 target_declared_chips: 0.5"),
              expected_min(2.5, 4) / 5);
  CHECK(expected_min(5, 4) / 5 < 0.75);  // far from everything: the checks can fail
}

TEST_CASE("deterrence: buyers attempt (1 - r)^elasticity of their lots, r the share they lose") {
  // Vetting refuses half the sales at random: the flow learns to expect r = 1/2 of its chips
  // lost (every lot is the same size, and nothing is forgotten), and buys (1 - 1/2)^2 = 1/4 of
  // the lots due. Lots due one a day for 4,000 days; the first 1,000, still learning, left out.
  // One replication's share wanders with its learnt r (sd ~0.02): the mean of 20 replications
  // is compared, within 4 standard errors.
  std::string at;
  for (int day = 0; day < 4000; ++day) at += (day ? ", " : "") + std::to_string(day);
  std::string flow = daily_flow(1, 0, "  deterrence { elasticity: 2 memory_days: 1e9 }\n");
  flow.replace(flow.find("at_days: [0]"), 12, "at_days: [" + at + "]");
  std::string text = network() + flow +
                     "policies { name: \"kyc\" scope { nodes: \"v\" }\n"
                     "  customer_vetting { catch_probability_medium: 0.5 } }\n";
  text.replace(text.find("horizon_days: 3000"), 18, "horizon_days: 4000");
  const models::World w = world_from_text(text);
  models::RunConfig config = models::default_run(w);
  config.period = sim::Time::days(1000);
  sim::RunningStats share;
  for (std::uint64_t r = 0; r < 20; ++r) {
    const models::RunMetrics m = models::run_replication(w, config, r);
    double bought = 0;
    for (std::size_t p = 1; p < m.periods.size(); ++p) bought += m.periods[p][0];  // lots_diverted
    share.add(bought / 3000);
    CHECK(m.get("lots_deterred") + m.get("lots_diverted") == 4000);
  }
  CAPTURE(share.mean());
  CHECK(std::abs(share.mean() - 0.25) < 4 * share.sd() / std::sqrt(20.0));
  // Elasticity 0: deterrence changes nothing.
  std::string none = text;
  none.replace(none.find("elasticity: 2"), 13, "elasticity: 0");
  CHECK(models::run_replication(world_from_text(none), 0).get("lots_deterred") == 0);
}

TEST_CASE("entity list: a dealer with enough confirmed cases is listed and its flows stop") {
  // Lots due every 10 days, each refused at sale with a case confirmed at once, no front to
  // close: every second case lists the dealer for 45 days, so lots due 20-50 days after the
  // listing's case are not bought. Counted by hand as the rule reads.
  std::string at;
  int bought = 0, listings = 0, cases = 0;
  double listed_until = -1;
  for (int day = 0; day <= 990; day += 10) {
    at += (at.empty() ? "" : ", ") + std::to_string(day);
    if (day < listed_until) continue;
    ++bought;
    if (++cases == 2) {
      cases = 0;
      ++listings;
      listed_until = day + 45;
    }
  }
  std::string flow = daily_flow(1, 0);
  flow.replace(flow.find("at_days: [0]"), 12, "at_days: [" + at + "]");
  const std::string list = "entity_list { cases_to_list: 2 listed_days { fixed: 45 } }\n";
  const models::World w = world_from_text(network() + flow + kVettingWithCase + list);
  CHECK_FALSE(models::lots_independent(w));
  const models::RunMetrics m = models::run_replication(w, 0);
  CHECK(bought == 34);
  CHECK(m.get("lots_diverted") == bought);
  CHECK(m.get("entity_listings") == listings);
  CHECK(m.get("entity_listed_days") == doctest::Approx(45.0 * listings));
}

TEST_CASE("entity list and fronts: a case while the dealer is listed still closes the front") {
  // Two flows through the same dealer, a lot each, due at days 0 and 3, both refused at sale;
  // each case concludes 5 days later. Flow d's case (day 5) closes d's front and lists the
  // dealer for 100 days; flow e's case (day 8) finds its own front still operating (it bought
  // the lot), though it buys nothing while the dealer is listed: it closes all the same.
  std::string flow = daily_flow(1, 0, "  front { reform_days { fixed: 2 } }\n");
  std::string other = flow;
  flow.replace(flow.find("at_days: [0]"), 12, "at_days: [0]");
  other.replace(other.find("at_days: [0]"), 12, "at_days: [3]");
  other.replace(other.find("id: \"d\""), 7, "id: \"e\"");
  std::string vetting = kVettingWithCase;
  vetting.replace(vetting.find("fixed: 0"), 8, "fixed: 5");
  const std::string list = "entity_list { cases_to_list: 1 listed_days { fixed: 100 } }\n";
  const models::RunMetrics m =
      models::run_replication(world_from_text(network() + flow + other + vetting + list), 0);
  CHECK(m.get("lots_diverted") == 2);
  CHECK(m.get("entity_listings") == 1);
  CHECK(m.get("front_closures") == 2);
}

TEST_CASE("fronts: a case closes the front that bought its lot, once, while it operates") {
  // Poisson lots at lambda a day, each refused at sale; its case concludes D = 30 days later
  // and closes the front that bought it, which re-forms R = 10 days after that. Lots the same
  // front bought before its closure close nothing (their front is gone): expected_closures.
  // Closing the front current at the case's conclusion instead would close each re-formed
  // front again with the earlier front's later lots: ~107 closures instead of ~60.
  const double expected = expected_closures(0.1, 30, 10, 3000);
  const std::string flow =
      "flows { id: \"d\" kind: DIVERSION chip_model: \"B200\" packaging: LOOSE\n"
      "  arrivals { poisson_per_year: 36.5 } lot_chips { fixed: 8 } route: [\"v\", \"dc\"]\n"
      "  front { reform_days { fixed: 10 } }\n"
      "  tactics { consignment_chips: 8 end_facility: \"end\" } }\n";
  std::string vetting = kVettingWithCase;
  vetting.replace(vetting.find("fixed: 0"), 8, "fixed: 30");
  const models::World w = world_from_text(network() + flow + vetting);
  sim::RunningStats closures;
  for (std::uint64_t r = 0; r < 200; ++r)
    closures.add(models::run_replication(w, r).get("front_closures"));
  CAPTURE(expected);
  CAPTURE(closures.mean());
  CHECK(std::abs(closures.mean() - expected) < 4 * closures.sd() / std::sqrt(200.0));
}
