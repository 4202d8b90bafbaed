#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "chiptrail/v1/scenario.pb.h"
#include "models/ladder_checks.hpp"
#include "models/location_physics.hpp"
#include "models/policies/customer_vetting.hpp"
#include "models/policies/customs_inspection.hpp"
#include "models/policies/end_use_check.hpp"
#include "models/policies/financial_flow_analysis.hpp"
#include "models/policies/heartbeat.hpp"
#include "models/policies/location_verification.hpp"
#include "models/policies/serial_registry.hpp"
#include "models/policies/whistleblower_tips.hpp"
#include "models/scenario_test_support.hpp"
#include "models/supply_chain_model.hpp"
#include "sim/analysis/intervals.hpp"

using namespace chiptrail;
using models::Decision;
using models::Lot;
using models::NodeInfo;
using models::PolicyContext;
using models::Verdict;
using testing::base_scenario;
using testing::world_from_text;

namespace {

Lot diverted_lot(std::uint64_t chips = 64) {
  Lot lot;
  lot.id = 1;
  lot.chips = chips;
  lot.diverted = true;
  return lot;
}

NodeInfo place(double lat, double lon) {
  NodeInfo n;
  n.latitude = lat;
  n.longitude = lon;
  return n;
}

// How often a policy's hook returns `verdict` over many independent streams.
template <typename Hook>
double frequency(Hook hook, Verdict verdict, int n = 20000) {
  int hits = 0;
  for (int i = 0; i < n; ++i) {
    sim::RandomStream rng({99, static_cast<std::uint64_t>(i), 1, 2});
    if (hook(rng).verdict == verdict) ++hits;
  }
  return static_cast<double>(hits) / n;
}

bool near_probability(double observed, double p, int n = 20000) {
  // 99.9% Wilson interval of the observed frequency must contain p.
  return sim::wilson_interval(static_cast<std::uint64_t>(std::llround(observed * n)),
                              static_cast<std::uint64_t>(n), 0.999)
      .contains(p);
}

}  // namespace

TEST_CASE("customer vetting: catch odds follow the buyer's sophistication") {
  const models::CustomerVetting vetting({0.6, 0.3, 0.05, 0.01});
  for (const auto& [level, p] : {std::pair{models::Sophistication::kLow, 0.6},
                                 std::pair{models::Sophistication::kMedium, 0.3},
                                 std::pair{models::Sophistication::kHigh, 0.05}}) {
    Lot lot = diverted_lot();
    lot.buyer_sophistication = level;
    const double f = frequency(
        [&](sim::RandomStream& rng) {
          return vetting.on_sale(PolicyContext(lot, nullptr, nullptr, {}, rng));
        },
        Verdict::kSeize);
    CHECK(near_probability(f, p));
  }
  Lot legit = diverted_lot();
  legit.diverted = false;
  const double fp = frequency(
      [&](sim::RandomStream& rng) {
        return vetting.on_sale(PolicyContext(legit, nullptr, nullptr, {}, rng));
      },
      Verdict::kSeize);
  CHECK(near_probability(fp, 0.01));
}

TEST_CASE("customs: size-based selection lets small consignments through") {
  models::CustomsInspection::Parameters p;
  p.inspection_rate = 1;
  p.detection_probability = 1;
  p.size_based = true;
  p.min_chips = 16;
  const models::CustomsInspection customs(p);
  sim::RandomStream rng({1, 0, 0, 0});
  const Lot small = diverted_lot(8), large = diverted_lot(16);
  CHECK(customs.on_border(PolicyContext(small, nullptr, nullptr, {}, rng)).verdict ==
        Verdict::kPass);
  CHECK(customs.on_border(PolicyContext(large, nullptr, nullptr, {}, rng)).verdict ==
        Verdict::kSeize);
  Lot relabelled = diverted_lot(64);
  relabelled.relabelled = true;
  p.size_based = false;
  p.relabelled_detection_probability = 0.25;
  const models::CustomsInspection documents(p);
  const double f = frequency(
      [&](sim::RandomStream& r) {
        return documents.on_border(PolicyContext(relabelled, nullptr, nullptr, {}, r));
      },
      Verdict::kSeize);
  CHECK(near_probability(f, 0.25));
}

