#pragma once

#include <string>

namespace google::protobuf {
class Message;
}

namespace chiptrail::models {

enum class JsonLayout {
  compact,   // one line, fields at their defaults left out (a resolved input)
  indented,  // indented, fields without presence at their defaults left out (a manifest)
  full,      // indented, every field printed, zeros included (an output file for programs)
};

// A message in protobuf's JSON mapping with the field names of the .proto: structured data is
// printed by protobuf, never assembled by hand. Indented layouts end in one line break. Throws
// std::runtime_error if it cannot be printed.
std::string message_json(const google::protobuf::Message& message,
                         JsonLayout layout = JsonLayout::full);

// Parses `text` (protobuf's JSON mapping) into `message`; false when it is not such JSON.
bool parse_message_json(const std::string& text, google::protobuf::Message& message);

}  // namespace chiptrail::models
