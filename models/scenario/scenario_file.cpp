#include "models/scenario/scenario_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "chiptrail/v1/scenario.pb.h"
#include "models/scenario/input_error.hpp"
#include "models/scenario/input_parser.hpp"
#include "models/scenario/input_text.hpp"
#include "models/scenario/scenario_merge.hpp"

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

ScenarioFile parse_scenario_text(const std::string& path, std::string text) {
  ScenarioFile file;
  file.path = path;
  file.message = std::make_unique<v1::Scenario>();
  std::vector<InputError> errors;
  file.locator = parse_input_text(path, text, *file.message, errors);
  file.text = std::move(text);
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
  // `chain` holds the files read so far, this one included: 16 hops make 17.
  if (chain.size() > 16) {
    throw InvalidInput(
        {{file.path, line, column, "extends", "scenarios extend each other more than 16 deep"}});
  }
  std::error_code ec;
  const std::string key = std::filesystem::weakly_canonical(base_path, ec).string();
  if (std::find(chain.begin(), chain.end(), key) != chain.end()) {
    throw InvalidInput(
        {{file.path, line, column, "extends", "extends itself through " + relative}});
  }
  const std::filesystem::file_status status = std::filesystem::status(base_path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory) {  // a loop of links, no permission ...
    throw InvalidInput(
        {{file.path, line, column, "extends", base_path.string() + ": " + ec.message()}});
  }
  if (!std::filesystem::exists(status)) {
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
