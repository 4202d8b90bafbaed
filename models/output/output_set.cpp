#include "models/output/output_set.hpp"

#include <google/protobuf/struct.pb.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "models/output/atomic_file.hpp"
#include "models/output/manifest.hpp"
#include "models/output/text_format.hpp"

namespace chiptrail::models {
namespace {

std::string read_bytes(const std::string& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  ok = static_cast<bool>(in);
  return bytes.str();
}

}  // namespace

void write_output_set(const std::string& dir, const std::vector<OutputFile>& files,
                      const std::string& manifest_json) {
  const std::string manifest = dir + "/manifest.json";
  if (std::remove(manifest.c_str()) != 0 && errno != ENOENT) {
    throw std::runtime_error(manifest + ": cannot remove the previous manifest");
  }
  std::string outputs = "{";
  for (std::size_t i = 0; i < files.size(); ++i) {
    write_file_atomically(dir + "/" + files[i].name, files[i].contents);
    outputs += std::string(i ? ", " : "") + json_string(files[i].name) + ": " +
               json_string(fnv1a64_hex(files[i].contents));
  }
  outputs += "}";
  // The manifest is a JSON object of ours, ending in "\n}\n": the outputs go last inside it.
  const std::size_t close = manifest_json.find_last_of('}');
  if (close == std::string::npos || close == 0) {
    throw std::logic_error("write_output_set: the manifest is not a JSON object");
  }
  std::string text = manifest_json.substr(0, close);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  text += ",\n  \"outputs\": " + outputs + "\n}\n";
  write_file_atomically(manifest, text);
}

std::string check_output_set(const std::string& dir) {
  google::protobuf::Struct manifest;
  if (!read_manifest(dir, manifest)) {
    return dir +
           ": no readable manifest.json: not a finished output directory (a run that "
           "was interrupted leaves none)";
  }
  const auto listed = manifest.fields().find("outputs");
  if (listed == manifest.fields().end()) return "";  // written before outputs were listed
  for (const auto& [name, hash] : listed->second.struct_value().fields()) {
    if (name.find('/') != std::string::npos || name.empty() || name == "..") {
      return dir + "/manifest.json: lists an output outside the directory: " + name;
    }
    bool ok = false;
    const std::string bytes = read_bytes(dir + "/" + name, ok);
    if (!ok) return dir + "/" + name + ": missing or unreadable (an incomplete output set)";
    if (fnv1a64_hex(bytes) != hash.string_value()) {
      return dir + "/" + name +
             ": does not belong with this manifest.json (written by another run; the last run "
             "into this directory was interrupted?)";
    }
  }
  return "";
}

}  // namespace chiptrail::models
