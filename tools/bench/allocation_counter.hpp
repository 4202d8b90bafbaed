#pragma once

#include <cstddef>

namespace chiptrail::bench {

// Heap bytes in use, tracked by the replacement operator new/delete of allocation_counter.cpp
// (benchmark binary only). Single-threaded use: the model benchmark runs in one thread.
std::size_t heap_bytes_in_use();

// Measures the peak heap growth over its lifetime, relative to its start.
class AllocationWindow {
 public:
  AllocationWindow();
  [[nodiscard]] std::size_t peak_bytes() const;

 private:
  std::size_t start_;
};

}  // namespace chiptrail::bench
