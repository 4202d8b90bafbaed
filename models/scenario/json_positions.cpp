#include "models/scenario/json_positions.hpp"

#include <cctype>

namespace chiptrail::models {
namespace {

// Positions are recorded for what can name a scenario field, within bounds that keep memory
// proportional to the file however it is shaped: no member whose name is longer than any
// field's (nor anything under it), and at most kMaxRecorded positions in all (past them, an
// error is placed at the nearest recorded ancestor).
constexpr std::size_t kMaxKey = 128;
constexpr std::size_t kMaxRecorded = 1'000'000;

// Recursive descent over the text; recursion is bounded by max_depth, so hostile nesting
// cannot exhaust the stack.
class Scanner {
 public:
  Scanner(const std::string& text, int max_depth, JsonPositions& out)
      : s_(text), max_depth_(max_depth), out_(out) {}

  void run() {
    skip_space();
    if (!value("", 0, true)) return;
    skip_space();
    if (i_ < s_.size()) fail("unexpected text after the JSON value");
  }

 private:
  [[nodiscard]] JsonPositions::Position here() const { return {line_, column_}; }

  bool fail(const std::string& message) {
    if (!out_.error_at) {
      out_.error_at = here();
      out_.error = message;
    }
    return false;
  }

  void advance() {
    if (s_[i_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++i_;
  }

  void skip_space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      advance();
  }

  bool expect(char c) {
    if (i_ >= s_.size())
      return fail(std::string("expected '") + c + "', found the end of the file");
    if (s_[i_] != c) return fail(std::string("expected '") + c + "', found '" + s_[i_] + "'");
    advance();
    return true;
  }

  bool record(const std::string& path, bool wanted) {
    if (!wanted || recorded_ >= kMaxRecorded) return false;
    out_.fields.emplace(path, here());
    ++recorded_;
    return true;
  }

  bool value(const std::string& path, int depth, bool recording) {
    if (depth > max_depth_) return fail("nested more than " + std::to_string(max_depth_) + " deep");
    if (i_ >= s_.size()) return fail("expected a value, found the end of the file");
    const char c = s_[i_];
    if (c == '{') return object(path, depth, recording);
    if (c == '[') return array(path, depth, recording);
    if (c == '"') {
      std::string ignored;
      return string(ignored);
    }
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return number();
    for (const char* word : {"true", "false", "null"}) {
      if (s_.compare(i_, std::char_traits<char>::length(word), word) == 0) {
        for (const char* w = word; *w != '\0'; ++w) advance();
        return true;
      }
    }
    return fail(std::string("expected a value, found '") + c + "'");
  }

  bool object(const std::string& path, int depth, bool recording) {
    advance();  // {
    skip_space();
    if (i_ < s_.size() && s_[i_] == '}') {
      advance();
      return true;
    }
    for (;;) {
      skip_space();
      const JsonPositions::Position at = here();
      std::string key;
      if (i_ >= s_.size() || s_[i_] != '"') return fail("expected a member name in quotes");
      if (!string(key)) return false;
      const bool named = recording && key.size() <= kMaxKey && recorded_ < kMaxRecorded;
      const std::string member = named ? (path.empty() ? "" : path + ".") + snake_case(key) : "";
      if (named) {
        out_.fields.emplace(member, at);
        ++recorded_;
      }
      skip_space();
      if (!expect(':')) return false;
      skip_space();
      if (!value(member, depth + 1, named)) return false;
      skip_space();
      if (i_ < s_.size() && s_[i_] == ',') {
        advance();
        continue;
      }
      return expect('}');
    }
  }

  bool array(const std::string& path, int depth, bool recording) {
    advance();  // [
    skip_space();
    if (i_ < s_.size() && s_[i_] == ']') {
      advance();
      return true;
    }
    for (std::size_t index = 0;; ++index) {
      skip_space();
      const bool indexed = recording && recorded_ < kMaxRecorded;
      const std::string element = indexed ? path + "[" + std::to_string(index) + "]" : "";
      if (!value(element, depth + 1, record(element, indexed))) return false;
      skip_space();
      if (i_ < s_.size() && s_[i_] == ',') {
        advance();
        continue;
      }
      return expect(']');
    }
  }

  bool string(std::string& out) {
    advance();  // opening quote
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '"') {
        advance();
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string");
      if (c == '\\') {
        advance();
        if (i_ >= s_.size()) break;
        if (s_[i_] == 'u') {
          for (int k = 0; k < 4; ++k) {
            advance();
            if (i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_])))
              return fail("bad \\u escape");
          }
        } else if (std::string("\"\\/bfnrt").find(s_[i_]) == std::string::npos) {
          return fail(std::string("bad escape \\") + s_[i_]);
        }
      }
      out += s_[i_];
      advance();
    }
    return fail("a string is not closed before the end of the file");
  }

  bool number() {
    const auto digits = [&] {
      const std::size_t start = i_;
      while (i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_]))) advance();
      return i_ > start;
    };
    if (s_[i_] == '-') advance();
    if (!digits()) return fail("expected digits");
    if (i_ < s_.size() && s_[i_] == '.') {
      advance();
      if (!digits()) return fail("expected digits after the decimal point");
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      advance();
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) advance();
      if (!digits()) return fail("expected digits in the exponent");
    }
    return true;
  }

  static std::string snake_case(const std::string& key) {
    std::string out;
    for (const char c : key) {
      if (std::isupper(static_cast<unsigned char>(c))) {
        out += '_';
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else {
        out += c;
      }
    }
    return out;
  }

  const std::string& s_;
  int max_depth_;
  JsonPositions& out_;
  std::size_t recorded_ = 0;
  std::size_t i_ = 0;
  int line_ = 1;
  int column_ = 1;
};

}  // namespace

JsonPositions scan_json(const std::string& text, int max_depth) {
  JsonPositions out;
  Scanner(text, max_depth, out).run();
  return out;
}

}  // namespace chiptrail::models