TEST_CASE("end-use checks: installed lots pass, missing lots are found unless covered up") {
  models::EndUseCheck::Parameters p;
  p.visits_per_site_per_year = 2;
  const Lot lot = diverted_lot();
  sim::RandomStream rng({1, 0, 0, 0});
  const models::EndUseCheck surprise(p);
  PolicyContext here(lot, nullptr, nullptr, {}, rng);
  CHECK(surprise.on_audit(here).verdict == Verdict::kPass);  // a phantom site passes
  PolicyContext gone(lot, nullptr, nullptr, {}, rng);
  gone.present = false;
  gone.missing_chips = 64;
  CHECK(surprise.on_audit(gone).verdict == Verdict::kFlag);
  CHECK(surprise.audit_notice() == sim::Time::zero());
  p.announced = true;
  p.notice_days = 14;
  p.cover_up_probability = 1;
  const models::EndUseCheck announced(p);
  CHECK(announced.on_audit(gone).verdict == Verdict::kPass);
  CHECK(announced.audit_notice() == sim::Time::days(14));
  CHECK(announced.audits_per_site_per_year() == 2);
}

TEST_CASE("serial registry: a sample without replacement, hypergeometric; DOMAIN.md case 2") {
  const auto registry = [](double f, double q = 0) { return models::SerialRegistry({1, f, q}); };
  // A large site: sampling without replacement is close to 1 - (1 - f)^k (DOMAIN.md case 2).
  const std::uint64_t large = 1'000'000;
  CHECK(registry(0.01).detection_probability(8, large) == doctest::Approx(0.0773).epsilon(1e-3));
  CHECK(registry(0.01).detection_probability(72, large) == doctest::Approx(0.515).epsilon(1e-3));
  CHECK(registry(0.001).detection_probability(1000, large) == doctest::Approx(0.632).epsilon(1e-3));
  // A small site, exactly: 20 chips, 5 missing, 4 sampled. P(none of the 5 drawn) =
  // C(15,4) / C(20,4) = 1365 / 4845; 1 - (1 - 0.2)^5 = 0.672 would understate it.
  const auto choose = [](double n, double k) {
    double c = 1;
    for (int i = 0; i < static_cast<int>(k); ++i) c = c * (n - i) / (i + 1);
    return c;
  };
  const auto hyper = [&](int x, int n) {  // P(X = x) for 5 marked of 20, n drawn
    return choose(5, x) * choose(15, n - x) / choose(20, n);
  };
  CHECK(registry(0.2).detection_probability(5, 20) ==
        doctest::Approx(1 - 1365.0 / 4845.0).epsilon(1e-12));
  // Labels moved to decoys (q = 0.5): every missing chip drawn is seen with 1 - q.
  double unseen = 0;
  for (int x = 0; x <= 4; ++x) unseen += hyper(x, 4) * std::pow(0.5, x);
  CHECK(registry(0.2, 0.5).detection_probability(5, 20) ==
        doctest::Approx(1 - unseen).epsilon(1e-12));
  // f N = 3.8: 4 chips drawn with probability 0.8, 3 with 0.2.
  CHECK(registry(0.19).detection_probability(5, 20) ==
        doctest::Approx(1 - (0.2 * hyper(0, 3) + 0.8 * hyper(0, 4))).epsilon(1e-12));
  // Every chip sampled finds any lot missing; nothing missing is never found.
  CHECK(registry(1.0).detection_probability(1, 50) == doctest::Approx(1.0));
  CHECK(registry(0.5).detection_probability(0, 50) == 0.0);
  // Through the hook, with the site's population in the context.
  const models::SerialRegistry r = registry(0.2);
  Lot lot = diverted_lot(5);
  const double f = frequency(
      [&](sim::RandomStream& rng) {
        PolicyContext c(lot, nullptr, nullptr, {}, rng);
        c.present = false;
        c.missing_chips = 5;
        c.site_chips = 20;
        return r.on_audit(c);
      },
      Verdict::kFlag);
  CHECK(near_probability(f, 1 - 1365.0 / 4845.0));
}

TEST_CASE("great-circle distances match DOMAIN.md") {
  const auto km = models::great_circle_km;
  CHECK(km(1.3521, 103.8198, 22.5431, 114.0579) ==
        doctest::Approx(2608).epsilon(0.01));  // Singapore-Shenzhen
  // Singapore-Kuala Lumpur: 309 km between these city points; DOMAIN.md's 316 uses other
  // reference points in the two cities, hence 3% here.
  CHECK(km(1.3521, 103.8198, 3.1390, 101.6869) == doctest::Approx(316).epsilon(0.03));
  CHECK(km(21.0278, 105.8342, 22.5431, 114.0579) ==
        doctest::Approx(866).epsilon(0.01));  // Hanoi-Shenzhen
  CHECK(km(1.3521, 103.8198, 30.2741, 120.1551) ==
        doctest::Approx(3653).epsilon(0.01));  // Singapore-Hangzhou
  CHECK(models::light_bound_rtt_ms(150) ==
        doctest::Approx(1.0007).epsilon(1e-3));  // 150 km per ms of RTT
}

