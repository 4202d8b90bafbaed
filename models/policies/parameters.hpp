#pragma once

#include <cmath>
#include <string>

#include "models/policies/policy_registry.hpp"

namespace chiptrail::models {

// Checks for policy factories: each throws PolicyConfigError naming the field, which the loader
// turns into file:line:column.
inline double probability(double value, const char* field) {
  if (!(value >= 0.0 && value <= 1.0)) {
    throw PolicyConfigError(
        field, std::string("must be a probability in [0, 1], got ") + std::to_string(value));
  }
  return value;
}

inline double non_negative(double value, const char* field) {
  if (!(std::isfinite(value) && value >= 0.0)) {
    throw PolicyConfigError(
        field, std::string("must be a non-negative number, got ") + std::to_string(value));
  }
  return value;
}

inline double positive(double value, const char* field) {
  if (!(std::isfinite(value) && value > 0.0)) {
    throw PolicyConfigError(field,
                            std::string("must be a positive number, got ") + std::to_string(value));
  }
  return value;
}

}  // namespace chiptrail::models
