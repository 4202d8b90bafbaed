// libFuzzer target: scenarios in protobuf text format (tools/fuzz/README in the main README).
#include "fuzz/fuzz_scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  chiptrail::fuzz::scenario_input("fuzz.textproto", data, size);
  return 0;
}
