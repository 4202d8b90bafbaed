#include "models/scenario/input_error.hpp"

namespace chiptrail::models {

std::string InputError::to_string() const {
  // Appended piece by piece: GCC 12's -Wrestrict misfires on chained operator+ here.
  std::string out = file;
  if (line > 0) {
    out.append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
  }
  out.append(": ");
  if (!field.empty()) out.append(field).append(": ");
  out.append(message);
  return out;
}

namespace {

// Text from an input (a token the parser quotes, a field path, a file name) as it may appear in
// a message: bytes outside printable ASCII escaped as \xNN, at most kQuoted characters of
// anything in double quotes (what parsers quote from the file) and at most `max` in all, so that
// an error never echoes a file's contents (an `extends` pointing at a secret) or raw bytes to a
// terminal or into JSON.
constexpr std::size_t kQuoted = 32;

std::string excerpt(const std::string& text, std::size_t max) {
  static const char* const hex = "0123456789abcdef";
  std::string out;
  bool quoted = false;
  std::size_t in_quote = 0;
  for (const char c : text) {
    if (c == '"') {
      quoted = !quoted;
      in_quote = 0;
    } else if (quoted && ++in_quote > kQuoted) {
      if (in_quote == kQuoted + 1) out += "...";
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      out += "\\x";
      out += hex[byte >> 4U];
      out += hex[byte & 0xfU];
    }
    if (out.size() >= max) {
      out += "...";
      break;
    }
  }
  return out;
}

std::vector<InputError> printable(std::vector<InputError> errors) {
  for (InputError& e : errors) {
    e.file = excerpt(e.file, 4096);
    e.field = excerpt(e.field, 200);
    e.message = excerpt(e.message, 1000);
  }
  return errors;
}

std::string summarize(const std::vector<InputError>& errors) {
  std::string s;
  for (const InputError& e : errors) s += e.to_string() + "\n";
  if (!s.empty()) s.pop_back();
  return s;
}
}  // namespace

InvalidInput::InvalidInput(std::vector<InputError> errors)
    : InvalidInput(printable(std::move(errors)), 0) {}

InvalidInput::InvalidInput(std::vector<InputError> printable_errors, int)
    : std::runtime_error(summarize(printable_errors)), errors_(std::move(printable_errors)) {}

}  // namespace chiptrail::models
