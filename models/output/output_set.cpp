#include "models/output/output_set.hpp"

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
                      v1::Manifest manifest) {
  const std::string path = dir + "/manifest.json";
  if (std::remove(path.c_str()) != 0 && errno != ENOENT) {
    throw std::runtime_error(path + ": cannot remove the previous manifest");
  }
  for (const OutputFile& f : files) {
    write_file_atomically(dir + "/" + f.name, f.contents);
    v1::OutputFile& listed = *manifest.add_outputs();
    listed.set_name(f.name);
    listed.set_fnv1a64(fnv1a64_hex(f.contents));
  }
  write_file_atomically(path, manifest_text(manifest));
}

std::string check_output_set(const std::string& dir) {
  v1::Manifest manifest;
  if (!read_manifest(dir, manifest)) {
    return dir +
           ": no readable manifest.json: not a finished output directory (a run that "
           "was interrupted leaves none)";
  }
  // A manifest written before outputs were listed has none to check.
  for (const v1::OutputFile& listed : manifest.outputs()) {
    const std::string& name = listed.name();
    if (name.find('/') != std::string::npos || name.empty() || name == "..") {
      return dir + "/manifest.json: lists an output outside the directory: " + name;
    }
    bool ok = false;
    const std::string bytes = read_bytes(dir + "/" + name, ok);
    if (!ok) return dir + "/" + name + ": missing or unreadable (an incomplete output set)";
    if (fnv1a64_hex(bytes) != listed.fnv1a64()) {
      return dir + "/" + name +
             ": does not belong with this manifest.json (written by another run; the last run "
             "into this directory was interrupted?)";
    }
  }
  return "";
}

}  // namespace chiptrail::models
