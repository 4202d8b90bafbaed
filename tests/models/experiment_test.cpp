// The experiment library: what every front end relies on when it runs replications.
#include <doctest/doctest.h>
#include <google/protobuf/text_format.h>

#include <atomic>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "chiptrail/v1/scenario.pb.h"
#include "models/experiment/execution.hpp"
#include "models/experiment/replications.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/scenario_test_support.hpp"
#include "models/supply_chain_model.hpp"

using namespace chiptrail;

namespace {

models::World load(const char* name) {
  return models::load_world(std::string(CHIPTRAIL_SOURCE_DIR) + "/scenarios/" + name,
                            testing::builtin_registry());
}

models::RunConfig config_of(const models::World& w, std::uint32_t replications) {
  models::RunConfig config = models::default_run(w);
  config.replications = replications;
  return config;
}

// Equal values, NaN (undefined in that run) equal to NaN.
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i] && !(std::isnan(a[i]) && std::isnan(b[i]))) return false;
  }
  return true;
}

}  // namespace

TEST_CASE("run_replications: the same numbers whatever the thread count, each a replication") {
  const models::World w = load("minimal.textproto");
  const models::RunConfig config = config_of(w, 12);
  models::Execution one, three;
  three.threads = 3;
  std::size_t done = 0;
  three.on_done = [&done] { ++done; };
  const models::ReplicationSet a = models::run_replications(w, config, one);
  const models::ReplicationSet b = models::run_replications(w, config, three);
  CHECK(done == 12);
  REQUIRE(a.runs.size() == 12);
  REQUIRE(b.runs.size() == 12);
  for (std::size_t r = 0; r < a.runs.size(); ++r) {
    CHECK(same(a.runs[r].values, b.runs[r].values));
    CHECK(same(a.runs[r].values, models::run_replication(w, config, r).values));
  }
  REQUIRE(a.summary.size() == b.summary.size());
  for (std::size_t m = 0; m < a.summary.size(); ++m) {
    CHECK(same({a.summary[m].mean, a.summary[m].ci_low}, {b.summary[m].mean, b.summary[m].ci_low}));
  }
  CHECK(a.detections.empty());  // not asked for
}

TEST_CASE("run_replications: the seed comes from the run configuration, not the world") {
  const models::World w = load("minimal.textproto");
  models::RunConfig config = config_of(w, 2);
  const auto first = models::run_replications(w, config, {}).runs;
  config.seed += 1;
  const auto other = models::run_replications(w, config, {}).runs;
  CHECK_FALSE(same(first[0].values, other[0].values));
}

TEST_CASE("run_replications: kept detections are one list per replication") {
  const models::World w = load("minimal.textproto");
  models::ReplicationRequest request;
  request.keep_detections = true;
  const models::ReplicationSet set = models::run_replications(w, config_of(w, 3), {}, request);
  REQUIRE(set.detections.size() == 3);
  std::size_t total = 0;
  for (const auto& d : set.detections) total += d.size();
  double detected = 0;
  for (const models::RunMetrics& m : set.runs) detected += m.get("lots_flagged");
  CHECK(static_cast<double>(total) >= detected);  // every detection of a lot is a record
}

TEST_CASE("detections.csv records every finding the metrics count, and keeping it changes none") {
  // In every shipped scenario. Detections are kept through a TeeRecorder: a hook it forgets to
  // forward loses a metric. The ladder's flags and their attribution come from the same
  // findings, at the same moments, as the detection records: lots flagged (in all and by each
  // policy), lots first flagged by each, and the mean time to the first flag.
  const auto registry = testing::builtin_registry();
  for (const std::string& path : testing::shipped_scenarios(CHIPTRAIL_SOURCE_DIR)) {
    CAPTURE(path);
    const models::World w = models::load_world(path, registry);
    models::ReplicationRequest request;
    request.keep_detections = true;
    const models::ReplicationSet set = models::run_replications(w, config_of(w, 2), {}, request);
    const auto plain = models::run_replications(w, config_of(w, 2), {}).runs;
    for (std::size_t r = 0; r < set.runs.size(); ++r) {
      CAPTURE(r);
      const models::RunMetrics& m = set.runs[r];
      CHECK(same(m.values, plain[r].values));
      std::set<std::uint64_t> lots;
      std::vector<std::set<std::uint64_t>> by(w.policies.size());
      std::vector<double> first(w.policies.size(), 0);
      double days_to_first = 0, firsts = 0;
      for (const models::DetectionRecord& d : set.detections[r]) {
        lots.insert(d.lot);
        by[d.policy].insert(d.lot);
        if (d.first) {
          ++first[d.policy];
          ++firsts;
          days_to_first += d.since_sale.to_days();
        }
      }
      CHECK(m.get("lots_flagged") == static_cast<double>(lots.size()));
      for (std::size_t p = 0; p < w.policies.size(); ++p) {
        CAPTURE(w.policies[p].name);
        CHECK(m.get("lots_flagged_by." + w.policies[p].name) == static_cast<double>(by[p].size()));
        CHECK(m.get("lots_first_flagged_by." + w.policies[p].name) == first[p]);
      }
      if (firsts > 0) {
        CHECK(m.get("mean_days_to_first_flag") == doctest::Approx(days_to_first / firsts));
      }
    }
  }
}

