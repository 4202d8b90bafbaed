#include "cli/load_scenario.hpp"

#include <cstdio>

#include "cli/exit_codes.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"

namespace chiptrail::cli {

int load_or_report(const std::string& path, const std::function<void()>& load) {
  try {
    load();
    return kOk;
  } catch (const models::MissingInput& e) {
    std::fprintf(stderr, "chiptrail: %s\n", e.what());
    return kNoInput;
  } catch (const models::InvalidInput& e) {
    for (const models::InputError& error : e.errors()) {
      std::fprintf(stderr, "%s\n", error.to_string().c_str());
    }
    std::fprintf(stderr, "chiptrail: %s: %zu error%s\n", path.c_str(), e.errors().size(),
                 e.errors().size() == 1 ? "" : "s");
    return kDataError;
  }
}

int load_scenario(const std::string& path, const models::PolicyRegistry& registry,
                  std::optional<LoadedScenario>& loaded) {
  return load_or_report(path, [&] {
    models::ScenarioFile file = models::read_scenario_file(path);
    models::World world = models::build_world(file, registry);
    loaded.emplace(LoadedScenario{std::move(file), std::move(world)});
  });
}

}  // namespace chiptrail::cli
