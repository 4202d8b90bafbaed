#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/scenario/scenario_file.hpp"

namespace google::protobuf {
class Struct;
}

namespace chiptrail::models {

// Reads DIR/manifest.json into a protobuf Struct; false when missing or not JSON.
bool read_manifest(const std::string& dir, google::protobuf::Struct& out);

// The FNV-1a 64 hash of an input file's bytes as 16 hex digits, as manifests record inputs.
std::string fnv1a64_hex(std::string_view bytes);

// manifest.json: what produced a set of outputs — tool version and git revision, the scenario
// file's path and FNV-1a 64 hash, the resolved scenario as JSON, replications, seed and the
// command line — so that any result can be traced and rerun.
// `extra` members (name, JSON value) follow the command line.
std::string manifest_json(const models::ScenarioFile& scenario, std::uint64_t replications,
                          std::uint64_t seed, const std::vector<std::string>& command_line,
                          const std::vector<std::pair<std::string, std::string>>& extra = {});

}  // namespace chiptrail::models
