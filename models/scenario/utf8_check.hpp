#pragma once

#include <vector>

#include "models/scenario/field_path.hpp"

namespace google::protobuf {
class Message;
}

namespace chiptrail::models {

// The string fields of `message` (at any depth) that are not valid UTF-8. Protobuf's text
// parser accepts any bytes in a string, but proto3 strings must be UTF-8, and the outputs
// (JSON manifests, CSV, reports) would carry the garbage on: loaders refuse them instead.
std::vector<FieldPath> invalid_utf8_fields(const google::protobuf::Message& message);

}  // namespace chiptrail::models
