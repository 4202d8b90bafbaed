#pragma once

#include <string>
#include <vector>

namespace chiptrail::v1 {
class Scenario;
class ScenarioEdits;
}  // namespace chiptrail::v1

namespace chiptrail::explorer {

// One knob of the explorer page: a slider over [min, max] or an on/off switch, bound to a
// field of the scenario by its path (as in sweep factors).
struct Control {
  std::string path;   // e.g. policies[name=customs_my].customs_inspection.inspection_rate
  std::string field;  // inspection_rate
  std::string label;  // "inspection rate"
  bool is_switch = false;
  double value = 0;  // as loaded (a field left out shows the default the model uses)
  double min = 0;
  double max = 1;
  double step = 0.01;
};

// A policy instance and its main parameters.
struct PolicyControls {
  std::string name;
  std::string kind;  // the oneof field: customs_inspection, end_use_check ...
  std::vector<Control> controls;
};

// The policies of `scenario` with the parameters a newcomer would try first. Policy kinds
// without a curated list (custom policies) get no sliders, only their on/off switch.
std::vector<PolicyControls> policy_controls(const v1::Scenario& scenario);

// `scenario` with `edits` applied: settings by path first, then the disabled policies removed
// (with any lever or uncertain parameter that points into them). Throws std::invalid_argument
// naming the setting or policy at fault; the result still has to pass build_world.
v1::Scenario apply_edits(const v1::Scenario& scenario, const v1::ScenarioEdits& edits);

}  // namespace chiptrail::explorer
