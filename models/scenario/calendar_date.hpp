#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace chiptrail::models {

// The day number (days since 1970-01-01) of an ISO 8601 calendar date written "YYYY-MM-DD";
// nullopt if the text is not a valid date of that form.
std::optional<std::int64_t> parse_iso_date(const std::string& text);

}  // namespace chiptrail::models