namespace {
// One landmark in Singapore; one probe per challenge, acting on a single violation (the
// protocol of one reading), unless a test sets its own.
models::LocationVerification::Parameters singapore_landmark(double max_rtt_ms) {
  models::LocationVerification::Parameters p;
  p.landmarks = {{"Singapore", 1.3521, 103.8198}};
  p.max_rtt_ms = max_rtt_ms;
  p.rtt = {0.67, 1.3, 2.0, 1.0};
  p.probes_per_challenge = 1;
  p.violations_to_act = 1;
  p.window_challenges = 1;
  return p;
}

// Daily challenges over a year to a chip at `where`; the day of the first action, or -1.
int first_action_day(const models::LocationVerification& lv, const NodeInfo& where,
                     std::uint64_t chip) {
  const Lot lot = diverted_lot();
  std::uint64_t record = 0;
  for (int day = 0; day < 365; ++day) {
    sim::RandomStream rng({chip, static_cast<std::uint64_t>(day), 5, 6});
    PolicyContext ctx(lot, &where, nullptr, {}, rng);
    ctx.check_record = &record;
    if (lv.on_operation(ctx).verdict != Verdict::kPass) return day;
  }
  return -1;
}
}  // namespace

TEST_CASE(
    "location verification: the minimum of several probes and an M-of-N rule spare "
    "legitimate chips") {
  // A legitimate chip 131 km from its landmark (DOMAIN.md's physics, the shipped 10 ms
  // threshold): propagation 2 * 131 * 1.3 / (0.67 c) = 1.70 ms, plus 2 ms overhead. One reading
  // is a violation when its Exp(1 ms) jitter tops 10 - 3.70 ms: p = e^-6.30 per challenge, and
  // a chip challenged daily for a year is flagged with 1 - (1 - p)^365, about half the time.
  const NodeInfo near = place(1.3521 + 131.0 / 111.2, 103.8198);
  auto one_reading = singapore_landmark(10.0);
  const models::LocationVerification single(one_reading);
  const double km = single.nearest_landmark_km(near.latitude, near.longitude);
  REQUIRE(km == doctest::Approx(131).epsilon(0.01));
  const double base = 2 * km * 1.3 / (0.67 * models::kLightKmPerMs) + 2.0;
  const double p = std::exp(-(10.0 - base));
  const double expected = 1 - std::pow(1 - p, 365);
  CHECK(expected > 0.4);
  const std::uint64_t chips = 400;
  std::uint64_t flagged = 0;
  for (std::uint64_t c = 0; c < chips; ++c) flagged += first_action_day(single, near, c) >= 0;
  CHECK(sim::wilson_interval(flagged, chips, 0.999).contains(expected));

  // The protocol's defaults: 5 probes (a challenge fails with p^5 ~ 2e-14) and 3 of the last 5
  // challenges: not one of the chips is flagged in its year.
  models::LocationVerification::Parameters defaults;
  defaults.landmarks = one_reading.landmarks;
  defaults.max_rtt_ms = 10.0;
  const models::LocationVerification protocol(defaults);
  std::uint64_t flagged_by_protocol = 0;
  for (std::uint64_t c = 0; c < chips; ++c) {
    flagged_by_protocol += first_action_day(protocol, near, c) >= 0;
  }
  CHECK(flagged_by_protocol == 0);
}

TEST_CASE(
    "location verification: beyond the light-speed bound, the M-th challenge acts, "
    "whatever the seed and noise") {
  const NodeInfo hangzhou = place(30.27, 120.16);  // 3,650 km: at least 24 ms at c
  for (const double jitter : {0.0, 1.0, 5.0}) {
    for (const double overhead : {0.0, 2.0}) {
      for (std::uint32_t m = 1; m <= 4; ++m) {
        models::LocationVerification::Parameters p;
        p.landmarks = {{"Singapore", 1.3521, 103.8198}};
        p.max_rtt_ms = 20.0;
        p.rtt = {1.0, 1.0, overhead, jitter};  // even at c along the great circle
        p.probes_per_challenge = 10;
        p.violations_to_act = m;
        p.window_challenges = 6;
        const models::LocationVerification lv(p);
        for (std::uint64_t chip = 0; chip < 20; ++chip) {
          REQUIRE(first_action_day(lv, hangzhou, chip) == static_cast<int>(m) - 1);
        }
      }
    }
  }
}

