#pragma once

#include <google/protobuf/text_format.h>

#include <memory>
#include <utility>

#include "models/scenario/field_path.hpp"

namespace chiptrail::models {

// Finds where a field was written in a text-format file, from the parser's ParseInfoTree.
// A field that was not written (a missing value) is placed at its nearest written ancestor.
class FieldLocator {
 public:
  FieldLocator();  // knows nothing: every lookup gives {0, 0}
  FieldLocator(const google::protobuf::Descriptor* root,
               std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree);
  FieldLocator(FieldLocator&&) noexcept;
  FieldLocator& operator=(FieldLocator&&) noexcept;
  ~FieldLocator();

  // 1-based (line, column), or {0, 0} when unknown.
  [[nodiscard]] std::pair<int, int> locate(const FieldPath& path) const;

 private:
  const google::protobuf::Descriptor* root_ = nullptr;
  std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree_;
};

}  // namespace chiptrail::models
