#pragma once

#include "models/distribution.hpp"

namespace chiptrail::v1 {
class Distribution;
}

namespace chiptrail::models {

// Validates a Distribution message of a quantity that cannot be negative (a time, a count) and
// converts it. Throws PolicyConfigError whose field is relative to the message (e.g.
// "uniform.max"); an unset distribution is an error only when `required`, else Fixed{0}.
Distribution distribution_from_proto(const v1::Distribution& d, bool required);

}  // namespace chiptrail::models
