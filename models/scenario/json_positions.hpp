#pragma once

#include <map>
#include <optional>
#include <string>

namespace chiptrail::models {

// Where things are in a JSON scenario: protobuf's JSON parser reports neither the line of a
// syntax error nor where a field was written, so this scanner reads the text first. It checks
// the syntax (RFC 8259, nesting at most `max_depth` deep), and records the line and column of
// members and array elements under their paths, written as FieldPath does ("nodes[3].latitude";
// lowerCamelCase keys are recorded in snake_case, as protobuf's JSON mapping accepts both).
// Memory stays proportional to the file: nothing under a member name longer than any field's
// is recorded, nor more than a million positions (past them, errors are placed at the nearest
// recorded ancestor).
struct JsonPositions {
  struct Position {
    int line = 0;  // 1-based
    int column = 0;
  };
  std::map<std::string, Position> fields;
  std::optional<Position> error_at;  // the first syntax error, if any
  std::string error;
};

JsonPositions scan_json(const std::string& text, int max_depth = 64);

}  // namespace chiptrail::models
