#include "models/scenario/field_locator.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>

#include <cstdlib>

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

FieldPath FieldPath::dotted(const std::string& relative) const {
  FieldPath p = *this;
  std::size_t start = 0;
  while (start < relative.size()) {
    std::size_t end = relative.find('.', start);
    if (end == std::string::npos) end = relative.size();
    std::string part = relative.substr(start, end - start);
    int index = -1;
    if (const std::size_t bracket = part.find('['); bracket != std::string::npos) {
      index = std::atoi(part.c_str() + bracket + 1);
      part.resize(bracket);
    }
    p.steps_.push_back({part, index});
    start = end + 1;
  }
  return p;
}

FieldLocator::FieldLocator(std::string file) : file_(std::move(file)) {}
FieldLocator::FieldLocator(std::string file, const google::protobuf::Descriptor* root,
                           std::unique_ptr<google::protobuf::TextFormat::ParseInfoTree> tree)
    : file_(std::move(file)), root_(root), tree_(std::move(tree)) {}
FieldLocator::FieldLocator(std::string file, const google::protobuf::Descriptor* root,
                           JsonPositions json)
    : file_(std::move(file)), root_(root), json_(std::move(json)) {}
FieldLocator::FieldLocator(FieldLocator&&) noexcept = default;
FieldLocator& FieldLocator::operator=(FieldLocator&&) noexcept = default;
FieldLocator::~FieldLocator() = default;

void FieldLocator::set_base(FieldLocator base, std::map<std::string, std::vector<int>> origin) {
  base_ = std::make_unique<FieldLocator>(std::move(base));
  origin_ = std::move(origin);
}

SourceLocation FieldLocator::locate(const FieldPath& path) const {
  if (base_ == nullptr || path.steps().empty() || root_ == nullptr) return locate_here(path);
  const FieldPath::Step& first = path.steps().front();
  const google::protobuf::FieldDescriptor* field = root_->FindFieldByName(first.field);
  if (field == nullptr) return locate_here(path);
  if (field->is_repeated()) {
    // An element this file wrote into (appended, or merged by key) is located here; one of the
    // base alone, in the base.
    const auto it = origin_.find(first.field);
    int here = first.index;
    if (it != origin_.end()) {
      const auto i = static_cast<std::size_t>(first.index);
      here = first.index >= 0 && i < it->second.size() ? it->second[i] : -1;
    }
    if (here < 0) return base_->locate(path);
    FieldPath shifted = FieldPath{}.at(first.field, static_cast<std::size_t>(here));
    for (std::size_t i = 1; i < path.steps().size(); ++i) {
      const FieldPath::Step& s = path.steps()[i];
      shifted =
          s.index >= 0 ? shifted.at(s.field, static_cast<std::size_t>(s.index)) : shifted / s.field;
    }
    return locate_here(shifted);
  }
  return written_here(field) ? locate_here(path) : base_->locate(path);
}

bool FieldLocator::written_here(const google::protobuf::FieldDescriptor* top_level) const {
  if (json_) return json_->fields.count(top_level->name()) != 0;
  return tree_ != nullptr && tree_->GetLocation(top_level, -1).line >= 0;
}

// The position of the longest prefix of the path that the JSON text wrote.
SourceLocation FieldLocator::locate_in_json(const FieldPath& path) const {
  SourceLocation best{file_, 0, 0};
  std::string key;
  for (const FieldPath::Step& step : path.steps()) {
    key += (key.empty() ? "" : ".") + step.field;
    const auto member = json_->fields.find(key);
    if (member == json_->fields.end()) break;
    best.line = member->second.line;
    best.column = member->second.column;
    if (step.index < 0) continue;
    key += "[" + std::to_string(step.index) + "]";
    const auto element = json_->fields.find(key);
    if (element == json_->fields.end()) break;
    best.line = element->second.line;
    best.column = element->second.column;
  }
  return best;
}

SourceLocation FieldLocator::locate_here(const FieldPath& path) const {
  if (json_) {
    const SourceLocation at = locate_in_json(path);
    return at.line > 0 ? at : SourceLocation{file_, 1, 1};  // nothing written: the file's start
  }
  SourceLocation best{file_, 0, 0};
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
    best.line = loc.line + 1;
    best.column = loc.column + 1;
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) break;
    tree = tree->GetTreeForNested(field, index);
    desc = field->message_type();
  }
  if (best.line == 0) best = {file_, 1, 1};  // nothing written on the way: the file's start
  return best;
}

}  // namespace chiptrail::models
