#include "explorer/explorer_api.hpp"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <cmath>
#include <exception>
#include <filesystem>
#include <optional>
#include <vector>

#include "chiptrail/v1/explorer.pb.h"
#include "chiptrail/v1/scenario.pb.h"
#include "explorer/scenario_controls.hpp"
#include "models/expected_size.hpp"
#include "models/metric_glossary.hpp"
#include "models/output/message_json.hpp"
#include "models/output/text_format.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"
#include "models/summary.hpp"

namespace chiptrail::explorer {
namespace {

using models::csv_field;
using models::format_number;

constexpr double kLevel = RunResults::kLevel;

// A request the API refuses: becomes a 4xx response with {"error": message}.
struct Refusal {
  int status;
  std::string message;
};

ApiResponse json(int status, std::string body) {
  return {status, "application/json", body, ""};
}

template <typename Message>
Message parse_body(const std::string& body) {
  Message m;
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return m;  // no body: defaults
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(body, &m, options);
  if (!status.ok()) {
    throw Refusal{400, "malformed request body: " + std::string(status.message())};
  }
  return m;
}

// An API answer: a message through protobuf's JSON printer.
std::string body_of(const google::protobuf::Message& m) {
  return models::message_json(m);
}

std::string status_json(const RunStatus& s) {
  v1::RunStatusView view;
  view.set_id(s.id);
  view.set_state(to_string(s.state));
  view.set_completed(s.completed);
  view.set_total(s.total);
  view.set_elapsed_seconds(s.elapsed_seconds);
  view.set_error(s.error);
  return body_of(view);
}

// A value is left out where it is undefined (NaN): JSON has no NaN.
void set_interval(const models::MetricSummary& s, v1::RunResultsView::Interval& out) {
  const auto set = [](double x, auto setter) {
    if (!std::isnan(x)) setter(x);
  };
  out.set_n(s.n);
  set(s.mean, [&](double x) { out.set_mean(x); });
  set(s.sd, [&](double x) { out.set_sd(x); });
  set(s.ci_low, [&](double x) { out.set_ci_low(x); });
  set(s.ci_high, [&](double x) { out.set_ci_high(x); });
  out.set_method(s.ci_method);
}

// "/api/runs/12/results.csv" -> {"runs", "12", "results.csv"}
std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (!part.empty()) out.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::optional<std::uint64_t> run_id(std::string_view s) {
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return id;
}

}  // namespace

ApiResponse error_response(int status, const std::string& message) {
  v1::ErrorView view;
  view.set_error(message);
  return json(status, body_of(view));
}

ExplorerApi::ExplorerApi(const models::ScenarioFile& loaded, const models::PolicyRegistry& registry,
                         models::ResourceLimits limits, std::uint32_t max_replications,
                         RunManager& runs)
    : loaded_(loaded),
      registry_(registry),
      limits_(limits),
      max_replications_(max_replications),
      runs_(runs) {}

ApiResponse ExplorerApi::handle(std::string_view method, std::string_view path,
                                const std::string& body) {
  try {
    const std::vector<std::string_view> parts = segments(path);
    if (parts.empty() || parts[0] != "api") return error_response(404, "not an API path");
    const auto only = [&](std::string_view allowed) {
      if (method != allowed) {
        throw Refusal{405, std::string(path) + " takes " + std::string(allowed) + ", not " +
                               std::string(method)};
      }
    };
    if (parts.size() == 2 && parts[1] == "scenario") {
      only("GET");
      return scenario();
    }
    if (parts.size() == 3 && parts[1] == "scenario" && parts[2] == "edited") {
      only("POST");
      return edited_scenario(body);
    }
    if (parts.size() == 2 && parts[1] == "runs") {
      only("POST");
      return start_run(body);
    }
    if (parts.size() >= 3 && parts.size() <= 4 && parts[1] == "runs") {
      const std::optional<std::uint64_t> id = run_id(parts[2]);
      if (!id)
        return error_response(404, "no run " + std::string(parts[2]) + " (run ids are numbers)");
      if (parts.size() == 3) {
        if (method == "DELETE") return cancel_run(*id);
        only("GET");
        return run_status(*id);
      }
      if (parts[3] == "results" || parts[3] == "results.csv") {
        only("GET");
        return run_results(*id, parts[3] == "results.csv");
      }
    }
    return error_response(
        404, "no such API path: " + std::string(path) + " (see README, \"Explorer\", for the API)");
  } catch (const Refusal& r) {
    return error_response(r.status, r.message);
  } catch (const std::exception& e) {
    return error_response(500, std::string("internal error: ") + e.what());
  }
}

models::World ExplorerApi::build(const v1::Scenario& scenario) const {
  try {
    return models::build_world(scenario, loaded_.locator, registry_);
  } catch (const models::InvalidInput& e) {
    // Positions point into the file as loaded, not at the edit: name the field only.
    std::string message = "the edited scenario is invalid:";
    for (const models::InputError& err : e.errors()) {
      message += " " + (err.field.empty() ? "" : err.field + ": ") + err.message + ";";
    }
    message.pop_back();
    throw Refusal{400, message};
  }
}

ApiResponse ExplorerApi::scenario() const {
  const v1::Scenario& s = *loaded_.message;
  v1::ScenarioView view;
  view.set_name(s.metadata().name());
  view.set_description(s.metadata().description());
  view.set_path(loaded_.path);
  view.set_horizon_days(s.horizon_days());
  view.set_replications(build(s).replications);
  view.set_seed(s.seed());
  view.set_max_replications(max_replications_);
  view.set_max_running(runs_.max_running());
  for (const v1::Node& n : s.nodes()) {
    v1::ScenarioView::NodeView& node = *view.add_nodes();
    node.set_id(n.id());
    node.set_name(n.name());
    node.set_kind(v1::NodeKind_Name(n.kind()));
    node.set_country(n.country());
    node.set_latitude(n.latitude());
    node.set_longitude(n.longitude());
  }
  for (const v1::Edge& e : s.edges()) {
    v1::ScenarioView::EdgeView& edge = *view.add_edges();
    edge.set_from(e.from());
    edge.set_to(e.to());
    edge.set_mode(v1::TransportMode_Name(e.mode()));
  }
  const std::vector<PolicyControls> policies = policy_controls(s);
  for (std::size_t i = 0; i < policies.size(); ++i) {
    const PolicyControls& p = policies[i];
    const v1::Scope& scope = s.policies(static_cast<int>(i)).scope();
    v1::ScenarioView::PolicyView& policy = *view.add_policies();
    policy.set_name(p.name);
    policy.set_kind(p.kind);
    *policy.mutable_scope()->mutable_nodes() = scope.nodes();
    *policy.mutable_scope()->mutable_countries() = scope.countries();
    for (const Control& k : p.controls) {
      v1::ScenarioView::Control& control = *policy.add_controls();
      control.set_path(k.path);
      control.set_field(k.field);
      control.set_label(k.label);
      control.set_switch_(k.is_switch);
      control.set_value(k.value);
      control.set_min(k.min);
      control.set_max(k.max);
      control.set_step(k.step);
    }
  }
  return json(200, body_of(view));
}

ApiResponse ExplorerApi::edited_scenario(const std::string& body) const {
  const auto edits = parse_body<v1::ScenarioEdits>(body);
  v1::Scenario edited;
  try {
    edited = apply_edits(*loaded_.message, edits);
  } catch (const std::invalid_argument& e) {
    throw Refusal{400, e.what()};
  }
  (void)build(edited);     // a download always loads
  edited.clear_extends();  // merged already: the file stands alone
  std::string text;
  google::protobuf::TextFormat::PrintToString(edited, &text);
  const std::string stem = std::filesystem::path(loaded_.path).stem().string();
  std::string header = "# " + stem + ", edited in the chiptrail explorer (chiptrail serve).\n";
  if (!loaded_.message->extends().empty()) {
    header +=
        "# Stands alone: what it extended (" + loaded_.message->extends() + ") is merged in.\n";
  }
  return {200, "text/plain; charset=utf-8", header + text, stem + "-edited.textproto"};
}

ApiResponse ExplorerApi::start_run(const std::string& body) {
  const auto request = parse_body<v1::RunRequest>(body);
  v1::Scenario edited;
  try {
    edited = apply_edits(*loaded_.message, request.edits());
  } catch (const std::invalid_argument& e) {
    throw Refusal{400, e.what()};
  }
  models::World edited_world = build(edited);
  // Worlds are built per request: the run owns them.
  models::World baseline = build(*loaded_.message);
  const std::uint32_t replications =
      request.has_replications() ? request.replications() : baseline.replications;
  if (replications < 2 || replications > max_replications_) {
    throw Refusal{400, "replications must be between 2 and " + std::to_string(max_replications_) +
                           ", got " + std::to_string(replications)};
  }
  // A request's cost is bounded before it runs: rates that would take hours, or more lots than
  // the limits allow, are refused here rather than holding the server's memory.
  try {
    models::check_expected_size(edited_world, limits_);
  } catch (const models::ResourceLimitExceeded& e) {
    throw Refusal{422, std::string("the edited scenario is too large to run: ") + e.what()};
  }
  // The scenario's own run configuration (its warm-up above all), as every front end uses.
  models::RunConfig config = models::default_run(edited_world);
  config.seed = request.has_seed() ? request.seed() : baseline.seed;
  config.replications = replications;
  config.limits = limits_;
  const std::optional<std::uint64_t> id =
      runs_.start(std::move(edited_world), std::move(baseline), std::move(config));
  if (!id) {
    throw Refusal{429, std::to_string(runs_.max_running()) +
                           " run(s) already running (the most `serve --max-running` allows): "
                           "wait for one to finish or cancel it"};
  }
  return json(202, status_json(*runs_.status(*id)));
}

ApiResponse ExplorerApi::run_status(std::uint64_t id) const {
  const std::optional<RunStatus> s = runs_.status(id);
  if (!s)
    return error_response(
        404, "no run " + std::to_string(id) + " (finished runs are forgotten after a while)");
  return json(200, status_json(*s));
}

ApiResponse ExplorerApi::cancel_run(std::uint64_t id) {
  const std::optional<RunStatus> s = runs_.cancel(id);
  if (!s) return error_response(404, "no run " + std::to_string(id));
  return json(200, status_json(*s));
}

ApiResponse ExplorerApi::run_results(std::uint64_t id, bool csv) const {
  const std::optional<RunStatus> s = runs_.status(id);
  if (!s) return error_response(404, "no run " + std::to_string(id));
  const std::shared_ptr<const RunResults> r = runs_.results(id);
  if (!r) {
    return error_response(409, "run " + std::to_string(id) + " is " + to_string(s->state) +
                                   ": results exist once it is done");
  }
  if (csv) {
    std::string out = "metric,variant,n,mean,sd,ci_low,ci_high,ci_level,ci_method\n";
    for (std::size_t i = 0; i < r->as_loaded.size(); ++i) {
      for (const auto& [variant, m] :
           {std::pair{"edited", &r->edited[i]}, std::pair{"as_loaded", &r->as_loaded[i]},
            std::pair{"difference", &r->difference[i]}}) {
        out += models::csv_field(r->as_loaded[i].metric) + "," + variant + "," +
               std::to_string(m->n) + "," + models::format_number(m->mean) + "," +
               models::format_number(m->sd) + "," + models::format_number(m->ci_low) + "," +
               models::format_number(m->ci_high) + "," + models::format_number(kLevel) + "," +
               m->ci_method + "\n";
      }
    }
    return {200, "text/csv; charset=utf-8", out, "chiptrail-run-" + std::to_string(id) + ".csv"};
  }
  v1::RunResultsView view;
  view.set_id(id);
  view.set_replications(r->replications);
  view.set_seed(r->seed);
  view.set_ci_level(kLevel);
  for (std::size_t i = 0; i < r->as_loaded.size(); ++i) {
    v1::RunResultsView::MetricRow& row = *view.add_metrics();
    row.set_metric(r->as_loaded[i].metric);
    if (const models::MetricInfo* info = models::find_metric(row.metric())) {
      row.set_rung(info->rung);
      row.set_unit(info->unit);
      row.set_description(info->description);
    }
    set_interval(r->edited[i], *row.mutable_edited());
    set_interval(r->as_loaded[i], *row.mutable_as_loaded());
    set_interval(r->difference[i], *row.mutable_difference());
  }
  return json(200, body_of(view));
}

}  // namespace chiptrail::explorer
