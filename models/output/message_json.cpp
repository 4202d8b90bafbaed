#include "models/output/message_json.hpp"

#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

#include <stdexcept>

namespace chiptrail::models {

std::string message_json(const google::protobuf::Message& message, JsonLayout layout) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.add_whitespace = layout != JsonLayout::compact;
  options.always_print_primitive_fields = layout == JsonLayout::full;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, options).ok()) {
    throw std::runtime_error("cannot print a " + message.GetTypeName() + " as JSON");
  }
  // Indented text is a file's or an answer's whole content: one final line break, always.
  if (layout != JsonLayout::compact && (out.empty() || out.back() != '\n')) out += '\n';
  return out;
}

bool parse_message_json(const std::string& text, google::protobuf::Message& message) {
  return google::protobuf::util::JsonStringToMessage(text, &message).ok();
}

}  // namespace chiptrail::models
