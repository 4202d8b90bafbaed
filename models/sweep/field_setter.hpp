#pragma once

#include <string>

namespace google::protobuf {
class Message;
}

namespace chiptrail::models {

// Sets the numeric field at `path` in `message` to `value`, through protobuf reflection. Paths
// are fields separated by dots; a repeated field of messages takes [index] or [key=value], the
// element whose string field `key` equals `value`; a field not found in a message is looked up
// in the message set in its oneof (so policies[name=c].inspection_rate reaches
// policies[name=c].customs_inspection.inspection_rate). Integer fields take rounded values.
// Throws std::invalid_argument saying which part of the path is wrong.
void set_numeric_field(google::protobuf::Message& message, const std::string& path, double value);

}  // namespace chiptrail::models
