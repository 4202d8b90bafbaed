#include "models/scenario/field_locator.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>

namespace chiptrail::models {

std::string FieldPath::to_string() const {
  std::string s;
  for (const Step& step : steps_) {
    if (!s.empty()) s.push_back('.');
    s.append(step.field);
    if (step.index >= 0) s.append("[").append(std::to_string(step.index)).append("]");
  }
  return s;
}

FieldLocator::FieldLocator() = default;
FieldLocator::FieldLocator(const google::protobuf::Descriptor* root,
                           std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree)
    : root_(root), tree_(std::move(tree)) {}
FieldLocator::FieldLocator(FieldLocator&&) noexcept = default;
FieldLocator& FieldLocator::operator=(FieldLocator&&) noexcept = default;
FieldLocator::~FieldLocator() = default;

std::pair<int, int> FieldLocator::locate(const FieldPath& path) const {
  std::pair<int, int> best{0, 0};
  if (tree_ == nullptr) return best;
  const google::protobuf::Descriptor* desc = root_;
  const google::protobuf::TextFormat::ParseInfoTree* tree = tree_.get();
  for (const FieldPath::Step& step : path.steps()) {
    if (desc == nullptr || tree == nullptr) break;
    const google::protobuf::FieldDescriptor* field = desc->FindFieldByName(step.field);
    if (field == nullptr) break;
    const int index = field->is_repeated() ? step.index : -1;
    if (field->is_repeated() && index < 0) break;
    auto loc = tree->GetLocation(field, index);
    // Elements of a list written as `f: [a, b]` may carry no position of their own: point at
    // the list (its first element) rather than at the enclosing message.
    if (loc.line < 0 && index > 0) loc = tree->GetLocation(field, 0);
    if (loc.line < 0) break;  // not written: keep the ancestor's position
    best = {loc.line + 1, loc.column + 1};
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) break;
    tree = tree->GetTreeForNested(field, index);
    desc = field->message_type();
  }
  return best;
}

}  // namespace chiptrail::models
