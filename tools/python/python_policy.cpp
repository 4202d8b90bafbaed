#include "python_policy.hpp"

#include <stdexcept>
#include <utility>

#include "chiptrail/v1/scenario.pb.h"
#include "sim/sampling.hpp"

namespace py = pybind11;

namespace chiptrail::python {
namespace {

constexpr std::array<const char*, 6> kHooks{"on_sale",         "on_shipment", "on_border",
                                            "on_installation", "on_lease",    "on_usage"};

const char* sophistication(models::Sophistication s) {
  switch (s) {
    case models::Sophistication::kLow:
      return "low";
    case models::Sophistication::kMedium:
      return "medium";
    case models::Sophistication::kHigh:
      return "high";
  }
  return "medium";
}

// Keeps this thread's Python thread state from its first call into Python to its end: a thread
// Python did not start gets a new thread state each time it takes the GIL otherwise, which cost
// ~100 us a call (the policy's whole budget many times over).
struct ThreadStateKept {
  ThreadStateKept() {
    py::gil_scoped_acquire gil;
    gil.inc_ref();
  }
  ~ThreadStateKept() {
    if (Py_IsInitialized() == 0) return;
    py::gil_scoped_acquire gil;
    gil.dec_ref();
  }
  ThreadStateKept(const ThreadStateKept&) = delete;
  ThreadStateKept& operator=(const ThreadStateKept&) = delete;
};

}  // namespace

PolicyCall::PolicyCall(const models::PolicyContext& ctx, models::Stage s)
    : stage(models::to_string(s)),
      diverted(ctx.lot.diverted),
      relabelled(ctx.lot.relabelled),
      lot(ctx.lot.id),
      part(ctx.lot.part),
      chips(ctx.lot.chips),
      flow(ctx.lot.flow),
      payment_layers(ctx.lot.payment_layers),
      buyer_sophistication(sophistication(ctx.lot.buyer_sophistication)),
      now_days(ctx.now.to_days()),
      rng_(&ctx.rng) {
  if (ctx.node != nullptr) {
    node = ctx.node->id;
    node_kind = models::to_string(ctx.node->kind);
    country = ctx.node->country;
  }
}

sim::RandomStream& PolicyCall::rng() {
  if (rng_ == nullptr) {
    throw std::runtime_error("a PolicyCall's random stream is used after its hook returned");
  }
  return *rng_;
}

double PolicyCall::uniform() {
  return rng().uniform01();
}
bool PolicyCall::bernoulli(double p) {
  return sim::bernoulli(rng(), p);
}
double PolicyCall::exponential(double mean) {
  return sim::exponential(rng(), mean);
}

PythonPolicy::PythonPolicy(py::object cls, py::dict parameters)
    : cls_(std::move(cls)), parameters_(std::move(parameters)), impl_(cls_(**parameters_)) {
  for (std::size_t i = 0; i < kHooks.size(); ++i) has_[i] = py::hasattr(impl_, kHooks[i]);
  delay_finds_ =
      py::hasattr(impl_, "delay_is_time_to_find") && py::bool_(impl_.attr("delay_is_time_to_find"));
}

PythonPolicy::~PythonPolicy() {
  py::gil_scoped_acquire gil;  // the last reference may go on any thread
  // Released here, under the GIL: moved-from handles hold nothing when the members go.
  impl_ = py::object();
  py::object(std::move(parameters_));
  cls_ = py::object();
}

std::shared_ptr<const models::Policy> PythonPolicy::for_replication() const {
  thread_local ThreadStateKept kept;
  py::gil_scoped_acquire gil;
  try {
    return std::make_shared<PythonPolicy>(cls_, parameters_);
  } catch (py::error_already_set& e) {
    throw std::runtime_error(std::string("Python policy: making its object: ") + e.what());
  }
}

models::Decision PythonPolicy::on_sale(const models::PolicyContext& c) const {
  return call(0, models::Stage::kSale, c);
}
models::Decision PythonPolicy::on_shipment(const models::PolicyContext& c) const {
  return call(1, models::Stage::kShipment, c);
}
models::Decision PythonPolicy::on_border(const models::PolicyContext& c) const {
  return call(2, models::Stage::kBorder, c);
}
models::Decision PythonPolicy::on_installation(const models::PolicyContext& c) const {
  return call(3, models::Stage::kInstallation, c);
}
models::Decision PythonPolicy::on_lease(const models::PolicyContext& c) const {
  return call(4, models::Stage::kLease, c);
}
models::Decision PythonPolicy::on_usage(const models::PolicyContext& c) const {
  return call(5, models::Stage::kUsage, c);
}

models::Decision PythonPolicy::call(std::size_t hook, models::Stage stage,
                                    const models::PolicyContext& c) const {
  if (!has_[hook]) return {};
  thread_local ThreadStateKept kept;
  py::gil_scoped_acquire gil;
  auto view = std::make_shared<PolicyCall>(c, stage);
  try {
    const py::object result = impl_.attr(kHooks[hook])(view);
    view->expire();
    return decision_of(result);
  } catch (py::error_already_set& e) {
    // Python's error as text here, under the GIL: the exception crosses threads from here.
    view->expire();
    throw std::runtime_error(std::string("Python policy ") + kHooks[hook] + ": " + e.what());
  } catch (...) {
    view->expire();
    throw;
  }
}

models::Decision decision_of(const py::handle& result) {
  if (result.is_none()) return {};
  if (!py::isinstance<models::Decision>(result)) {
    throw std::runtime_error("a Python policy's hook must return None or a chiptrail.Decision");
  }
  return result.cast<models::Decision>();
}

void add_python_policies(models::PolicyRegistry& registry,
                         const std::map<std::string, py::object>& classes) {
  for (const auto& [kind, cls] : classes) {
    if (registry.find(kind) != nullptr) {
      throw py::value_error("policy kind \"" + kind + "\" is built in: choose another name");
    }
    registry.add(kind, [cls = cls](const v1::Policy& config) -> std::unique_ptr<models::Policy> {
      py::gil_scoped_acquire gil;
      py::dict kwargs;
      for (const auto& [key, value] : config.custom().parameters()) kwargs[py::str(key)] = value;
      try {
        return std::make_unique<PythonPolicy>(cls, kwargs);
      } catch (py::error_already_set& e) {
        throw models::PolicyConfigError("parameters", e.what());
      }
    });
  }
}

}  // namespace chiptrail::python
