// libFuzzer target: sweep files. The fuzz input is the sweep; its `scenario` path is resolved
// from the working directory (the corpus points at scenarios/).
#include <cstddef>
#include <cstdint>
#include <string>

#include "models/policies/policy_registry.hpp"
#include "models/scenario/input_error.hpp"
#include "models/sweep/sweep_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace chiptrail;
  models::PolicyRegistry registry;
  models::register_builtin_policies(registry);
  try {
    const models::SweepSpec spec = models::parse_sweep_text(
        "fuzz_sweep.textproto", std::string(reinterpret_cast<const char*>(data), size), registry);
    if (!spec.points.empty()) (void)models::world_for_point(spec, 0, registry);
  } catch (const models::InvalidInput&) {
  } catch (const models::MissingInput&) {
  }
  return 0;
}
