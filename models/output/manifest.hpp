#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chiptrail/v1/results.pb.h"
#include "models/scenario/scenario_file.hpp"

namespace chiptrail::models {

// Reads DIR/manifest.json (a chiptrail.v1.Manifest; fields of other versions ignored); false
// when it is missing or not such JSON.
bool read_manifest(const std::string& dir, v1::Manifest& out);

// The FNV-1a 64 hash of an input file's bytes as 16 hex digits, as manifests record inputs.
std::string fnv1a64_hex(std::string_view bytes);

// A manifest with what produced a set of outputs: tool version and git revision, the scenario
// file's path and FNV-1a 64 hash, the resolved scenario, replications, seed and the command
// line. Commands add their own fields; write_output_set adds the outputs and prints it.
v1::Manifest manifest_of(const ScenarioFile& scenario, std::uint64_t replications,
                         std::uint64_t seed, const std::vector<std::string>& command_line);

// The tool, version and git revision every manifest starts with.
v1::Manifest tool_manifest();

// manifest.json's text: the manifest through protobuf's JSON printer, indented, with the
// fields that do not apply left out.
std::string manifest_text(const v1::Manifest& manifest);

}  // namespace chiptrail::models
