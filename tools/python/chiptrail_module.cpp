// The `chiptrail` Python module (pybind11; build with -DCHIPTRAIL_PYTHON=ON, use with
// /usr/bin/python3): load a scenario from a file or a dict, override its fields, run
// replications (the GIL released, Ctrl-C honoured), get results as dicts or pandas
// DataFrames, run a sweep (the experiment library, as `chiptrail sweep`), list the policies.
//
// Results are the command line's: the same scenario, seed and replication give the same
// numbers as `chiptrail run` (tests/python/test_chiptrail.py checks).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "chiptrail/v1/scenario.pb.h"
#include "models/experiment/replications.hpp"
#include "models/experiment/sweep_runner.hpp"
#include "models/metric_glossary.hpp"
#include "models/output/message_json.hpp"
#include "models/output/output_set.hpp"
#include "models/output/plain_reading.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/run_metrics.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/summary.hpp"
#include "models/sweep/field_setter.hpp"
#include "models/version.hpp"
#include "python_policy.hpp"

namespace py = pybind11;

namespace chiptrail::python {
namespace {

models::PolicyRegistry builtin_registry() {
  models::PolicyRegistry r;
  models::register_builtin_policies(r);
  return r;
}

// Runs `work(stop)` on a worker thread with the GIL released, checking every 50 ms on this
// (the calling, main) thread for a Python signal: on Ctrl-C it sets `stop`, waits for the
// worker to finish what it has in hand, and raises KeyboardInterrupt. Exceptions of `work`
// are rethrown here.
template <typename Work>
void interruptible(Work work) {
  std::atomic<bool> stop{false};
  std::atomic<bool> done{false};
  std::exception_ptr error;
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        work(stop);
      } catch (...) {
        error = std::current_exception();
      }
      done = true;
    });
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      py::gil_scoped_acquire acquire;
      if (PyErr_CheckSignals() != 0) {
        interrupted = true;
        stop = true;
        break;
      }
    }
    // Joined without the GIL: a worker inside a Python policy's hook can finish its call.
    worker.join();
  }
  if (interrupted) throw py::error_already_set();  // the KeyboardInterrupt CheckSignals set
  if (error) std::rethrow_exception(error);
}

// What a run of replications produced.
struct Results {
  std::string scenario;
  std::uint64_t seed = 0;
  std::vector<models::RunMetrics> runs;
  std::vector<models::MetricSummary> summary;
  std::vector<std::vector<models::MetricSummary>> periods;
  double period_days = 365;
  models::ReadingContext context;

  // timeseries.csv's rows: one per replication and period, each period metric counted by
  // when it happened.
  [[nodiscard]] py::list timeseries_dicts() const {
    py::list out;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      for (std::size_t k = 0; k < runs[r].periods.size(); ++k) {
        py::dict row;
        row["replication"] = r;
        row["period"] = k;
        row["start_day"] = period_days * static_cast<double>(k);
        row["end_day"] = period_days * static_cast<double>(k + 1);
        for (std::size_t c = 0; c < models::period_metric_names().size(); ++c)
          row[py::str(models::period_metric_names()[c])] = runs[r].periods[k][c];
        out.append(row);
      }
    }
    return out;
  }
  [[nodiscard]] py::list timeseries_summary_dicts() const {
    py::list out;
    for (std::size_t k = 0; k < periods.size(); ++k) {
      for (const models::MetricSummary& s : periods[k]) {
        py::dict row = summary_dict(s);
        row["period"] = k;
        row["start_day"] = period_days * static_cast<double>(k);
        row["end_day"] = period_days * static_cast<double>(k + 1);
        out.append(row);
      }
    }
    return out;
  }
  static py::dict summary_dict(const models::MetricSummary& s) {
    py::dict row;
    row["metric"] = s.metric;
    row["n"] = s.n;
    row["mean"] = s.mean;
    row["sd"] = s.sd;
    row["ci_low"] = s.ci_low;
    row["ci_high"] = s.ci_high;
    row["ci_method"] = s.ci_method;
    return row;
  }

  [[nodiscard]] py::list run_dicts() const {
    py::list out;
    for (std::size_t r = 0; r < runs.size(); ++r) {
      py::dict row;
      row["replication"] = r;
      row["seed"] = seed;
      for (std::size_t i = 0; i < runs[r].names.size(); ++i)
        row[py::str(runs[r].names[i])] = runs[r].values[i];
      out.append(row);
    }
    return out;
  }
  [[nodiscard]] py::list summary_dicts() const {
    py::list out;
    for (const models::MetricSummary& s : summary) out.append(summary_dict(s));
    return out;
  }
};

