#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace chiptrail::fuzz {

// One fuzz input as a scenario named `path` (its extension picks text or JSON): parse,
// validate, solve analytically when the solver accepts it, and run one short replication under
// tight limits. Clear errors (InvalidInput, MissingInput, ResourceLimitExceeded) are the
// expected answers to bad input; anything else escaping, or a crash, is a bug.
void scenario_input(const std::string& path, const std::uint8_t* data, std::size_t size);

}  // namespace chiptrail::fuzz
