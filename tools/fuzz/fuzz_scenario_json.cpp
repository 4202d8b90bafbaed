// libFuzzer target: scenarios in protobuf's JSON mapping.
#include "fuzz/fuzz_scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  chiptrail::fuzz::scenario_input("fuzz.json", data, size);
  return 0;
}