TEST_CASE("location verification never passes a chip beyond the light-speed bound, for any seed") {
  // Points on a spiral out to ~5,000 km; for each, many seeds. Whenever even light could not make
  // the round trip in time, the chip must be in violation; a relay can only add delay.
  const models::LocationVerification lv(singapore_landmark(10.0));
  const Lot lot = diverted_lot();
  int beyond = 0, within_passed = 0;
  for (int k = 0; k < 400; ++k) {
    const NodeInfo where =
        place(1.35 + 0.11 * k * std::cos(k * 0.7), 103.8 + 0.11 * k * std::sin(k * 0.7));
    const double km = lv.nearest_landmark_km(where.latitude, where.longitude);
    const bool impossible = models::light_bound_rtt_ms(km) > 10.0;
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
      sim::RandomStream rng({seed, static_cast<std::uint64_t>(k), 3, 4});
      const Decision d = lv.on_operation(PolicyContext(lot, &where, nullptr, {}, rng));
      if (impossible) {
        ++beyond;
        REQUIRE(d.verdict == Verdict::kFlag);
      } else if (d.verdict == Verdict::kPass) {
        ++within_passed;
      }
    }
  }
  CHECK(beyond > 1000);         // the property was exercised
  CHECK(within_passed > 1000);  // and nearby chips do pass
}

TEST_CASE("location verification: Johor passes, Hangzhou fails, near borders it cannot tell") {
  const models::LocationVerification lv(singapore_landmark(10.0));
  const Lot lot = diverted_lot();
  const NodeInfo johor = place(1.66, 103.60), hangzhou = place(30.27, 120.16);
  int johor_flags = 0;
  for (std::uint64_t s = 0; s < 200; ++s) {
    sim::RandomStream a({s, 0, 0, 0}), b({s, 1, 0, 0});
    johor_flags +=
        lv.on_operation(PolicyContext(lot, &johor, nullptr, {}, a)).verdict != Verdict::kPass;
    CHECK(lv.on_operation(PolicyContext(lot, &hangzhou, nullptr, {}, b)).verdict == Verdict::kFlag);
  }
  // Johor: 0.45 ms propagation + 2 ms overhead + Exp(1 ms) jitter exceeds 10 ms only when the
  // jitter tops 7.5 ms: probability e^-7.5 = 0.06%.
  CHECK(johor_flags <= 2);
}

TEST_CASE("location verification: offline chips only with a heartbeat, flagged; opt-in coverage") {
  auto p = singapore_landmark(10.0);
  const Lot lot = diverted_lot();
  sim::RandomStream rng({1, 0, 0, 0});
  PolicyContext offline(lot, nullptr, nullptr, {}, rng);
  offline.offline_for = sim::Time::days(30);
  CHECK(models::LocationVerification(p).on_operation(offline).verdict == Verdict::kPass);
  p.require_heartbeat = true;
  p.max_offline_days = 14;
  p.disable_on_violation = true;
  // Silent past the limit: a violation, but a remote command cannot reach a silent chip.
  CHECK(models::LocationVerification(p).on_operation(offline).verdict == Verdict::kFlag);
  offline.offline_for = sim::Time::days(10);
  CHECK(models::LocationVerification(p).on_operation(offline).verdict == Verdict::kPass);
  p.opt_in_share = 0.3;
  offline.offline_for = sim::Time::days(30);
  offline.set_lot_uniform(0.5);  // this lot is not enrolled
  CHECK(models::LocationVerification(p).on_operation(offline).verdict == Verdict::kPass);
  offline.set_lot_uniform(0.2);
  CHECK(models::LocationVerification(p).on_operation(offline).verdict == Verdict::kFlag);
}