TEST_CASE("run_replications: a stop set before the start runs nothing and says so") {
  const models::World w = load("minimal.textproto");
  std::atomic<bool> stop{true};
  models::Execution execution;
  execution.stop = &stop;
  CHECK_THROWS_AS(models::run_replications(w, config_of(w, 4), execution), models::RunsCancelled);
}

TEST_CASE("run_indexed: a stop that surfaces as a run's exception reports the runs completed") {
  // One thread, runs in order: 0, 1, 2 complete; run 3 is called off from inside (the stop
  // set while it runs, as Ctrl-C does, and its watchdog throws).
  std::atomic<bool> stop{false};
  models::Execution execution;
  execution.stop = &stop;
  try {
    (void)models::run_indexed<int>(10, execution, [&stop](std::size_t r) -> int {
      if (r == 3) {
        stop = true;
        throw std::runtime_error("called off inside run 3");
      }
      return static_cast<int>(r);
    });
    FAIL("no RunsCancelled");
  } catch (const models::RunsCancelled& e) {
    CHECK(e.completed() == 3);
  }
}

TEST_CASE("lots are independent trials unless smugglers adapt") {
  CHECK(models::lots_independent(load("minimal.textproto")));
  CHECK_FALSE(models::lots_independent(load("adaptive_smugglers.textproto")));
}

TEST_CASE("compare_replications: a variant equal to its baseline differs by exactly zero") {
  const models::World w = load("minimal.textproto");
  const models::Comparison c = models::compare_replications(w, w, config_of(w, 5), {});
  REQUIRE(c.baseline.size() == c.variant.size());
  REQUIRE(c.difference.size() == c.baseline.size());
  for (std::size_t m = 0; m < c.baseline.size(); ++m) {
    CAPTURE(c.baseline[m].metric);
    CHECK(c.variant[m].metric == c.baseline[m].metric);
    if (c.difference[m].n == 0) continue;  // undefined in every replication
    CHECK(c.difference[m].mean == 0);
  }
}

TEST_CASE("compare_replications: the difference is the variant's mean minus the baseline's") {
  const models::World base = load("policy_baseline_2024.textproto");
  const models::World more = load("more_officers.textproto");
  const models::Comparison c = models::compare_replications(base, more, config_of(base, 6), {});
  std::size_t compared = 0;
  for (std::size_t m = 0; m < c.baseline.size(); ++m) {
    const models::MetricSummary& d = c.difference[m];
    if (d.n == 0 || c.variant[m].n == 0) continue;
    // Rates too: their difference is that of the pooled ratios (one definition everywhere).
    if (c.variant[m].n != c.baseline[m].n) continue;
    CAPTURE(d.metric);
    CHECK(d.mean == doctest::Approx(c.variant[m].mean - c.baseline[m].mean).epsilon(1e-9));
    ++compared;
  }
  CHECK(compared > 5);
}

namespace {

// Moves the last element of a repeated field to the front.
template <typename Repeated>
void to_front(Repeated& field) {
  for (int i = field.size() - 1; i > 0; --i) field.SwapElements(i, i - 1);
}

}  // namespace

TEST_CASE("unused nodes, flows and policies inserted first move no draw of the others") {
  // Random streams are keyed by ids, not positions (models/random_streams.hpp): a node, a flow
  // (rate 0) and a policy (scoped to the new node) put first in their lists leave every metric
  // of the scenario exactly as it was, in the scenario with the most mechanisms.
  const auto registry = testing::builtin_registry();
  const models::ScenarioFile file = models::read_scenario_file(std::string(CHIPTRAIL_SOURCE_DIR) +
                                                               "/scenarios/pathways.textproto");
  v1::Scenario edited = *file.message;
  v1::Node* node = edited.add_nodes();
  node->set_id("zz_unused");
  node->set_kind(v1::TRANSIT_HUB);
  to_front(*edited.mutable_nodes());
  v1::Flow* flow = edited.add_flows();
  *flow = edited.flows(0);
  flow->set_id("zz_unused_flow");
  flow->mutable_arrivals()->clear_rate_changes();
  flow->mutable_arrivals()->set_poisson_per_year(0);
  to_front(*edited.mutable_flows());
  v1::Policy* policy = edited.add_policies();
  REQUIRE(google::protobuf::TextFormat::ParseFromString(
      "name: \"zz_unused_policy\" scope { nodes: \"zz_unused\" } "
      "customs_inspection { inspection_rate: 0.5 detection_probability: 0.5 }",
      policy));
  to_front(*edited.mutable_policies());
  const models::World base = models::build_world(*file.message, file.locator, registry);
  const models::World moved = models::build_world(edited, file.locator, registry);
  REQUIRE(moved.network.node(0).id == "zz_unused");
  REQUIRE(moved.flows[0].id == "zz_unused_flow");
  const auto a = models::run_replications(base, config_of(base, 3), {}).runs;
  const auto b = models::run_replications(moved, config_of(moved, 3), {}).runs;
  for (std::size_t r = 0; r < a.size(); ++r) {
    CAPTURE(r);
    for (std::size_t m = 0; m < a[r].names.size(); ++m) {
      CAPTURE(a[r].names[m]);
      const double x = a[r].values[m], y = b[r].get(a[r].names[m]);
      CHECK((x == y || (std::isnan(x) && std::isnan(y))));
    }
  }
}
