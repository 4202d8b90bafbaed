#pragma once

#include <google/protobuf/text_format.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/scenario/field_path.hpp"
#include "models/scenario/json_positions.hpp"

namespace chiptrail::models {

struct SourceLocation {
  std::string file;
  int line = 0;  // 1-based; 0 when unknown
  int column = 0;
};

// Finds where a field was written in a text-format file, from the parser's ParseInfoTree.
// A field that was not written (a missing value) is placed at its nearest written ancestor.
// For a scenario that `extends` another, the locator is layered: top-level repeated elements
// that came from the base file, and singular fields this file did not write, are looked up in
// the base's locator, so an error points into the file that holds the offending text.
class FieldLocator {
 public:
  explicit FieldLocator(std::string file = {});  // knows no positions: lines are 0
  FieldLocator(std::string file, const google::protobuf::Descriptor* root,
               std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree);
  // A JSON file's locator, from the positions its scan recorded.
  FieldLocator(std::string file, const google::protobuf::Descriptor* root, JsonPositions json);
  FieldLocator(FieldLocator&&) noexcept;
  FieldLocator& operator=(FieldLocator&&) noexcept;
  ~FieldLocator();

  // Layers this file's locator over the base's; `origin` gives, per top-level repeated field and
  // merged element, the index of this file's element written into it, or -1 for an element of
  // the base alone (merge_scenario's answer).
  void set_base(FieldLocator base, std::map<std::string, std::vector<int>> origin);

  [[nodiscard]] SourceLocation locate(const FieldPath& path) const;

 private:
  [[nodiscard]] SourceLocation locate_here(const FieldPath& path) const;
  [[nodiscard]] SourceLocation locate_in_json(const FieldPath& path) const;
  [[nodiscard]] bool written_here(const google::protobuf::FieldDescriptor* top_level) const;

  std::string file_;
  const google::protobuf::Descriptor* root_ = nullptr;
  std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree_;
  std::optional<JsonPositions> json_;
  std::unique_ptr<FieldLocator> base_;
  std::map<std::string, std::vector<int>> origin_;
};

}  // namespace chiptrail::models
