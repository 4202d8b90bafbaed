#pragma once

#include <string>

namespace chiptrail::models {

// The glossary (models/metric_glossary.hpp) for people and programs: "table" (indented text),
// "csv" (metric, rung, unit, ratio, interval, description: glossary.csv of every output
// directory) or "markdown" (the README's table).
std::string glossary_text(const std::string& format);

}  // namespace chiptrail::models
