#include "models/scenario/input_parser.hpp"

#include <google/protobuf/message.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <memory>

#include "models/scenario/json_positions.hpp"
#include "models/scenario/text_format_errors.hpp"
#include "models/scenario/utf8_check.hpp"

namespace chiptrail::models {
namespace {

bool is_json(const std::string& path) {
  if (path.size() < 5) return false;
  std::string ext = path.substr(path.size() - 5);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".json";
}

// CRLF and lone CR become LF, so that lines are counted and comments end where a reader sees.
void normalize_newlines(std::string& text) {
  if (text.find('\r') == std::string::npos) return;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      out += text[i];
    } else if (i + 1 >= text.size() || text[i + 1] != '\n') {
      out += '\n';
    }
  }
  text = std::move(out);
}

// protobuf's JSON errors start with the field they concern, "(a.b[2].c): ..." or "a.b: ...":
// locate that field in the text.
InputError json_error(const std::string& path, const FieldLocator& locator,
                      const std::string& message) {
  std::string field;
  std::string rest = message;
  if (const std::size_t colon = message.find(": "); colon != std::string::npos) {
    field = message.substr(0, colon);
    rest = message.substr(colon + 2);
    if (field.size() >= 2 && field.front() == '(' && field.back() == ')') {
      field = field.substr(1, field.size() - 2);
    }
  }
  SourceLocation at = locator.locate(FieldPath{}.dotted(field));
  if (at.line == 0) at = {path, 1, 1};  // at least the file and its first line
  return {path, at.line, at.column, field, rest};
}

}  // namespace

FieldLocator parse_input_text(const std::string& path, std::string& text,
                              google::protobuf::Message& message, std::vector<InputError>& errors) {
  normalize_newlines(text);
  const google::protobuf::Descriptor* root = message.GetDescriptor();
  FieldLocator locator(path);
  const std::size_t before = errors.size();
  if (is_json(path)) {
    // Our scan first: it finds syntax errors with their line and where every field was
    // written, which protobuf's parser does not tell.
    JsonPositions positions = scan_json(text);
    if (positions.error_at) {
      errors.push_back({path, positions.error_at->line, positions.error_at->column, "",
                        "invalid JSON: " + positions.error});
      return locator;
    }
    locator = FieldLocator(path, root, std::move(positions));
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto status = google::protobuf::util::JsonStringToMessage(text, &message, options);
    if (!status.ok()) errors.push_back(json_error(path, locator, std::string(status.message())));
  } else {
    auto tree = std::make_unique<google::protobuf::TextFormat::ParseInfoTree>();
    TextFormatErrors collector(path, errors);
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    parser.WriteLocationsTo(tree.get());
    if (!parser.ParseFromString(text, &message) && errors.size() == before) {
      errors.push_back({path, 1, 1, "", "could not parse the file as protobuf text format"});
    }
    locator = FieldLocator(path, root, std::move(tree));
  }
  if (errors.size() == before) {
    for (const FieldPath& bad : invalid_utf8_fields(message)) {
      const SourceLocation at = locator.locate(bad);
      errors.push_back({path, at.line, at.column, bad.to_string(), "is not valid UTF-8 text"});
    }
  }
  return locator;
}

}  // namespace chiptrail::models
