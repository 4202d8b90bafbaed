#include "fuzz/fuzz_scenario.hpp"

#include "models/analytic/scenario_analysis.hpp"
#include "models/policies/policy_registry.hpp"
#include "models/scenario/build_world.hpp"
#include "models/scenario/input_error.hpp"
#include "models/scenario/scenario_file.hpp"
#include "models/supply_chain_model.hpp"

namespace chiptrail::fuzz {

void scenario_input(const std::string& path, const std::uint8_t* data, std::size_t size) {
  models::PolicyRegistry registry;
  models::register_builtin_policies(registry);
  try {
    const models::ScenarioFile file =
        models::parse_scenario_text(path, std::string(reinterpret_cast<const char*>(data), size));
    const models::World world = models::build_world(file, registry);
    (void)models::analyze(world);
    models::RunConfig config = models::default_run(world);
    config.limits.max_events = 20000;
    config.limits.max_lots = 2000;
    (void)models::run_replication(world, config, 0);
  } catch (const models::InvalidInput&) {
  } catch (const models::MissingInput&) {
  } catch (const models::ResourceLimitExceeded&) {
  }
}

}  // namespace chiptrail::fuzz
