#pragma once

#include "chiptrail/v1/results.pb.h"
#include "models/summary.hpp"

namespace chiptrail::models {

// A metric's summary as the chiptrail.v1.MetricSummary message that structured outputs hold.
inline void to_message(const MetricSummary& s, double level, v1::MetricSummary& out) {
  out.set_metric(s.metric);
  out.set_n(s.n);
  out.set_mean(s.mean);
  out.set_sd(s.sd);
  out.set_ci_low(s.ci_low);
  out.set_ci_high(s.ci_high);
  out.set_ci_method(s.ci_method);
  out.set_ci_level(level);
}

}  // namespace chiptrail::models
