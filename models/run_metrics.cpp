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

const std::vector<RateDefinition>& rate_definitions() {
  static const std::vector<RateDefinition> rates{
      {"detection_rate_lots", "lots_detected", "lots_diverted", true},
      {"detection_rate_chips", "chips_detected", "chips_diverted", false},
      {"false_positive_rate_lots", "false_positive_lots", "lots_legitimate", true},
  };
  return rates;
}

}  // namespace chiptrail::models
