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
      {"policies", "name"}, {"uncertain", "path"}, {"levers", "path"}};
  const auto it = keys.find(list->name());
  if (it == keys.end() || list->message_type() == nullptr) return nullptr;
  return list->message_type()->FindFieldByName(it->second);
}

void merge_message(Message& into, const Message& from, bool replace_lists);

// Appends element i of list f of `from` to the same list of `into`.
void append_element(Message& into, const Message& from, const FieldDescriptor* f, int i) {
  const Reflection* r = from.GetReflection();
  const Reflection* w = into.GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      w->AddMessage(&into, f)->CopyFrom(r->GetRepeatedMessage(from, f, i));
      break;
    case FieldDescriptor::CPPTYPE_STRING:
      w->AddString(&into, f, r->GetRepeatedString(from, f, i));
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      w->AddDouble(&into, f, r->GetRepeatedDouble(from, f, i));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      w->AddFloat(&into, f, r->GetRepeatedFloat(from, f, i));
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      w->AddInt32(&into, f, r->GetRepeatedInt32(from, f, i));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      w->AddInt64(&into, f, r->GetRepeatedInt64(from, f, i));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      w->AddUInt32(&into, f, r->GetRepeatedUInt32(from, f, i));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      w->AddUInt64(&into, f, r->GetRepeatedUInt64(from, f, i));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      w->AddBool(&into, f, r->GetRepeatedBool(from, f, i));
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      w->AddEnumValue(&into, f, r->GetRepeatedEnumValue(from, f, i));
      break;
  }
}

void copy_field(Message& into, const Message& from, const FieldDescriptor* f, bool replace_lists) {
  const Reflection* r = from.GetReflection();
  const Reflection* w = into.GetReflection();
  if (f->is_map()) {  // a custom policy's parameters: entries merge by key, as protobuf does
    auto part = std::unique_ptr<Message>(from.New());
    for (int i = 0; i < r->FieldSize(from, f); ++i) append_element(*part, from, f, i);
    into.MergeFrom(*part);
    return;
  }
  if (f->is_repeated()) {
    if (replace_lists) w->ClearField(&into, f);
    for (int i = 0; i < r->FieldSize(from, f); ++i) append_element(into, from, f, i);
    return;
  }
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      // MutableMessage on another member of a oneof clears the member that was set.
      merge_message(*w->MutableMessage(&into, f), r->GetMessage(from, f), replace_lists);
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      w->SetDouble(&into, f, r->GetDouble(from, f));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      w->SetFloat(&into, f, r->GetFloat(from, f));
      break;
    case FieldDescriptor::CPPTYPE_INT32:
      w->SetInt32(&into, f, r->GetInt32(from, f));
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      w->SetInt64(&into, f, r->GetInt64(from, f));
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      w->SetUInt32(&into, f, r->GetUInt32(from, f));
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      w->SetUInt64(&into, f, r->GetUInt64(from, f));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      w->SetBool(&into, f, r->GetBool(from, f));
      break;
    case FieldDescriptor::CPPTYPE_ENUM:
      w->SetEnumValue(&into, f, r->GetEnumValue(from, f));
      break;
    case FieldDescriptor::CPPTYPE_STRING:
      w->SetString(&into, f, r->GetString(from, f));
      break;
  }
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
      append_element(base, variant, f, v);
      from.push_back(v);
    }
  }
  return origin;
}

}  // namespace chiptrail::models
