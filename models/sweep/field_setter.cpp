#include "models/sweep/field_setter.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <cmath>
#include <stdexcept>
#include <vector>

namespace chiptrail::models {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

struct Step {
  std::string field;
  std::string selector;  // "", "3", or "name=customs_my"
};

std::vector<Step> parse(const std::string& path) {
  std::vector<Step> steps;
  std::size_t i = 0;
  while (i < path.size()) {
    Step s;
    while (i < path.size() && path[i] != '.' && path[i] != '[') s.field += path[i++];
    if (i < path.size() && path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string::npos) throw std::invalid_argument("unclosed [ in " + path);
      s.selector = path.substr(i + 1, close - i - 1);
      i = close + 1;
    }
    if (s.field.empty()) throw std::invalid_argument("empty field name in " + path);
    steps.push_back(s);
    if (i < path.size()) {
      if (path[i] != '.') throw std::invalid_argument("expected '.' after ] in " + path);
      ++i;
    }
  }
  if (steps.empty()) throw std::invalid_argument("empty path");
  return steps;
}

// The field `name` of `m`, or of the message set in one of m's oneofs; `m` may be replaced by
// that message.
const FieldDescriptor* find_field(Message*& m, const std::string& name) {
  if (const FieldDescriptor* f = m->GetDescriptor()->FindFieldByName(name)) return f;
  const auto* d = m->GetDescriptor();
  for (int o = 0; o < d->oneof_decl_count(); ++o) {
    const FieldDescriptor* set = m->GetReflection()->GetOneofFieldDescriptor(*m, d->oneof_decl(o));
    if (set == nullptr || set->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    Message* inner = m->GetReflection()->MutableMessage(m, set);
    if (const FieldDescriptor* f = inner->GetDescriptor()->FindFieldByName(name)) {
      m = inner;
      return f;
    }
  }
  return nullptr;
}

// A path may change a value, never what a thing is: setting a member of a oneof other than the
// one the scenario has set (a customs policy's `heartbeat.interval_days`, a scheduled flow's
// `arrivals.poisson_per_year`) would silently turn it into something else.
void refuse_switching_oneof(const Message& m, const FieldDescriptor* f, const std::string& path) {
  const google::protobuf::OneofDescriptor* oneof = f->containing_oneof();
  if (oneof == nullptr || oneof->is_synthetic()) return;
  const FieldDescriptor* set = m.GetReflection()->GetOneofFieldDescriptor(m, oneof);
  if (set == nullptr || set == f) return;
  throw std::invalid_argument(path + ": " + m.GetDescriptor()->name() + " has " + set->name() +
                              " set, not " + f->name() + "; a path cannot change which kind of " +
                              oneof->name() + " it is");
}

Message* select(Message* m, const FieldDescriptor* f, const std::string& selector,
                const std::string& path) {
  const auto* r = m->GetReflection();
  const int size = r->FieldSize(*m, f);
  const std::size_t eq = selector.find('=');
  if (eq == std::string::npos) {
    char* end = nullptr;
    const long index = std::strtol(selector.c_str(), &end, 10);
    if (selector.empty() || *end != '\0' || index < 0 || index >= size) {
      throw std::invalid_argument(f->name() + "[" + selector + "]: no such element (there are " +
                                  std::to_string(size) + ") in " + path);
    }
    return r->MutableRepeatedMessage(m, f, static_cast<int>(index));
  }
  const std::string key = selector.substr(0, eq);
  const std::string wanted = selector.substr(eq + 1);
  const FieldDescriptor* key_field = f->message_type()->FindFieldByName(key);
  if (key_field == nullptr || key_field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    throw std::invalid_argument(f->name() + " elements have no string field '" + key + "' in " +
                                path);
  }
  for (int i = 0; i < size; ++i) {
    Message* e = r->MutableRepeatedMessage(m, f, i);
    if (e->GetReflection()->GetString(*e, key_field) == wanted) return e;
  }
  throw std::invalid_argument("no " + f->name() + " with " + key + " = \"" + wanted + "\" in " +
                              path);
}

}  // namespace

void set_numeric_field(Message& message, const std::string& path, double value) {
  const std::vector<Step> steps = parse(path);
  Message* m = &message;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const Step& s = steps[i];
    const FieldDescriptor* f = find_field(m, s.field);
    if (f == nullptr) {
      throw std::invalid_argument("'" + s.field + "' is not a field of " +
                                  m->GetDescriptor()->name() + " in " + path);
    }
    const bool last = i + 1 == steps.size();
    if (f->is_repeated()) {
      if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || s.selector.empty()) {
        throw std::invalid_argument(s.field +
                                    " is a list: select an element with [index] or "
                                    "[key=value] in " +
                                    path);
      }
      m = select(m, f, s.selector, path);
      if (last) throw std::invalid_argument(path + " names a message, not a number");
      continue;
    }
    if (!s.selector.empty()) throw std::invalid_argument(s.field + " is not a list in " + path);
    const auto* r = m->GetReflection();
    refuse_switching_oneof(*m, f, path);
    if (!last) {
      if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
        throw std::invalid_argument(s.field + " is a number, not a message, in " + path);
      }
      m = r->MutableMessage(m, f);
      continue;
    }
    if (!std::isfinite(value)) throw std::invalid_argument(path + ": value must be finite");
    const auto integral = [&](double lo, double hi) {
      const double v = std::round(value);
      if (v < lo || v > hi)
        throw std::invalid_argument(path + ": value out of range for the field");
      return v;
    };
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_DOUBLE:
        r->SetDouble(m, f, value);
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        r->SetFloat(m, f, static_cast<float>(value));
        break;
      case FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(m, f, static_cast<std::int32_t>(integral(-2147483648.0, 2147483647.0)));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r->SetInt64(m, f, static_cast<std::int64_t>(integral(-9e18, 9e18)));
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r->SetUInt32(m, f, static_cast<std::uint32_t>(integral(0, 4294967295.0)));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r->SetUInt64(m, f, static_cast<std::uint64_t>(integral(0, 1.8e19)));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r->SetBool(m, f, value != 0);
        break;
      default:
        throw std::invalid_argument(path + " is not a number field");
    }
  }
}

}  // namespace chiptrail::models
