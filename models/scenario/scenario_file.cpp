#include "models/scenario/scenario_file.hpp"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>
#include <google/protobuf/util/json_util.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "chiptrail/v1/scenario.pb.h"
#include "models/scenario/input_error.hpp"

namespace chiptrail::models {

ScenarioFile::ScenarioFile() = default;
ScenarioFile::ScenarioFile(ScenarioFile&&) noexcept = default;
ScenarioFile& ScenarioFile::operator=(ScenarioFile&&) noexcept = default;
ScenarioFile::~ScenarioFile() = default;

namespace {

class CollectErrors : public google::protobuf::io::ErrorCollector {
 public:
  CollectErrors(const std::string& file, std::vector<InputError>& out) : file_(file), out_(out) {}
  // Positions arrive zero-based; a line of -1 means the error has no position.
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    out_.push_back({file_, line + 1, column + 1, "", message});
  }

 private:
  const std::string& file_;
  std::vector<InputError>& out_;
};

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

ScenarioFile parse_scenario_text(const std::string& path, std::string text) {
  ScenarioFile file;
  file.path = path;
  file.text = std::move(text);
  file.message = std::make_unique<v1::Scenario>();
  std::vector<InputError> errors;
  if (ends_with(path, ".json")) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto status =
        google::protobuf::util::JsonStringToMessage(file.text, file.message.get(), options);
    if (!status.ok()) {
      errors.push_back({path, 0, 0, "", "invalid JSON scenario: " + std::string(status.message())});
    }
  } else {
    auto tree = std::make_unique<google::protobuf::TextFormat::ParseInfoTree>();
    CollectErrors collector(path, errors);
    google::protobuf::TextFormat::Parser parser;
    parser.RecordErrorsTo(&collector);
    parser.WriteLocationsTo(tree.get());
    if (!parser.ParseFromString(file.text, file.message.get()) && errors.empty()) {
      errors.push_back({path, 0, 0, "", "could not parse the file as protobuf text format"});
    }
    file.locator = FieldLocator(v1::Scenario::descriptor(), std::move(tree));
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  return file;
}

ScenarioFile read_scenario_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw MissingInput(path + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw MissingInput(path + ": cannot open the file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw MissingInput(path + ": cannot read the file");
  return parse_scenario_text(path, std::move(buffer).str());
}

}  // namespace chiptrail::models