// A scenario as read, with the fields the user has overridden since. The file it came from
// stays shared (and unchanged) so that errors still point at its lines.
class Scenario {
 public:
  // `classes`: policies written in Python, by kind (a scenario's `custom { kind }` policies).
  Scenario(models::ScenarioFile file, std::map<std::string, py::object> classes)
      : origin_(std::make_shared<models::ScenarioFile>(std::move(file))),
        classes_(std::make_shared<const std::map<std::string, py::object>>(std::move(classes))),
        message_(*origin_->message) {
    (void)world();  // invalid scenarios fail at load, with every error
  }

  // The built-in policies and this scenario's Python ones.
  [[nodiscard]] models::PolicyRegistry registry() const {
    models::PolicyRegistry r = builtin_registry();
    add_python_policies(r, *classes_);
    return r;
  }

  [[nodiscard]] std::string name() const {
    return message_.metadata().name().empty() ? origin_->path : message_.metadata().name();
  }
  [[nodiscard]] std::string path() const { return origin_->path; }

  // Overrides a numeric field (a path as in sweep factors); the scenario must stay valid.
  void set(const std::string& path, double value) {
    v1::Scenario edited = message_;
    models::set_numeric_field(edited, path, value);
    (void)models::build_world(edited, origin_->locator, registry());
    message_ = std::move(edited);
  }

  [[nodiscard]] Scenario copy() const { return *this; }

  [[nodiscard]] std::string to_json() const {
    return models::message_json(message_, models::JsonLayout::compact);
  }

  [[nodiscard]] models::World world() const {
    return models::build_world(message_, origin_->locator, registry());
  }

  [[nodiscard]] Results run(std::optional<std::uint32_t> replications,
                            std::optional<std::uint64_t> seed, std::optional<unsigned> threads,
                            std::optional<double> warmup_days, const std::string& period) const {
    const models::World w = world();
    models::RunConfig config = models::default_run(w);
    if (replications) config.replications = *replications;
    if (seed) config.seed = *seed;
    if (warmup_days) {
      if (!(*warmup_days >= 0 && *warmup_days < w.horizon.to_days()))
        throw py::value_error("warmup_days must be in [0, horizon), got " +
                              std::to_string(*warmup_days));
      config.warmup = sim::Time::from_days(*warmup_days);
    }
    const std::optional<sim::Time> length = models::parse_period(period);
    if (!length) {
      throw py::value_error("period must be year, quarter, month or a number of days, got " +
                            period);
    }
    config.period = *length;
    models::Execution execution;
    execution.threads = threads.value_or(std::max(1U, std::thread::hardware_concurrency()));
    Results out;
    out.scenario = name();
    out.seed = config.seed;
    interruptible([&](const std::atomic<bool>& stop) {
      execution.stop = &stop;
      models::ReplicationSet set = models::run_replications(w, config, execution);
      out.runs = std::move(set.runs);
      out.summary = std::move(set.summary);
      out.periods = std::move(set.periods);
    });
    out.period_days = config.period.to_days();
    out.context = {config.replications, w.horizon.to_days(), config.warmup.to_days(), 0.95,
                   w.estimand,          w.warmup.to_days()};
    return out;
  }

 private:
  std::shared_ptr<const models::ScenarioFile> origin_;
  std::shared_ptr<const std::map<std::string, py::object>> classes_;
  v1::Scenario message_;
};

py::object dataframe(const py::list& rows);