TEST_CASE("heartbeat: silence is reported; only an expiring licence stops a silent lot") {
  const Lot lot = diverted_lot();
  sim::RandomStream rng({1, 0, 0, 0});
  PolicyContext ctx(lot, nullptr, nullptr, {}, rng);
  const models::Heartbeat licence({1, 7, 1, 0, true}), command({1, 7, 1, 0, false});
  ctx.offline_for = sim::Time::days(3);
  CHECK(licence.on_operation(ctx).verdict == Verdict::kPass);
  ctx.offline_for = sim::Time::days(8);
  // In transit: the licence lapses, and renews once the chips are online again: reported.
  CHECK(licence.on_operation(ctx).verdict == Verdict::kFlag);
  ctx.delivered = true;  // kept silent at the end user: the licence expires for good
  CHECK(licence.on_operation(ctx).verdict == Verdict::kDisable);
  CHECK(command.on_operation(ctx).verdict == Verdict::kFlag);  // no command reaches it
  CHECK(models::Heartbeat({1, 7, 0, 0, true}).on_operation(ctx).verdict == Verdict::kFlag);
  ctx.licence_defeated = true;  // firmware rolled back: no licence to expire
  CHECK(licence.on_operation(ctx).verdict == Verdict::kFlag);
  ctx.licence_defeated = false;
  ctx.set_lot_uniform(0.05);
  CHECK(models::Heartbeat({1, 7, 1, 0.1, true}).on_operation(ctx).verdict == Verdict::kPass);
}

TEST_CASE("tips grow with the reward and act after a delay; payments weaken with layering") {
  models::WhistleblowerTips::Parameters t;
  t.base_probability = 0.1;
  t.reward_share = 0.2;
  t.reward_elasticity = 5;
  t.delay_days = models::Distribution{models::Distribution::Fixed{30}};
  const models::WhistleblowerTips tips(t);
  CHECK(tips.tip_probability() == doctest::Approx(0.2));
  const Lot lot = diverted_lot();
  const double f = frequency(
      [&](sim::RandomStream& rng) {
        return tips.on_border(PolicyContext(lot, nullptr, nullptr, {}, rng));
      },
      Verdict::kSeize);
  CHECK(near_probability(f, 0.2));
  for (std::uint64_t s = 0;; ++s) {
    sim::RandomStream rng({s, 0, 0, 0});
    const Decision d = tips.on_sale(PolicyContext(lot, nullptr, nullptr, {}, rng));
    if (d.verdict == Verdict::kSeize) {
      CHECK(d.delay == sim::Time::days(30));
      break;
    }
  }
  models::FinancialFlowAnalysis::Parameters f2;
  f2.detection_probability = 0.5;
  f2.evasion_per_layer = 0.5;
  Lot layered = diverted_lot();
  layered.payment_layers = 2;
  CHECK(models::FinancialFlowAnalysis(f2).flag_probability(layered) == doctest::Approx(0.125));
}

// ---- whole-model checks against closed forms (DOMAIN.md's cases: tests/validation/) ----------

namespace {

// testing::diversion_flow with the end user's countermeasures.
std::string flow_with(const std::string& countermeasures) {
  std::string flow = testing::diversion_flow(40, 64, 16);
  flow.replace(flow.find("end_facility: \"end\" }"), 22,
               "end_facility: \"end\" countermeasures { " + countermeasures + " } }");
  return flow;
}

std::string heartbeat(const std::string& mechanism) {
  return "policies { name: \"hb\" heartbeat { interval_days: 0.5 grace_days: 0 "
         "disable_probability: 1 mechanism: " +
         mechanism + " } }\n";
}

}  // namespace

TEST_CASE("remotely disabled chips count as disabled, not delivered, and chips are conserved") {
  // Air-gapped at the end facility, the licence expires: every delivered chip stops.
  const models::World w = world_from_text(
      base_scenario() + flow_with("air_gapped_probability: 1 air_gap_cost_per_chip_usd: 10") +
      heartbeat("LICENCE_EXPIRY"));
  const models::RunMetrics m = models::run_replication(w, 0);
  CHECK(m.get("chips_delivered_restricted") == 0);
  CHECK(m.get("chips_disabled") == 40 * 64);
  CHECK(m.get("lots_first_flagged_by.hb") == 40);  // silent in transit: reported first
  CHECK(m.get("chips_delivered_silent") == 40 * 64);
  CHECK(m.get("smuggler_countermeasure_cost_usd") == 40 * 64 * 10);
  testing::check_ladder_conservation(m);
}

