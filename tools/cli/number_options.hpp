#pragma once

#include <CLI/CLI.hpp>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace chiptrail::cli {

// A whole number written in plain decimal digits, from `min` to `max`: refuses what CLI11's own
// conversion would wrap or ignore (`-1`, an empty string, a value past 2^64, `1e8`), so a typo
// is an error (exit 64), never another number.
inline CLI::Validator whole_number(std::uint64_t min, std::uint64_t max) {
  return CLI::Validator(
      [min, max](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || stop != end) {
          return "must be a whole number in decimal digits, got \"" + text.substr(0, 40) + "\"";
        }
        if (value < min || value > max) {
          return "must be from " + std::to_string(min) + " to " + std::to_string(max);
        }
        return "";
      },
      "UINT in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
}

// A positive finite number, in decimal (`1000`, `2.5e6`): refuses `-5`, `0`, `nan`, `inf`
// with a message that names no 309-digit bound.
inline CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || stop != end || !std::isfinite(value) ||
            value <= 0) {
          return "must be a positive number, got \"" + text.substr(0, 40) + "\"";
        }
        return "";
      },
      "POSITIVE");
}

}  // namespace chiptrail::cli
