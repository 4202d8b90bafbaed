#pragma once

#include <pybind11/pybind11.h>

#include <array>
#include <map>
#include <memory>
#include <string>

#include "models/policies/policy.hpp"
#include "models/policies/policy_registry.hpp"

namespace chiptrail::python {

// What a Python policy's hook sees: the lot, where it is, when, and the hook's own random
// stream (addressed as a C++ policy's is, so a Python twin of a C++ policy draws the same
// numbers). Valid during the call only: the stream is gone afterwards, and using it raises.
class PolicyCall {
 public:
  PolicyCall(const models::PolicyContext& ctx, models::Stage stage);
  void expire() { rng_ = nullptr; }

  std::string stage;
  bool diverted = false, relabelled = false;
  std::uint64_t lot = 0, part = 0, chips = 0, flow = 0, payment_layers = 0;
  std::string buyer_sophistication;      // low, medium, high
  std::string node, node_kind, country;  // empty where the stage has no node
  double now_days = 0;

  double uniform();          // in (0, 1)
  bool bernoulli(double p);  // uniform() < p, as the C++ policies draw
  double exponential(double mean);

 private:
  sim::RandomStream& rng();
  sim::RandomStream* rng_;
};

// A policy written in Python: an object with any of the hooks on_sale, on_shipment, on_border,
// on_installation, on_lease and on_usage, each taking a PolicyCall and returning None (pass) or
// a chiptrail.Decision. The model calls it from whichever thread runs the replication, holding
// the GIL for the call: correct, and serial (README, "Python policies", gives the cost).
// Each replication asks an object of its own, class(**parameters) made at its start
// (for_replication), so whatever the object keeps between calls stays within one replication:
// results do not depend on thread counts or on which replications ran before. A class
// attribute `delay_is_time_to_find = True` says its decisions' delays are the time until the
// finding (Policy::delay_is_time_to_find); by default a delayed decision is an alert now.
class PythonPolicy : public models::Policy {
 public:
  PythonPolicy(pybind11::object cls, pybind11::dict parameters);
  ~PythonPolicy() override;
  PythonPolicy(const PythonPolicy&) = delete;
  PythonPolicy& operator=(const PythonPolicy&) = delete;

  models::Decision on_sale(const models::PolicyContext& c) const override;
  models::Decision on_shipment(const models::PolicyContext& c) const override;
  models::Decision on_border(const models::PolicyContext& c) const override;
  models::Decision on_installation(const models::PolicyContext& c) const override;
  models::Decision on_lease(const models::PolicyContext& c) const override;
  models::Decision on_usage(const models::PolicyContext& c) const override;
  [[nodiscard]] std::shared_ptr<const models::Policy> for_replication() const override;
  [[nodiscard]] bool delay_is_time_to_find() const override { return delay_finds_; }

 private:
  models::Decision call(std::size_t hook, models::Stage stage,
                        const models::PolicyContext& c) const;
  pybind11::object cls_;
  pybind11::dict parameters_;
  pybind11::object impl_;
  std::array<bool, 6> has_{};
  bool delay_finds_ = false;
};

// A decision from what a hook returned: None (pass) or a chiptrail.Decision.
models::Decision decision_of(const pybind11::handle& result);

// Registers each (kind, class) so that a scenario's `custom { kind parameters }` policy of that
// kind is class(**parameters). Kinds of the built-in policies are refused (ValueError).
void add_python_policies(models::PolicyRegistry& registry,
                         const std::map<std::string, pybind11::object>& classes);

}  // namespace chiptrail::python
