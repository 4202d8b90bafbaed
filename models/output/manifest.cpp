#include "models/output/manifest.hpp"

#include <google/protobuf/util/json_util.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "chiptrail/v1/scenario.pb.h"
#include "models/output/message_json.hpp"
#include "models/version.hpp"
#include "sim/random_stream.hpp"

namespace chiptrail::models {

bool read_manifest(const std::string& dir, v1::Manifest& out) {
  std::ifstream in(dir + "/manifest.json");
  if (!in) return false;
  std::stringstream text;
  text << in.rdbuf();
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;  // a manifest of another version
  return google::protobuf::util::JsonStringToMessage(text.str(), &out, options).ok();
}

std::string fnv1a64_hex(std::string_view bytes) {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx",
                static_cast<unsigned long long>(sim::stream_key(bytes)));
  return hash;
}

v1::Manifest tool_manifest() {
  v1::Manifest m;
  m.set_tool("chiptrail");
  m.set_version(kVersion);
  m.set_git_revision(kGitRevision);
  return m;
}

v1::Manifest manifest_of(const ScenarioFile& scenario, std::uint64_t replications,
                         std::uint64_t seed, const std::vector<std::string>& command_line) {
  v1::Manifest m = tool_manifest();
  m.set_scenario_path(scenario.path);
  m.set_scenario_fnv1a64(fnv1a64_hex(scenario.text));
  m.set_replications(replications);
  m.set_seed(seed);
  for (const std::string& arg : command_line) m.add_command_line(arg);
  *m.mutable_resolved_scenario() = *scenario.message;
  return m;
}

std::string manifest_text(const v1::Manifest& manifest) {
  return message_json(manifest, JsonLayout::indented);
}

}  // namespace chiptrail::models
