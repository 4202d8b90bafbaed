#pragma once

#include <memory>
#include <string>

#include "models/scenario/field_locator.hpp"

namespace chiptrail::v1 {
class Scenario;
}

namespace chiptrail::models {

// A scenario file parsed into its protobuf message, with what is needed to point at its fields.
struct ScenarioFile {
  std::string path;
  std::string text;  // the bytes read (bases first), for hashing into manifests
  std::unique_ptr<v1::Scenario> message;
  FieldLocator locator;

  ScenarioFile();
  ScenarioFile(ScenarioFile&&) noexcept;
  ScenarioFile& operator=(ScenarioFile&&) noexcept;
  ~ScenarioFile();
};

// Reads a .textproto (protobuf text format) or .json (protobuf JSON mapping) scenario. Throws
// MissingInput when the file cannot be read and InvalidInput listing every syntax error.
// A scenario that `extends` another is merged onto it (recursively, cycles refused).
ScenarioFile read_scenario_file(const std::string& path);

// Same, from text already in memory; `path` names it in errors and picks the format.
ScenarioFile parse_scenario_text(const std::string& path, std::string text);

}  // namespace chiptrail::models
