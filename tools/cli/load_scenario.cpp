#include "cli/load_scenario.hpp"

#include <cstdio>

#include "cli/exit_codes.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"

namespace chiptrail::cli {

int load_scenario(const std::string& path, const models::PolicyRegistry& registry,
                  std::optional<LoadedScenario>& loaded) {
  try {
    models::ScenarioFile file = models::read_scenario_file(path);
    models::World world = models::build_world(file, registry);
    loaded.emplace(LoadedScenario{std::move(file), std::move(world)});
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

}  // namespace chiptrail::cli