TEST_CASE("what defeats a disable: chips online, a remote command to silent chips, rollback") {
  const std::string base = base_scenario();
  // Online at the end user: the heartbeat proves liveness only; reported in transit, delivered.
  const models::RunMetrics online = models::run_replication(
      world_from_text(base + testing::diversion_flow(40, 64, 16) + heartbeat("LICENCE_EXPIRY")), 0);
  CHECK(online.get("chips_delivered_restricted") == 40 * 64);
  CHECK(online.get("lots_flagged") == 40);
  // Air-gapped, but the disable is a remote command: nothing reaches the chips.
  const models::RunMetrics command = models::run_replication(
      world_from_text(base + flow_with("air_gapped_probability: 1") + heartbeat("REMOTE_COMMAND")),
      0);
  CHECK(command.get("chips_disabled") == 0);
  CHECK(command.get("chips_delivered_restricted") == 40 * 64);
  // Rolled-back firmware has no licence to expire.
  const models::RunMetrics rollback =
      models::run_replication(world_from_text(base + flow_with("firmware_rollback_probability: 1") +
                                              heartbeat("LICENCE_EXPIRY")),
                              0);
  CHECK(rollback.get("chips_disabled") == 0);
  // Half the lots air-gapped: about half disabled (a share of 40 lots, each 1/2).
  const models::RunMetrics half =
      models::run_replication(world_from_text(base + flow_with("air_gapped_probability: 0.5") +
                                              heartbeat("LICENCE_EXPIRY")),
                              0);
  const double share = half.get("chips_disabled") / (40 * 64);
  CHECK(std::abs(share - 0.5) < 4 * std::sqrt(0.25 / 40));
  // A disable needs a mechanism.
  CHECK_THROWS_WITH_AS(world_from_text(base + testing::diversion_flow(1, 64, 16) +
                                       "policies { name: \"hb\" heartbeat { interval_days: 1 "
                                       "disable_probability: 1 } }\n"),
                       doctest::Contains("mechanism"), models::InvalidInput);
}

TEST_CASE("location verification disables chips operating at the end facility after delivery") {
  // No heartbeat requirement and long transits do not matter: the chips are caught once they
  // operate in Hangzhou-like distance from the only landmark, after they were delivered.
  std::string text = base_scenario() + testing::diversion_flow(10, 64, 64);
  // Put the data center next to the landmark and the end facility 3,000 km away.
  text.replace(text.find("nodes { id: \"dc\" kind: DATA_CENTER }"), 36,
               "nodes { id: \"dc\" kind: DATA_CENTER latitude: 1.35 longitude: 103.8 }");
  text.replace(text.find("nodes { id: \"end\" kind: END_FACILITY }"), 38,
               "nodes { id: \"end\" kind: END_FACILITY latitude: 30.27 longitude: 120.16 }");
  text +=
      "policies { name: \"lv\" location_verification { landmarks { latitude: 1.35 longitude: "
      "103.82 }\n"
      "  challenge_interval_days: 1 max_rtt_ms: 10 on_violation: DISABLE } }\n";
  const models::World w = world_from_text(text);
  const models::RunMetrics m = models::run_replication(w, 0);
  CHECK(m.get("lots_delivered_restricted") == 0);  // all delivered, then all disabled
  CHECK(m.get("chips_disabled") == 10 * 64);
  CHECK(m.get("false_positive_lots") == 0);
}

TEST_CASE("announced visits are timed around; surprise visits find lots gone") {
  const auto detected = [](const std::string& check) {
    const std::string text =
        base_scenario() + testing::diversion_flow(20, 64, 64) +
        "policies { name: \"euc\" end_use_check { visits_per_site_per_year: 36.5 " + check +
        " } }\n";
    const models::World w = world_from_text(text);
    double total = 0;
    for (std::uint64_t r = 0; r < 5; ++r)
      total += models::run_replication(w, r).get("lots_flagged");
    return total;
  };
  // Surprise visits every ~10 days over 100 days find nearly every lot that left.
  CHECK(detected("") > 80);
  // Announced with certain cover-up: never.
  CHECK(detected("announced: true notice_days: 7 cover_up_probability: 1") == 0);
}

TEST_CASE("a tip acts after its delay on whatever is still in the chain") {
  const std::string text = base_scenario() + testing::diversion_flow(10, 64, 16) +
                           "policies { name: \"tips\" whistleblower_tips { base_probability: 1\n"
                           "  delay_days { fixed: 0.5 } } }\n";
  const models::World w = world_from_text(text);
  const models::RunMetrics m = models::run_replication(w, 0);
  // Tipped at sale (the first alert, on day 0), seized half a day later, still on the first
  // leg: flagged and interdicted, nothing delivered.
  CHECK(m.get("lots_first_flagged_by.tips") == 10);
  CHECK(m.get("lots_first_interdicted_by.tips") == 10);
  CHECK(m.get("chips_seized") == 640);
  CHECK(m.get("lots_interdicted") == 10);
  CHECK(m.get("mean_days_to_first_flag") == 0);
}
