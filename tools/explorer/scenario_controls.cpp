#include "explorer/scenario_controls.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>

#include "chiptrail/v1/explorer.pb.h"
#include "chiptrail/v1/scenario.pb.h"
#include "models/policies/end_use_check.hpp"
#include "models/policies/location_verification.hpp"
#include "models/sweep/field_setter.hpp"

namespace chiptrail::explorer {
namespace {

using google::protobuf::FieldDescriptor;

// A curated knob: `max` is the slider's top unless the loaded value is higher (then twice that);
// `unset` is what the model uses when the field is left out (kZeroIsZero: 0, the field's own
// zero), taken from the policy's Parameters so that the page and the model agree; `min` the
// slider's bottom (a step above 0 where the model refuses 0).
struct Knob {
  const char* field;
  bool is_switch;
  double max;
  double step;
  double unset;
  double min = 0;
};

constexpr double kZeroIsZero = std::numeric_limits<double>::quiet_NaN();

// The parameters that move detection most, per policy kind (DOMAIN.md, README "Policies").
const std::map<std::string, std::vector<Knob>>& knobs() {
  static const std::map<std::string, std::vector<Knob>> table = {
      {"customs_inspection",
       {{"inspection_rate", false, 1, 0.01, kZeroIsZero},
        {"detection_probability", false, 1, 0.01, kZeroIsZero},
        {"relabelled_detection_probability", false, 1, 0.01, kZeroIsZero}}},
      {"customer_vetting",
       {{"catch_probability_low", false, 1, 0.01, kZeroIsZero},
        {"catch_probability_medium", false, 1, 0.01, kZeroIsZero},
        {"catch_probability_high", false, 1, 0.01, kZeroIsZero}}},
      {"end_use_check",
       {{"visits_per_site_per_year", false, 12, 0.1, kZeroIsZero},
        {"announced", true, 1, 1, kZeroIsZero},
        {"count_accuracy", false, 1, 0.01, models::EndUseCheck::Parameters{}.count_accuracy}}},
      {"serial_registry",
       {{"rounds_per_site_per_year", false, 12, 0.1, kZeroIsZero},
        {"sampling_fraction", false, 1, 0.01, kZeroIsZero},
        {"label_removal_probability", false, 1, 0.01, kZeroIsZero}}},
      {"location_verification",
       {{"challenge_interval_days", false, 30, 0.5, kZeroIsZero},
        {"opt_in_share", false, 1, 0.01, models::LocationVerification::Parameters{}.opt_in_share},
        {"require_heartbeat", true, 1, 1, kZeroIsZero}}},
      {"heartbeat",
       {{"interval_days", false, 30, 0.5, kZeroIsZero},
        {"disable_probability", false, 1, 0.01, kZeroIsZero},
        {"attack_success_probability", false, 1, 0.01, kZeroIsZero}}},
      {"whistleblower_tips",
       {{"base_probability", false, 1, 0.01, kZeroIsZero},
        {"reward_share", false, 1, 0.01, kZeroIsZero}}},
      {"financial_flow_analysis",
       {{"detection_probability", false, 1, 0.01, kZeroIsZero},
        {"evasion_per_layer", false, 1, 0.01, kZeroIsZero}}},
      {"cloud_kyc",
       {{"catch_probability_low", false, 1, 0.01, kZeroIsZero},
        {"catch_probability_medium", false, 1, 0.01, kZeroIsZero},
        {"catch_probability_high", false, 1, 0.01, kZeroIsZero}}},
      {"usage_monitoring",
       {{"mean_days_to_detect", false, 365, 1, kZeroIsZero, 1},
        {"false_positive_probability", false, 1, 0.01, kZeroIsZero}}},
      {"insider_audit",
       {{"audits_per_year", false, 24, 0.5, kZeroIsZero},
        {"detection_probability", false, 1, 0.01, kZeroIsZero}}},
  };
  return table;
}

std::string label_of(std::string field) {
  std::replace(field.begin(), field.end(), '_', ' ');
  return field;
}

std::string policy_path(const std::string& name) {
  return "policies[name=" + name + "]";
}

}  // namespace

std::vector<PolicyControls> policy_controls(const v1::Scenario& scenario) {
  std::vector<PolicyControls> out;
  for (const v1::Policy& p : scenario.policies()) {
    PolicyControls pc;
    pc.name = p.name();
    const FieldDescriptor* kind = p.GetReflection()->GetOneofFieldDescriptor(
        p, v1::Policy::descriptor()->FindOneofByName("kind"));
    if (kind != nullptr) pc.kind = kind->name();
    const auto found = knobs().find(pc.kind);
    if (kind != nullptr && found != knobs().end()) {
      const google::protobuf::Message& m = p.GetReflection()->GetMessage(p, kind);
      for (const Knob& k : found->second) {
        const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(k.field);
        if (f == nullptr) throw std::logic_error(std::string("no field ") + k.field);
        Control c;
        c.path = policy_path(pc.name) + "." + pc.kind + "." + k.field;
        c.field = k.field;
        c.label = label_of(k.field);
        c.is_switch = k.is_switch;
        c.value = k.is_switch ? (m.GetReflection()->GetBool(m, f) ? 1.0 : 0.0)
                              : m.GetReflection()->GetDouble(m, f);
        if (!m.GetReflection()->HasField(m, f) && !std::isnan(k.unset)) c.value = k.unset;
        c.min = k.min;
        c.max = std::max(k.max, 2 * c.value);
        c.step = k.step;
        pc.controls.push_back(std::move(c));
      }
    }
    out.push_back(std::move(pc));
  }
  return out;
}

v1::Scenario apply_edits(const v1::Scenario& scenario, const v1::ScenarioEdits& edits) {
  v1::Scenario out = scenario;
  // Sorted, so that the outcome never depends on the map's iteration order.
  const std::map<std::string, double> settings(edits.settings().begin(), edits.settings().end());
  for (const auto& [path, value] : settings) {
    try {
      models::set_numeric_field(out, path, value);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("settings: " + std::string(e.what()));
    }
  }
  std::set<std::string> disabled;
  for (const std::string& name : edits.disabled_policies()) {
    const auto& ps = out.policies();
    if (std::none_of(ps.begin(), ps.end(), [&](const v1::Policy& p) { return p.name() == name; })) {
      throw std::invalid_argument("disabled_policies: no policy named \"" + name + "\"");
    }
    disabled.insert(policy_path(name));
  }
  if (disabled.empty()) return out;
  const auto points_into_disabled = [&](const std::string& path) {
    return std::any_of(disabled.begin(), disabled.end(), [&](const std::string& prefix) {
      return path.compare(0, prefix.size(), prefix) == 0;
    });
  };
  auto* policies = out.mutable_policies();
  policies->erase(std::remove_if(policies->begin(), policies->end(),
                                 [&](const v1::Policy& p) {
                                   return disabled.count(policy_path(p.name())) > 0;
                                 }),
                  policies->end());
  auto* levers = out.mutable_levers();
  levers->erase(std::remove_if(levers->begin(), levers->end(),
                               [&](const v1::Lever& l) { return points_into_disabled(l.path()); }),
                levers->end());
  auto* uncertain = out.mutable_uncertain();
  uncertain->erase(
      std::remove_if(uncertain->begin(), uncertain->end(),
                     [&](const v1::Uncertain& u) { return points_into_disabled(u.path()); }),
      uncertain->end());
  return out;
}

}  // namespace chiptrail::explorer