// Variants against a base on common random numbers (as `chiptrail compare`): one row per
// scenario and metric with its summary and, for a variant, its paired difference to the base.
py::object compare(const Scenario& base, const std::vector<Scenario>& variants,
                   std::optional<std::uint32_t> replications, std::optional<std::uint64_t> seed,
                   std::optional<unsigned> threads) {
  if (variants.empty()) throw py::value_error("compare needs at least one variant");
  const models::World base_world = base.world();
  std::vector<models::World> worlds;
  for (const Scenario& v : variants) worlds.push_back(v.world());
  std::vector<const models::World*> pointers;
  for (const models::World& w : worlds) pointers.push_back(&w);
  models::RunConfig config = models::default_run(base_world);
  if (replications) {
    if (*replications < 2) throw py::value_error("replications must be at least 2");
    config.replications = *replications;
  }
  if (seed) config.seed = *seed;
  models::Execution execution;
  execution.threads = threads.value_or(std::max(1U, std::thread::hardware_concurrency()));
  models::VariantComparison c;
  interruptible([&](const std::atomic<bool>& stop) {
    execution.stop = &stop;
    c = models::compare_variants(base_world, pointers, config, execution);
  });
  py::list rows;
  const auto add = [&](const std::string& scenario, const char* role,
                       const std::vector<models::MetricSummary>& summary,
                       const std::vector<models::MetricSummary>* difference) {
    for (const models::MetricSummary& s : summary) {
      py::dict row = Results::summary_dict(s);
      row["scenario"] = scenario;
      row["role"] = role;
      if (difference != nullptr) {
        for (const models::MetricSummary& d : *difference) {
          if (d.metric != s.metric) continue;
          row["difference_n"] = d.n;
          row["difference_mean"] = d.mean;
          row["difference_ci_low"] = d.ci_low;
          row["difference_ci_high"] = d.ci_high;
        }
      }
      rows.append(row);
    }
  };
  add(base.name(), "base", c.baseline.summary, nullptr);
  for (std::size_t v = 0; v < variants.size(); ++v) {
    add(variants[v].name(), "variant", c.variants[v].summary, &c.differences[v]);
  }
  // The effect by period (as period_effects.csv) and its reading, in the frame's attrs.
  py::list by_period;
  py::dict readings;
  for (std::size_t v = 0; v < variants.size(); ++v) {
    const models::PeriodEffects& e = c.period_effects[v];
    readings[py::str(variants[v].name())] = models::describe_period_effects(e);
    for (std::size_t i = 0; i < e.by_period.size(); ++i) {
      py::dict row = Results::summary_dict(e.by_period[i]);
      row["scenario"] = variants[v].name();
      row["period"] = e.first_period + i;
      row["start_day"] = static_cast<double>(e.first_period + i) * e.period_days;
      row["end_day"] = static_cast<double>(e.first_period + i + 1) * e.period_days;
      row["equal_effects_p"] = e.equal_effects.valid ? e.equal_effects.p_value
                                                     : std::numeric_limits<double>::quiet_NaN();
      row["transient_days"] =
          e.transient_assessed ? e.transient_days() : std::numeric_limits<double>::quiet_NaN();
      by_period.append(row);
    }
  }
  py::object frame = dataframe(rows);
  frame.attr("attrs")["period_effects"] = dataframe(by_period);
  frame.attr("attrs")["period_readings"] = readings;
  return frame;
}

// Reads a scenario file (text or JSON), turning the loader's exceptions into Python's.
Scenario load(const std::string& path, const std::map<std::string, py::object>& policies) {
  return Scenario(models::read_scenario_file(path), policies);
}

// A scenario from a dict in protobuf's JSON mapping (as `Scenario.to_dict()` gives);
// `extends` paths are relative to the working directory.
Scenario from_dict(const py::dict& scenario, const std::string& name,
                   const std::map<std::string, py::object>& policies) {
  const std::string json = py::module_::import("json").attr("dumps")(scenario).cast<std::string>();
  return Scenario(models::parse_scenario_text(name, json), policies);
}

py::object dataframe(const py::list& rows) {
  return py::module_::import("pandas").attr("DataFrame")(rows);
}

