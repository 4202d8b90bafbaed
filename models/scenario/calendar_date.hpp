#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace chiptrail::models {

// The day number (days since 1970-01-01) of an ISO 8601 calendar date written "YYYY-MM-DD";
// nullopt if the text is not a valid date of that form.
std::optional<std::int64_t> parse_iso_date(const std::string& text);

// The ISO 8601 date ("YYYY-MM-DD") of a day number: parse_iso_date's inverse.
std::string format_iso_date(std::int64_t day);

}  // namespace chiptrail::models
