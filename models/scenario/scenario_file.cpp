#include "models/scenario/scenario_file.hpp"

#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "chiptrail/v1/scenario.pb.h"
#include "models/scenario/input_error.hpp"
#include "models/scenario/input_text.hpp"
#include "models/scenario/json_positions.hpp"
#include "models/scenario/scenario_merge.hpp"
#include "models/scenario/text_format_errors.hpp"
#include "models/scenario/utf8_check.hpp"

namespace chiptrail::models {

std::string read_input_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw MissingInput(path + ": is a directory");
  // A device or a pipe could be endless (/dev/zero), and a huge file would take all memory.
  if (std::filesystem::exists(path, ec) && !std::filesystem::is_regular_file(path, ec)) {
    throw MissingInput(path + ": is not a regular file");
  }
  constexpr std::uintmax_t kMaxBytes = 64u << 20;
  if (const std::uintmax_t size = std::filesystem::file_size(path, ec); !ec && size > kMaxBytes) {
    throw InvalidInput({{path, 1, 1, "",
                         "the file is " + std::to_string(size >> 20) +
                             " MiB, over the 64 MiB limit for input files"}});
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MissingInput(path + ": cannot open the file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw MissingInput(path + ": cannot read the file");
  return std::move(buffer).str();
}

ScenarioFile::ScenarioFile() = default;
ScenarioFile::ScenarioFile(ScenarioFile&&) noexcept = default;
ScenarioFile& ScenarioFile::operator=(ScenarioFile&&) noexcept = default;
ScenarioFile::~ScenarioFile() = default;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// protobuf's JSON errors start with the field they concern, "(a.b[2].c): ..." or "a.b: ...":
// locate that field in the text.
InputError json_error(const ScenarioFile& file, const std::string& message) {
  std::string field;
  std::string rest = message;
  if (const std::size_t colon = message.find(": "); colon != std::string::npos) {
    field = message.substr(0, colon);
    rest = message.substr(colon + 2);
    if (field.size() >= 2 && field.front() == '(' && field.back() == ')') {
      field = field.substr(1, field.size() - 2);
    }
  }
  SourceLocation at = file.locator.locate(FieldPath{}.dotted(field));
  if (at.line == 0) at = {file.path, 1, 1};  // at least the file and its first line
  return {file.path, at.line, at.column, field, rest};
}

}  // namespace

ScenarioFile parse_scenario_text(const std::string& path, std::string text) {
  ScenarioFile file;
  file.path = path;
  file.text = std::move(text);
  file.message = std::make_unique<v1::Scenario>();
  file.locator = FieldLocator(path);
  std::vector<InputError> errors;
  if (ends_with(path, ".json")) {
    // Our scan first: it finds syntax errors with their line and where every field was
    // written, which protobuf's parser does not tell.
    JsonPositions positions = scan_json(file.text);
    if (positions.error_at) {
      errors.push_back({path, positions.error_at->line, positions.error_at->column, "",
                        "invalid JSON: " + positions.error});
    } else {
      file.locator = FieldLocator(path, v1::Scenario::descriptor(), std::move(positions));
      google::protobuf::util::JsonParseOptions options;
      options.ignore_unknown_fields = false;
      const auto status =
          google::protobuf::util::JsonStringToMessage(file.text, file.message.get(), options);
      if (!status.ok()) errors.push_back(json_error(file, std::string(status.message())));
    }
  } else {
    auto tree = std::make_unique<google::protobuf::TextFormat::ParseInfoTree>();
    TextFormatErrors collector(path, errors);
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    parser.WriteLocationsTo(tree.get());
    if (!parser.ParseFromString(file.text, file.message.get()) && errors.empty()) {
      errors.push_back({path, 0, 0, "", "could not parse the file as protobuf text format"});
    }
    file.locator = FieldLocator(path, v1::Scenario::descriptor(), std::move(tree));
    if (errors.empty()) {
      for (const FieldPath& bad : invalid_utf8_fields(*file.message)) {
        const SourceLocation at = file.locator.locate(bad);
        errors.push_back({path, at.line, at.column, bad.to_string(), "is not valid UTF-8 text"});
      }
    }
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  return file;
}

namespace {

ScenarioFile read_one(const std::string& path, std::vector<std::string>& chain);

// Merges `file` onto the scenario it extends, if any.
void apply_extends(ScenarioFile& file, std::vector<std::string>& chain) {
  const std::string relative = file.message->extends();
  if (relative.empty()) return;
  const std::filesystem::path base_path = std::filesystem::path(file.path).parent_path() / relative;
  const auto [line, column] = [&] {
    const SourceLocation at = file.locator.locate(FieldPath{} / "extends");
    return std::pair{at.line, at.column};
  }();
  if (chain.size() >= 16) {
    throw InvalidInput(
        {{file.path, line, column, "extends", "scenarios extend each other more than 16 deep"}});
  }
  std::error_code ec;
  const std::string key = std::filesystem::weakly_canonical(base_path, ec).string();
  if (std::find(chain.begin(), chain.end(), key) != chain.end()) {
    throw InvalidInput(
        {{file.path, line, column, "extends", "extends itself through " + relative}});
  }
  if (!std::filesystem::exists(base_path, ec)) {
    throw InvalidInput(
        {{file.path, line, column, "extends", "no such file: " + base_path.string()}});
  }
  if (!std::filesystem::is_regular_file(base_path, ec)) {
    throw InvalidInput(
        {{file.path, line, column, "extends", base_path.string() + " is not a regular file"}});
  }
  chain.push_back(key);
  ScenarioFile base = read_one(base_path.string(), chain);
  chain.pop_back();
  auto merged = std::make_unique<v1::Scenario>(*base.message);
  std::map<std::string, std::vector<int>> origin = merge_scenario(*merged, *file.message);
  merged->clear_extends();
  file.message = std::move(merged);
  file.text = base.text + file.text;  // what the manifest hashes covers the base too
  file.locator.set_base(std::move(base.locator), std::move(origin));
}

ScenarioFile read_one(const std::string& path, std::vector<std::string>& chain) {
  ScenarioFile file = parse_scenario_text(path, read_input_file(path));
  apply_extends(file, chain);
  return file;
}

}  // namespace

ScenarioFile read_scenario_file(const std::string& path) {
  std::vector<std::string> chain;
  std::error_code ec;
  chain.push_back(std::filesystem::weakly_canonical(path, ec).string());
  return read_one(path, chain);
}

}  // namespace chiptrail::models