// The CSV outputs in a directory, as pandas DataFrames keyed by file stem.
py::dict read_outputs(const std::string& dir) {
  // Only a complete output set: a run killed midway leaves files of two runs side by side.
  if (const std::string problem = models::check_output_set(dir); !problem.empty()) {
    throw py::value_error(problem);
  }
  const py::object pandas = py::module_::import("pandas");
  const py::object os_path = py::module_::import("os.path");
  py::dict out;
  for (const char* stem :
       {"runs", "summary", "timeseries", "timeseries_summary", "paired", "compare", "detections",
        "sensitivity", "frontier", "allocations", "uncertainty"}) {
    const std::string file = dir + "/" + stem + ".csv";
    if (os_path.attr("exists")(file).cast<bool>()) out[stem] = pandas.attr("read_csv")(file);
  }
  if (out.empty())
    throw py::value_error(dir + ": no chiptrail outputs (runs.csv, summary.csv ...)");
  return out;
}

// Runs a sweep with the experiment library (as `chiptrail sweep` does: journal, resume, shards,
// byte-identical outputs) and returns its outputs as DataFrames.
py::dict sweep(const std::string& path, const std::string& out, std::optional<unsigned> threads,
               bool resume, const std::string& shard) {
  const std::optional<models::Shard> part =
      shard.empty() ? std::optional<models::Shard>(models::Shard{}) : models::parse_shard(shard);
  if (!part) throw py::value_error("shard must be K/N with 0 <= K < N <= 1000000, got " + shard);
  const models::PolicyRegistry registry = builtin_registry();
  const models::SweepSpec spec = models::load_sweep(path, registry);  // raises InputError
  models::SweepRequest request;
  request.out = out;
  request.shard = *part;
  request.resume = resume;
  models::ThreadExecutor executor(
      threads.value_or(std::max(1U, std::thread::hardware_concurrency())));
  models::SweepReport report;
  try {
    interruptible([&](const std::atomic<bool>& stop) {
      request.stop = &stop;
      report = models::run_sweep(spec, registry, request, executor);
    });
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_KeyboardInterrupt)) throw;
    PyErr_SetString(PyExc_KeyboardInterrupt, ("sweep interrupted; completed runs are kept in " +
                                              out + ": call again with resume=True")
                                                 .c_str());
    throw py::error_already_set();
  } catch (const models::SweepError& e) {
    switch (e.kind()) {
      case models::SweepError::Kind::usage:
      case models::SweepError::Kind::data:
        throw py::value_error(e.what());
      case models::SweepError::Kind::missing:
        PyErr_SetString(PyExc_FileNotFoundError, e.what());
        throw py::error_already_set();
      case models::SweepError::Kind::io:
        PyErr_SetString(PyExc_OSError, e.what());
        throw py::error_already_set();
    }
  } catch (const models::ResourceLimitExceeded& e) {
    throw py::value_error(std::string(e.what()) + " (completed runs are kept in " + out + ")");
  }
  if (report.outcome == models::SweepReport::Outcome::interrupted) {  // stopped from C++
    PyErr_SetString(PyExc_KeyboardInterrupt, ("sweep interrupted; completed runs are kept in " +
                                              out + ": call again with resume=True")
                                                 .c_str());
    throw py::error_already_set();
  }
  return read_outputs(out);
}

}  // namespace
}  // namespace chiptrail::python

