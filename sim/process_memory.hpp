#pragma once

#include <cstdint>

namespace chiptrail::sim {

// The resident memory of this process now, in bytes (Linux /proc/self/statm; 0 if unknown).
std::uint64_t resident_bytes();

// The physical memory of the machine, in bytes (0 if unknown).
std::uint64_t physical_memory_bytes();

}  // namespace chiptrail::sim
