#include "models/scenario/utf8_check.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <cstdint>
#include <string>

namespace chiptrail::models {
namespace {

bool valid_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;  // cut short
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr std::uint32_t kMinimum[] = {0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[extra] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

void walk(const google::protobuf::Message& message, const FieldPath& at,
          std::vector<FieldPath>& out) {
  const google::protobuf::Reflection* r = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  r->ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* f : fields) {
    using CppType = google::protobuf::FieldDescriptor::CppType;
    if (f->is_map()) continue;  // custom policy parameters: keys are checked as names
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(message, f); ++i) {
        const FieldPath element = at.at(f->name(), static_cast<std::size_t>(i));
        if (f->cpp_type() == CppType::CPPTYPE_STRING) {
          if (!valid_utf8(r->GetRepeatedString(message, f, i))) out.push_back(element);
        } else if (f->cpp_type() == CppType::CPPTYPE_MESSAGE) {
          walk(r->GetRepeatedMessage(message, f, i), element, out);
        }
      }
    } else if (f->cpp_type() == CppType::CPPTYPE_STRING) {
      if (!valid_utf8(r->GetString(message, f))) out.push_back(at / f->name());
    } else if (f->cpp_type() == CppType::CPPTYPE_MESSAGE) {
      walk(r->GetMessage(message, f), at / f->name(), out);
    }
  }
}

}  // namespace

std::vector<FieldPath> invalid_utf8_fields(const google::protobuf::Message& message) {
  std::vector<FieldPath> out;
  walk(message, FieldPath{}, out);
  return out;
}

}  // namespace chiptrail::models
