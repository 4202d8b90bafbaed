#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace chiptrail::models {

// Shortest decimal that reads back as the same double (std::to_chars): byte-stable output on
// every machine. NaN is written "nan" and infinities "inf" / "-inf".
std::string format_number(double x);

// A JSON number, or null for NaN and infinities (which JSON cannot hold).
std::string json_number(double x);

// A JSON string literal with the required escapes.
std::string json_string(std::string_view s);

// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
std::string csv_field(std::string_view s);

// One CSV record (RFC 4180 quoting, as csv_field writes) split into its fields.
std::vector<std::string> split_csv(const std::string& line);

// About x, for sentences: three significant digits, thousands separated ("12,300", "0.0412",
// "-643"); "undefined" for NaN and infinities.
std::string significant_figures(double x);

// `text` broken at spaces into lines of at most `width` characters (a longer word keeps its
// own line).
std::string wrap_text(std::string_view text, std::size_t width);

}  // namespace chiptrail::models
