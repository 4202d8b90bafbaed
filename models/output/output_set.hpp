#pragma once

#include <string>
#include <utility>
#include <vector>

#include "chiptrail/v1/results.pb.h"

namespace chiptrail::models {

// A command's outputs that belong together (runs.csv, summary.csv, ... and manifest.json),
// written so that a reader can tell a complete set from one that a killed run left mixed:
// manifest.json is removed first and written last, with an "outputs" member giving every
// file's FNV-1a 64 hash. Each file is written atomically (write_file_atomically).
struct OutputFile {
  std::string name;  // within the directory
  std::string contents;
};
void write_output_set(const std::string& dir, const std::vector<OutputFile>& files,
                      v1::Manifest manifest);

// Whether `dir` holds a complete output set: empty when it does (or when its manifest comes
// from a chiptrail that listed no outputs), else what is wrong.
std::string check_output_set(const std::string& dir);

}  // namespace chiptrail::models
