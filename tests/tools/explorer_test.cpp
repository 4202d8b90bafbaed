// The explorer's parts apart from HTTP: controls, edits, the run manager and the API's answers
// (status codes for bad requests; common random numbers make unedited variants identical).
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "chiptrail/v1/explorer.pb.h"
#include "chiptrail/v1/scenario.pb.h"
#include "explorer/explorer_api.hpp"
#include "explorer/scenario_controls.hpp"
#include "models/experiment/replications.hpp"
#include "models/output/message_json.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/run_config.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/scenario_file.hpp"

using namespace chiptrail;

namespace {

const std::string kRate = "policies[name=customs_my].customs_inspection.inspection_rate";

models::ScenarioFile blackwell() {
  return models::read_scenario_file(std::string(CHIPTRAIL_SOURCE_DIR) +
                                    "/scenarios/blackwell_sea.textproto");
}

models::PolicyRegistry builtin() {
  models::PolicyRegistry r;
  models::register_builtin_policies(r);
  return r;
}

// Polls GET /api/runs/ID until the run leaves "running"; returns the state it reached.
std::string wait_for(explorer::ExplorerApi& api, const std::string& id) {
  for (int i = 0; i < 3000; ++i) {
    const explorer::ApiResponse s = api.handle("GET", "/api/runs/" + id, "");
    REQUIRE(s.status == 200);
    v1::RunStatusView status;
    REQUIRE(models::parse_message_json(s.body, status));
    if (status.state() != "running") return status.state();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  FAIL("run " << id << " did not finish in 30 s");
  return "";
}

}  // namespace

TEST_CASE("explorer: curated controls carry the loaded values and their paths") {
  const models::ScenarioFile f = blackwell();
  const auto policies = explorer::policy_controls(*f.message);
  REQUIRE(policies.size() == static_cast<std::size_t>(f.message->policies_size()));
  CHECK(policies[0].name == "customs_my");
  CHECK(policies[0].kind == "customs_inspection");
  REQUIRE(!policies[0].controls.empty());
  CHECK(policies[0].controls[0].path == kRate);
  CHECK(policies[0].controls[0].value == doctest::Approx(0.05));
  CHECK(policies[0].controls[0].max == 1.0);
}

TEST_CASE("explorer: the measures on leases, insiders and write-offs have controls") {
  // pathways.textproto extends policy_baseline_2024; the explorer reads the merged scenario.
  const models::ScenarioFile f = models::read_scenario_file(std::string(CHIPTRAIL_SOURCE_DIR) +
                                                            "/scenarios/pathways.textproto");
  const auto policies = explorer::policy_controls(*f.message);
  const auto find = [&](const std::string& name) -> const explorer::PolicyControls& {
    for (const auto& p : policies) {
      if (p.name == name) return p;
    }
    FAIL("no policy " << name);
    return policies.front();
  };
  CHECK(find("iaas_kyc").kind == "cloud_kyc");
  CHECK(find("iaas_kyc").controls.size() == 3);
  const explorer::PolicyControls& watch = find("usage_watch");
  REQUIRE(!watch.controls.empty());
  CHECK(watch.controls[0].field == "mean_days_to_detect");
  CHECK(watch.controls[0].value == 120);
  CHECK(watch.controls[0].min > 0);  // the model refuses 0 days
  const explorer::PolicyControls& audit = find("oem_records_audit");
  REQUIRE(!audit.controls.empty());
  CHECK(audit.controls[0].path == "policies[name=oem_records_audit].insider_audit.audits_per_year");
  CHECK(audit.controls[0].value == 4);
  // An edit reaches the model: audits a year, through the edited scenario.
  v1::ScenarioEdits edits;
  (*edits.mutable_settings())[audit.controls[0].path] = 12;
  const v1::Scenario edited = explorer::apply_edits(*f.message, edits);
  bool found = false;
  for (const v1::Policy& p : edited.policies()) {
    if (p.name() == "oem_records_audit") found = p.insider_audit().audits_per_year() == 12;
  }
  CHECK(found);
}

TEST_CASE("explorer: a field left out shows its default, a written or edited 0 shows 0") {
  v1::Scenario s = *blackwell().message;
  v1::Policy* euc = s.add_policies();
  euc->set_name("euc");
  euc->mutable_end_use_check()->set_visits_per_site_per_year(2);
  const auto accuracy = [](const v1::Scenario& scenario) {
    const auto policies = explorer::policy_controls(scenario);
    for (const explorer::Control& c : policies.back().controls) {
      if (c.field == "count_accuracy") return c.value;
    }
    FAIL("no count_accuracy control");
    return -1.0;
  };
  CHECK(accuracy(s) == 1.0);  // left out: a perfect count, as the model reads it
  v1::ScenarioEdits edits;
  (*edits.mutable_settings())["policies[name=euc].end_use_check.count_accuracy"] = 0;
  const v1::Scenario edited = explorer::apply_edits(s, edits);
  CHECK(edited.policies(edited.policies_size() - 1).end_use_check().has_count_accuracy());
  CHECK(accuracy(edited) == 0.0);
}

TEST_CASE("explorer: edits set fields, switch policies off, and name what is wrong") {
  const models::ScenarioFile f = blackwell();
  v1::ScenarioEdits edits;
  (*edits.mutable_settings())[kRate] = 0.5;
  edits.add_disabled_policies("customs_hk");
  const v1::Scenario edited = explorer::apply_edits(*f.message, edits);
  CHECK(edited.policies_size() == f.message->policies_size() - 1);
  CHECK(edited.policies(0).customs_inspection().inspection_rate() == 0.5);
  for (const v1::Policy& p : edited.policies()) CHECK(p.name() != "customs_hk");

  v1::ScenarioEdits bad_path;
  (*bad_path.mutable_settings())["policies[name=nope].x"] = 1;
  CHECK_THROWS_WITH_AS(explorer::apply_edits(*f.message, bad_path),
                       doctest::Contains("settings: no policies with name = \"nope\""),
                       std::invalid_argument);
  v1::ScenarioEdits bad_policy;
  bad_policy.add_disabled_policies("nope");
  CHECK_THROWS_WITH_AS(explorer::apply_edits(*f.message, bad_policy),
                       doctest::Contains("disabled_policies: no policy named \"nope\""),
                       std::invalid_argument);
}

TEST_CASE("explorer API: malformed requests get 4xx with a message") {
  const models::ScenarioFile f = blackwell();
  const models::PolicyRegistry registry = builtin();
  explorer::RunManager runs(1, 1, 8);
  explorer::ExplorerApi api(f, registry, {}, 1000, runs);
  struct Case {
    const char* method;
    const char* path;
    const char* body;
    int status;
    const char* words;
  };
  const Case cases[] = {
      {"GET", "/api/nothing", "", 404, "no such API path"},
      {"GET", "/elsewhere", "", 404, "not an API path"},
      {"PUT", "/api/scenario", "", 405, "takes GET"},
      {"GET", "/api/runs", "", 405, "takes POST"},
      {"POST", "/api/runs", "{", 400, "malformed request body"},
      {"POST", "/api/runs", "{\"bogus\": 1}", 400, "bogus"},
      {"POST", "/api/runs", "[1]", 400, "malformed request body"},
      {"POST", "/api/runs", "{\"replications\": 1}", 400, "between 2 and 1000"},
      {"POST", "/api/runs", "{\"replications\": 1001}", 400, "between 2 and 1000"},
      {"POST", "/api/runs", "{\"replications\": -3}", 400, "malformed request body"},
      {"POST", "/api/runs", "{\"edits\": {\"settings\": {\"horizon_days\": -1}}}", 400,
       "the edited scenario is invalid: horizon_days"},
      {"POST", "/api/runs",
       "{\"edits\": {\"settings\": {\"policies[name=customs_my].customs_inspection."
       "inspection_rate\": 2}}}",
       400, "must be a probability"},
      {"POST", "/api/scenario/edited", "{\"disabled_policies\": [\"x\"]}", 400, "no policy named"},
      {"GET", "/api/runs/abc", "", 404, "run ids are numbers"},
      {"GET", "/api/runs/99999999999999999999999", "", 404, "run ids are numbers"},
      {"GET", "/api/runs/7", "", 404, "no run 7"},
      {"DELETE", "/api/runs/7", "", 404, "no run 7"},
      {"GET", "/api/runs/7/results", "", 404, "no run 7"},
      {"GET", "/api/runs/7/other", "", 404, "no such API path"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.method);
    CAPTURE(c.path);
    CAPTURE(c.body);
    const explorer::ApiResponse r = api.handle(c.method, c.path, c.body);
    CHECK(r.status == c.status);
    CHECK(r.content_type == "application/json");
    v1::ErrorView error;
    REQUIRE(models::parse_message_json(r.body, error));
    CHECK(error.error().find(c.words) != std::string::npos);
  }
}

TEST_CASE("explorer API: a run compares on common random numbers, bounded and cancellable") {
  const models::ScenarioFile f = blackwell();
  const models::PolicyRegistry registry = builtin();
  explorer::RunManager runs(1, 2, 8);
  explorer::ExplorerApi api(f, registry, {}, 100000, runs);

  // Unedited, the two variants draw the same numbers: every difference is exactly zero.
  const explorer::ApiResponse started = api.handle("POST", "/api/runs", "{\"replications\": 20}");
  REQUIRE(started.status == 202);
  CHECK(wait_for(api, "1") == "done");
  const explorer::ApiResponse same = api.handle("GET", "/api/runs/1/results", "");
  REQUIRE(same.status == 200);
  v1::RunResultsView results;
  REQUIRE(models::parse_message_json(same.body, results));
  CHECK(results.id() == 1);
  CHECK(results.replications() == 20);
  REQUIRE(results.metrics_size() > 10);
  // Every row says what it counts (the glossary).
  for (const v1::RunResultsView::MetricRow& row : results.metrics()) {
    CAPTURE(row.metric());
    CHECK_FALSE(row.description().empty());
    if (row.metric() == "share_h100e_denied") CHECK(row.rung() == "interdicted");
  }
  for (const v1::RunResultsView::MetricRow& row : results.metrics()) {
    CAPTURE(row.metric());
    const v1::RunResultsView::Interval& d = row.difference();
    if (!d.has_mean()) continue;  // undefined in every replication (a rate with nothing counted)
    CHECK(d.mean() == 0);
    CHECK(d.ci_low() == 0);
    CHECK(d.ci_high() == 0);
    CHECK(row.edited().mean() == row.as_loaded().mean());
  }

  // A higher inspection rate in Malaysia: legitimate trade arrives as before (common random
  // numbers; diverted lots do not, since confirmed cases close fronts), and more lots are
  // detected.
  REQUIRE(api.handle("POST", "/api/runs",
                     "{\"replications\": 20, \"edits\": {\"settings\": {\"" + kRate + "\": 0.6}}}")
              .status == 202);
  wait_for(api, "2");
  const explorer::ApiResponse csv = api.handle("GET", "/api/runs/2/results.csv", "");
  REQUIRE(csv.status == 200);
  CHECK(csv.download_name == "chiptrail-run-2.csv");
  CHECK(csv.body.find("lots_legitimate,difference,20,0,0,0,0,0.95,paired-t\n") !=
        std::string::npos);
  const std::string row = "lots_flagged,difference,20,";
  const std::size_t at = csv.body.find(row);
  REQUIRE(at != std::string::npos);
  CHECK(std::stod(csv.body.substr(at + row.size())) > 3);

  // One run at a time here: a second is refused while the first runs; cancelling frees it.
  REQUIRE(api.handle("POST", "/api/runs", "{\"replications\": 100000}").status == 202);
  const explorer::ApiResponse refused = api.handle("POST", "/api/runs", "");
  CHECK(refused.status == 429);
  CHECK(api.handle("GET", "/api/runs/3/results", "").status == 409);
  const explorer::ApiResponse cancelled = api.handle("DELETE", "/api/runs/3", "");
  CHECK(cancelled.status == 200);
  CHECK(cancelled.body.find("\"cancelled\"") != std::string::npos);
  bool accepted = false;
  for (int i = 0; i < 3000 && !accepted; ++i) {
    accepted = api.handle("POST", "/api/runs", "{\"replications\": 2}").status == 202;
    if (!accepted) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(accepted);
  CHECK(api.handle("GET", "/api/runs/3/results", "").status == 409);
}

TEST_CASE("explorer API: the scenario's own run configuration, as run and Python use") {
  // The same scenario, seed and replications give the explorer's numbers and the library's
  // (which `run`, `compare` and Python call with default_run): blackwell_sea has a year of
  // warm-up, which the per-year rates must leave out in both.
  const models::ScenarioFile f = blackwell();
  const models::PolicyRegistry registry = builtin();
  explorer::RunManager runs(1, 2, 8);
  explorer::ExplorerApi api(f, registry, {}, 100000, runs);
  REQUIRE(api.handle("POST", "/api/runs", "{\"replications\": 4, \"seed\": 7}").status == 202);
  REQUIRE(wait_for(api, "1") == "done");
  v1::RunResultsView results;
  REQUIRE(models::parse_message_json(api.handle("GET", "/api/runs/1/results", "").body, results));
  const models::World w = models::build_world(f, registry);
  REQUIRE(w.warmup > sim::Time::zero());
  models::RunConfig config = models::default_run(w);
  config.seed = 7;
  config.replications = 4;
  const models::ReplicationSet library = models::run_replications(w, config, {});
  int compared = 0;
  for (const v1::RunResultsView::MetricRow& row : results.metrics()) {
    for (const models::MetricSummary& s : library.summary) {
      if (s.metric != row.metric() || s.n == 0) continue;
      CAPTURE(s.metric);
      CHECK(row.as_loaded().mean() == doctest::Approx(s.mean).epsilon(1e-12));
      ++compared;
    }
  }
  CHECK(compared > 10);
}

TEST_CASE("explorer API: the edited scenario downloads as a file that loads") {
  const models::ScenarioFile f = blackwell();
  const models::PolicyRegistry registry = builtin();
  explorer::RunManager runs(1, 1, 8);
  explorer::ExplorerApi api(f, registry, {}, 1000, runs);
  const explorer::ApiResponse r = api.handle(
      "POST", "/api/scenario/edited",
      "{\"settings\": {\"" + kRate + "\": 0.25}, \"disabled_policies\": [\"customs_vn\"]}");
  REQUIRE(r.status == 200);
  CHECK(r.download_name == "blackwell_sea-edited.textproto");
  const models::ScenarioFile again = models::parse_scenario_text("edited.textproto", r.body);
  CHECK(again.message->policies(0).customs_inspection().inspection_rate() == 0.25);
  CHECK(again.message->policies_size() == f.message->policies_size() - 1);
  CHECK(again.message->nodes_size() == f.message->nodes_size());
}
