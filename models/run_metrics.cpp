#include "models/run_metrics.hpp"

#include <algorithm>
#include <limits>

namespace chiptrail::models {

void RunMetrics::set(const std::string& name, double value) {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) {
    values[static_cast<std::size_t>(it - names.begin())] = value;
  } else {
    names.push_back(name);
    values.push_back(value);
  }
}

double RunMetrics::get(const std::string& name) const {
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return std::numeric_limits<double>::quiet_NaN();
  return values[static_cast<std::size_t>(it - names.begin())];
}

}  // namespace chiptrail::models
