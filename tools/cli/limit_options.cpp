#include "cli/limit_options.hpp"

#include <cstdint>
#include <memory>

#include "cli/number_options.hpp"
#include "sim/process_memory.hpp"

namespace chiptrail::cli {

namespace {
constexpr std::uint64_t kMaxMemoryMib = std::uint64_t{1} << 40;  // so the shift to bytes fits
}  // namespace

void add_limit_options(CLI::App* cmd, models::ResourceLimits& limits) {
  limits.max_memory_bytes = sim::physical_memory_bytes() / 4 * 3;
  auto memory_mib = std::make_shared<std::uint64_t>(limits.max_memory_bytes >> 20);
  cmd->add_option("--max-events", limits.max_events,
                  "Stop a replication past this many engine events")
      ->capture_default_str()
      ->check(whole_number(1, UINT64_MAX));
  cmd->add_option("--max-lots", limits.max_lots,
                  "Stop a replication past this many lots and consignments")
      ->capture_default_str()
      ->check(whole_number(1, UINT64_MAX));
  cmd->add_option_function<std::uint64_t>(
         "--max-memory", [&limits](std::uint64_t mib) { limits.max_memory_bytes = mib << 20; },
         "Stop when the process uses more than this many MiB (0: no limit; default 3/4 of RAM)")
      ->default_str(std::to_string(*memory_mib))
      ->check(whole_number(0, kMaxMemoryMib));
}

}  // namespace chiptrail::cli
