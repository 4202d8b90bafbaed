#include "models/output/manifest.hpp"

#include <google/protobuf/struct.pb.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "chiptrail/v1/scenario.pb.h"
#include "models/output/message_json.hpp"
#include "models/output/text_format.hpp"
#include "models/version.hpp"
#include "sim/random_stream.hpp"

namespace chiptrail::models {

bool read_manifest(const std::string& dir, google::protobuf::Struct& out) {
  std::ifstream in(dir + "/manifest.json");
  if (!in) return false;
  std::stringstream text;
  text << in.rdbuf();
  return parse_message_json(text.str(), out);
}

std::string fnv1a64_hex(std::string_view bytes) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(sim::stream_key(bytes)));
  return hash;
}

std::string manifest_json(const models::ScenarioFile& scenario, std::uint64_t replications,
                          std::uint64_t seed, const std::vector<std::string>& command_line,
                          const std::vector<std::pair<std::string, std::string>>& extra) {
  const std::string resolved = message_json(*scenario.message, JsonLayout::compact);
  std::string args = "[";
  for (std::size_t i = 0; i < command_line.size(); ++i) {
    args += (i ? ", " : "") + json_string(command_line[i]);
  }
  args += "]";
  for (const auto& [name, value] : extra) args += ",\n  " + json_string(name) + ": " + value;
  return "{\n  \"tool\": \"chiptrail\",\n  \"version\": " + json_string(kVersion) +
         ",\n  \"git_revision\": " + json_string(kGitRevision) +
         ",\n  \"scenario_path\": " + json_string(scenario.path) +
         ",\n  \"scenario_fnv1a64\": " + json_string(fnv1a64_hex(scenario.text)) +
         ",\n  \"replications\": " + std::to_string(replications) +
         ",\n  \"seed\": " + std::to_string(seed) + ",\n  \"command_line\": " + args +
         ",\n  \"resolved_scenario\": " + resolved + "\n}\n";
}

}  // namespace chiptrail::models
