#include "cli/load_scenario.hpp"

#include <cstdio>

#include "cli/exit_codes.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"

namespace chiptrail::cli {

int load_or_report(const std::string& path, const std::function<void()>& load,
                   spdlog::logger& log) {
  try {
    load();
    return kOk;
  } catch (const models::MissingInput& e) {
    log.error("chiptrail: {}", e.what());
    return kNoInput;
  } catch (const models::InvalidInput& e) {
    for (const models::InputError& error : e.errors()) {
      log.error("{}", error.to_string());
    }
    log.error("chiptrail: {}: {} error{}", path, e.errors().size(),
              e.errors().size() == 1 ? "" : "s");
    return kDataError;
  }
}

int load_scenario(const std::string& path, const models::PolicyRegistry& registry,
                  std::optional<LoadedScenario>& loaded, spdlog::logger& log) {
  return load_or_report(
      path,
      [&] {
        models::ScenarioFile file = models::read_scenario_file(path);
        models::World world = models::build_world(file, registry);
        loaded.emplace(LoadedScenario{std::move(file), std::move(world)});
      },
      log);
}

}  // namespace chiptrail::cli
