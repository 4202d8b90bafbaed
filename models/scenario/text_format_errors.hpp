#pragma once

#include <google/protobuf/io/tokenizer.h>

#include <string>
#include <vector>

#include "models/scenario/input_error.hpp"

namespace chiptrail::models {

// Collects the protobuf text-format parser's errors as InputErrors. The parser reports
// zero-based positions; InputError's are 1-based.
class TextFormatErrors : public google::protobuf::io::ErrorCollector {
 public:
  TextFormatErrors(const std::string& file, std::vector<InputError>& out)
      : file_(file), out_(out) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    out_.push_back({file_, line + 1, column + 1, "", message});
  }

 private:
  const std::string& file_;
  std::vector<InputError>& out_;
};

}  // namespace chiptrail::models
