#pragma once

#include <string>
#include <utility>
#include <vector>

namespace chiptrail::models {

// A path to a field of a scenario message, such as edges[3].to: a field name and, for repeated
// fields, an index at each step. Built up while validating, so every error can say where.
class FieldPath {
 public:
  struct Step {
    std::string field;
    int index = -1;  // -1 for a singular field
  };

  FieldPath() = default;
  [[nodiscard]] FieldPath operator/(const std::string& field) const { return with({field, -1}); }
  [[nodiscard]] FieldPath at(const std::string& field, std::size_t index) const {
    return with({field, static_cast<int>(index)});
  }
  // Appends a relative path written "a.b[2].c" (as factories report fields); "" adds nothing.
  [[nodiscard]] FieldPath dotted(const std::string& relative) const;
  [[nodiscard]] const std::vector<Step>& steps() const { return steps_; }
  [[nodiscard]] std::string to_string() const;

 private:
  [[nodiscard]] FieldPath with(Step s) const {
    FieldPath p = *this;
    p.steps_.push_back(std::move(s));
    return p;
  }
  std::vector<Step> steps_;
};

}  // namespace chiptrail::models
