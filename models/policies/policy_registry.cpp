#include "models/policies/policy_registry.hpp"

#include "models/policies/customer_vetting.hpp"
#include "models/policies/customs_inspection.hpp"
#include "models/policies/end_use_check.hpp"
#include "models/policies/financial_flow_analysis.hpp"
#include "models/policies/heartbeat.hpp"
#include "models/policies/insider_audit.hpp"
#include "models/policies/location_verification.hpp"
#include "models/policies/serial_registry.hpp"
#include "models/policies/usage_monitoring.hpp"
#include "models/policies/whistleblower_tips.hpp"

namespace chiptrail::models {

const char* to_string(Stage s) {
  switch (s) {
    case Stage::kSale:
      return "sale";
    case Stage::kShipment:
      return "shipment";
    case Stage::kBorder:
      return "border";
    case Stage::kInstallation:
      return "installation";
    case Stage::kAudit:
      return "audit";
    case Stage::kOperation:
      return "operation";
    case Stage::kLease:
      return "lease";
    case Stage::kUsage:
      return "usage";
  }
  return "?";
}

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kFlag:
      return "flag";
    case Verdict::kSeize:
      return "seize";
    case Verdict::kDisable:
      return "disable";
    case Verdict::kTurnBack:
      return "turn_back";
  }
  return "?";
}

void PolicyRegistry::add(const std::string& kind, Factory factory) {
  if (!factories_.emplace(kind, std::move(factory)).second) {
    throw std::invalid_argument("policy kind '" + kind + "' is already registered");
  }
}

const PolicyRegistry::Factory* PolicyRegistry::find(const std::string& kind) const {
  const auto it = factories_.find(kind);
  return it == factories_.end() ? nullptr : &it->second;
}

std::vector<std::string> PolicyRegistry::kinds() const {
  std::vector<std::string> out;
  for (const auto& [kind, factory] : factories_) out.push_back(kind);
  return out;
}

void register_builtin_policies(PolicyRegistry& registry) {
  registry.add("customer_vetting", make_customer_vetting);
  registry.add("cloud_kyc", make_cloud_kyc);
  registry.add("usage_monitoring", make_usage_monitoring);
  registry.add("insider_audit", make_insider_audit);
  registry.add("customs_inspection", make_customs_inspection);
  registry.add("end_use_check", make_end_use_check);
  registry.add("serial_registry", make_serial_registry);
  registry.add("location_verification", make_location_verification);
  registry.add("heartbeat", make_heartbeat);
  registry.add("whistleblower_tips", make_whistleblower_tips);
  registry.add("financial_flow_analysis", make_financial_flow_analysis);
}

}  // namespace chiptrail::models
