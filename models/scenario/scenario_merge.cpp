#include "models/scenario/scenario_merge.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <memory>

#include "chiptrail/v1/scenario.pb.h"

namespace chiptrail::models {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The key field of a top-level list's elements, or null for a list merged by appending.
const FieldDescriptor* key_field(const FieldDescriptor* list) {
  static const std::map<std::string, std::string> keys = {
      {"chips", "model"},   {"nodes", "id"},       {"flows", "id"},
      {"policies", "name"}, {"uncertain", "path"}, {"levers", "path"},
      {"jurisdictions", "country"}};
  const auto it = keys.find(list->name());
  if (it == keys.end() || list->message_type() == nullptr) return nullptr;
  return list->message_type()->FindFieldByName(it->second);
}

void merge_message(Message& into, const Message& from, bool replace_lists);

// `from` with field f alone set.
std::unique_ptr<Message> only(const Message& from, const FieldDescriptor* f) {
  std::unique_ptr<Message> m(from.New());
  m->CopyFrom(from);
  std::vector<const FieldDescriptor*> set;
  m->GetReflection()->ListFields(*m, &set);
  for (const FieldDescriptor* g : set) {
    if (g != f) m->GetReflection()->ClearField(m.get(), g);
  }
  return m;
}

void copy_field(Message& into, const Message& from, const FieldDescriptor* f, bool replace_lists) {
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !f->is_repeated()) {
    // MutableMessage on another member of a oneof clears the member that was set.
    merge_message(*into.GetReflection()->MutableMessage(&into, f),
                  from.GetReflection()->GetMessage(from, f), replace_lists);
    return;
  }
  // Scalars (with presence, so a written 0 is set) replace; lists and maps append, or replace
  // when asked (a map merges by key either way).
  if (replace_lists && f->is_repeated() && !f->is_map()) into.GetReflection()->ClearField(&into, f);
  into.MergeFrom(*only(from, f));
}

// Every field `from` has set (written, for fields with presence) is copied or merged into `into`.
void merge_message(Message& into, const Message& from, bool replace_lists) {
  std::vector<const FieldDescriptor*> set;
  from.GetReflection()->ListFields(from, &set);
  for (const FieldDescriptor* f : set) copy_field(into, from, f, replace_lists);
}

}  // namespace

std::map<std::string, std::vector<int>> merge_scenario(v1::Scenario& base,
                                                       const v1::Scenario& variant) {
  std::map<std::string, std::vector<int>> origin;
  const google::protobuf::Descriptor* d = v1::Scenario::descriptor();
  const Reflection* r = variant.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->is_repeated())
      origin[f->name()].assign(static_cast<std::size_t>(r->FieldSize(base, f)), -1);
  }
  std::vector<const FieldDescriptor*> set;
  r->ListFields(variant, &set);
  for (const FieldDescriptor* f : set) {
    if (!f->is_repeated()) {
      copy_field(base, variant, f, /*replace_lists=*/false);
      continue;
    }
    std::vector<int>& from = origin[f->name()];
    const FieldDescriptor* key = key_field(f);
    for (int v = 0; v < r->FieldSize(variant, f); ++v) {
      int target = -1;
      if (key != nullptr) {
        const Message& element = r->GetRepeatedMessage(variant, f, v);
        const std::string& wanted = element.GetReflection()->GetString(element, key);
        for (int b = 0; b < r->FieldSize(base, f) && target < 0; ++b) {
          const Message& have = r->GetRepeatedMessage(base, f, b);
          if (from[static_cast<std::size_t>(b)] < 0 &&
              have.GetReflection()->GetString(have, key) == wanted) {
            target = b;
          }
        }
        if (target >= 0) {
          merge_message(*r->MutableRepeatedMessage(&base, f, target), element,
                        /*replace_lists=*/true);
          from[static_cast<std::size_t>(target)] = v;
          continue;
        }
      }
      // Appended (the Scenario's top-level lists all hold messages).
      r->AddMessage(&base, f)->CopyFrom(r->GetRepeatedMessage(variant, f, v));
      from.push_back(v);
    }
  }
  return origin;
}

}  // namespace chiptrail::models