PYBIND11_MODULE(chiptrail, m) {
  using namespace chiptrail::python;
  namespace models = chiptrail::models;
  m.doc() =
      "Discrete-event simulation of AI-chip supply chains and the export-control measures that "
      "try to detect diversion. See the README, section Python.";
  m.attr("__version__") = chiptrail::models::kVersion;

  // chiptrail.InputError (a ValueError): every problem of an input file, one per line, as
  // file:line:column: field: message. The module attribute holds the type.
  py::exception<models::InvalidInput>(m, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const models::InvalidInput& e) {
      std::string text;
      for (const models::InputError& error : e.errors()) text += error.to_string() + "\n";
      PyErr_SetString(py::module_::import("chiptrail").attr("InputError").ptr(), text.c_str());
    } catch (const models::MissingInput& e) {
      PyErr_SetString(PyExc_FileNotFoundError, e.what());
    }
  });

  py::class_<Results>(m, "Results",
                      "Replications of one scenario: per-run metrics and their summary.")
      .def_readonly("scenario", &Results::scenario)
      .def_readonly("seed", &Results::seed)
      .def_property_readonly("runs", &Results::run_dicts,
                             "One dict per replication: replication, seed, then every metric.")
      .def_property_readonly("summary", &Results::summary_dicts,
                             "One dict per metric: n, mean, sd, ci_low, ci_high, ci_method (95%).")
      .def(
          "dataframe", [](const Results& r) { return dataframe(r.run_dicts()); },
          "The runs as a pandas DataFrame, one row per replication.")
      .def(
          "summary_dataframe",
          [](const Results& r) { return dataframe(r.summary_dicts()).attr("set_index")("metric"); },
          "The summary as a pandas DataFrame indexed by metric.")
      .def_property_readonly("timeseries", &Results::timeseries_dicts,
                             "One dict per replication and period (timeseries.csv's rows).")
      .def(
          "timeseries_dataframe", [](const Results& r) { return dataframe(r.timeseries_dicts()); },
          "The time series as a pandas DataFrame, one row per replication and period.")
      .def(
          "timeseries_summary_dataframe",
          [](const Results& r) { return dataframe(r.timeseries_summary_dicts()); },
          "Per period and metric: n, mean, sd, ci_low, ci_high (timeseries_summary.csv).")
      .def_property_readonly(
          "reading", [](const Results& r) { return models::plain_reading(r.summary, r.context); },
          "What the run says in plain language (as `chiptrail run` prints it).")
      .def("__len__", [](const Results& r) { return r.runs.size(); })
      .def("__repr__", [](const Results& r) {
        return "<chiptrail.Results " + r.scenario + ": " + std::to_string(r.runs.size()) +
               " replications, seed " + std::to_string(r.seed) + ">";
      });

  py::class_<Scenario>(m, "Scenario", "A validated scenario, with fields that can be overridden.")
      .def_property_readonly("name", &Scenario::name)
      .def_property_readonly("path", &Scenario::path)
      .def("set", &Scenario::set, py::arg("path"), py::arg("value"),
           "Override a numeric field, e.g. set(\"policies[name=customs_my].inspection_rate\", "
           "0.2). Raises ValueError for a path that names no numeric field, or a value that "
           "makes the scenario invalid.")
      .def("copy", &Scenario::copy, "An independent copy (to edit a variant).")
      .def(
          "to_dict",
          [](const Scenario& s) { return py::module_::import("json").attr("loads")(s.to_json()); },
          "The scenario as a dict (protobuf's JSON mapping), overrides included.")
      .def("run", &Scenario::run, py::arg("replications") = py::none(),
           py::arg("seed") = py::none(), py::arg("threads") = py::none(),
           py::arg("warmup_days") = py::none(), py::arg("period") = "year",
           "Run replications (default: the scenario's) with the GIL released; Ctrl-C stops them. "
           "warmup_days (default: the scenario's) starts the yearly rates; period (year, "
           "quarter, month or days) is that of the time series. "
           "The same seed gives the same numbers as `chiptrail run`; two scenarios run with the "
           "same seed share their random numbers (common random numbers).")
      .def("__repr__", [](const Scenario& s) { return "<chiptrail.Scenario " + s.name() + ">"; });

  py::class_<models::Decision>(m, "Decision",
                               "What a Python policy's hook decides: verdict pass, flag, seize, "
                               "disable or turn_back; units of effort spent; days before it acts.")
      .def(py::init([](const std::string& verdict, double effort, double delay_days) {
             static const std::map<std::string, models::Verdict> verdicts{
                 {"pass", models::Verdict::kPass},
                 {"flag", models::Verdict::kFlag},
                 {"seize", models::Verdict::kSeize},
                 {"disable", models::Verdict::kDisable},
                 {"turn_back", models::Verdict::kTurnBack}};
             const auto found = verdicts.find(verdict);
             if (found == verdicts.end()) {
               throw py::value_error(
                   "verdict must be pass, flag, seize, disable or turn_back, got " + verdict);
             }
             if (!(effort >= 0) || !(delay_days >= 0)) {
               throw py::value_error("effort and delay_days must be non-negative");
             }
             return models::Decision(found->second, effort,
                                     chiptrail::sim::Time::from_days(delay_days));
           }),
           py::arg("verdict"), py::arg("effort") = 0.0, py::arg("delay_days") = 0.0)
      .def_property_readonly("verdict",
                             [](const models::Decision& d) { return models::to_string(d.verdict); })
      .def_readonly("effort", &models::Decision::effort_units)
      .def_property_readonly("delay_days",
                             [](const models::Decision& d) { return d.delay.to_days(); });
  py::class_<PolicyCall, std::shared_ptr<PolicyCall>>(
      m, "PolicyCall", "What a Python policy's hook sees (valid during the call only).")
      .def_readonly("stage", &PolicyCall::stage)
      .def_readonly("diverted", &PolicyCall::diverted)
      .def_readonly("relabelled", &PolicyCall::relabelled)
      .def_readonly("lot", &PolicyCall::lot)
      .def_readonly("part", &PolicyCall::part)
      .def_readonly("chips", &PolicyCall::chips)
      .def_readonly("flow", &PolicyCall::flow)
      .def_readonly("payment_layers", &PolicyCall::payment_layers)
      .def_readonly("buyer_sophistication", &PolicyCall::buyer_sophistication)
      .def_readonly("node", &PolicyCall::node)
      .def_readonly("node_kind", &PolicyCall::node_kind)
      .def_readonly("country", &PolicyCall::country)
      .def_readonly("now_days", &PolicyCall::now_days)
      .def("uniform", &PolicyCall::uniform, "A uniform draw in (0, 1) from the hook's stream.")
      .def("bernoulli", &PolicyCall::bernoulli, py::arg("p"), "uniform() < p.")
      .def("exponential", &PolicyCall::exponential, py::arg("mean"));

  m.def("load", &load, py::arg("path"), py::arg("policies") = std::map<std::string, py::object>{},
        "Load a scenario file (.textproto or .json); `policies` maps kinds of `custom` policies "
        "to Python classes (README, Python policies).");
  m.def("from_dict", &from_dict, py::arg("scenario"), py::arg("name") = "scenario.json",
        py::arg("policies") = std::map<std::string, py::object>{},
        "A scenario from a dict in protobuf's JSON mapping (what Scenario.to_dict() gives).");
  m.def(
      "policies", [] { return builtin_registry().kinds(); },
      "The policy kinds a scenario may use.");
  m.def(
      "metrics",
      [] {
        py::list out;
        for (const models::MetricInfo& info : models::metric_glossary()) {
          py::dict row;
          row["metric"] = info.name;
          row["rung"] = info.rung;
          row["unit"] = info.unit;
          row["numerator"] = info.numerator;
          row["denominator"] = info.denominator;
          row["description"] = info.description;
          out.append(row);
        }
        return out;
      },
      "The glossary (as `chiptrail metrics`): one dict per metric with its rung, unit, "
      "numerator and denominator (ratios) and what it counts.");
  m.def("sweep", &sweep, py::arg("path"), py::arg("out"), py::arg("threads") = py::none(),
        py::arg("resume") = false, py::arg("shard") = "",
        "Run a sweep file into directory `out` (as `chiptrail sweep`) and return its outputs as "
        "DataFrames: {'runs': ..., 'summary': ...}.");
  m.def("compare", &compare, py::arg("base"), py::arg("variants"),
        py::arg("replications") = py::none(), py::arg("seed") = py::none(),
        py::arg("threads") = py::none(),
        "Scenarios against a base on common random numbers (as `chiptrail compare`): a "
        "DataFrame with one row per scenario and metric, its summary and, for a variant, the "
        "paired difference to the base (difference_mean, difference_ci_low, difference_ci_high). "
        "Its attrs hold 'period_effects' (a DataFrame: each variant's paired effect on the "
        "compute delivered per period after the warm-up, the p of the test of equal effects, the "
        "transient in days) and 'period_readings' (per variant, the paragraph compare prints).");
  m.def("read_outputs", &read_outputs, py::arg("dir"),
        "The CSV outputs of a run, sweep, optimize or sensitivity directory as DataFrames.");
}
