#pragma once

#include <cstddef>

namespace chiptrail::bench {

// Heap accounting by the replacement operator new/delete of allocation_counter.cpp (benchmark
// binary only).

// Measures the peak of heap bytes allocated within its lifetime and still held (counting is
// off outside windows). One window at a time.
class AllocationWindow {
 public:
  AllocationWindow();
  ~AllocationWindow();
  AllocationWindow(const AllocationWindow&) = delete;
  AllocationWindow& operator=(const AllocationWindow&) = delete;
  [[nodiscard]] std::size_t peak_bytes() const;
};

}  // namespace chiptrail::bench
