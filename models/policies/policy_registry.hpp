#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/policies/policy.hpp"

namespace chiptrail::v1 {
class Policy;
}

namespace chiptrail::models {

// Thrown by a policy factory for a bad parameter; `field` is relative to the policy's kind
// message (e.g. "inspection_rate"), and the loader turns it into file:line:column.
class PolicyConfigError : public std::runtime_error {
 public:
  PolicyConfigError(std::string field, const std::string& message)
      : std::runtime_error(message), field_(std::move(field)) {}
  [[nodiscard]] const std::string& field() const { return field_; }

 private:
  std::string field_;
};

// Maps a policy kind (the name of the field set in the scenario's `Policy.kind` oneof, such as
// "customs_inspection", or a CustomPolicy's `kind`) to a factory building it from its config.
// An instance, filled explicitly by register_builtin_policies() and by whoever embeds chiptrail;
// no static registration.
class PolicyRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Policy>(const v1::Policy& config)>;

  void add(const std::string& kind, Factory factory);
  [[nodiscard]] const Factory* find(const std::string& kind) const;
  [[nodiscard]] std::vector<std::string> kinds() const;

 private:
  std::map<std::string, Factory> factories_;
};

// Registers every policy shipped with chiptrail.
void register_builtin_policies(PolicyRegistry& registry);

}  // namespace chiptrail::models
