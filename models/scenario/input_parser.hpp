#pragma once

#include <string>
#include <vector>

#include "models/scenario/field_locator.hpp"
#include "models/scenario/input_error.hpp"

namespace google::protobuf {
class Message;
}

namespace chiptrail::models {

// Parses an input file's text into `message`: protobuf JSON when the name ends in .json (any
// case), else protobuf text format. Line endings are normalised first (CRLF and lone CR read
// as LF, so a file saved with old Mac line ends is not one long comment). Syntax errors and
// invalid UTF-8 in strings are appended to `errors` with their line and column; returns the
// locator of the fields as written.
FieldLocator parse_input_text(const std::string& path, std::string& text,
                              google::protobuf::Message& message, std::vector<InputError>& errors);

}  // namespace chiptrail::models
