#include "models/policies/policy_registry.hpp"

#include "models/policies/customs_inspection.hpp"

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
  registry.add("customs_inspection", make_customs_inspection);
}

}  // namespace chiptrail::models
