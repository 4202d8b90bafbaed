#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace chiptrail::models {

// One problem in an input file, located as precisely as the format allows: line and column
// are 1-based, 0 when unknown (JSON input carries no positions for semantic errors).
struct InputError {
  std::string file;
  int line = 0;
  int column = 0;
  std::string field;  // e.g. "edges[3].to"; empty for syntax errors
  std::string message;

  // "file:line:column: field: message", the form compilers use, so editors can jump to it.
  [[nodiscard]] std::string to_string() const;
};

// All the problems found in one input file (the CLI exits 65).
// Messages are made printable: at most a short excerpt of any quoted input, with bytes outside
// printable ASCII escaped.
class InvalidInput : public std::runtime_error {
 public:
  explicit InvalidInput(std::vector<InputError> errors);
  [[nodiscard]] const std::vector<InputError>& errors() const { return errors_; }

 private:
  InvalidInput(std::vector<InputError> printable_errors, int);
  std::vector<InputError> errors_;
};

// The input file does not exist or cannot be read (the CLI exits 66).
class MissingInput : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace chiptrail::models
