// Replacement global operator new/delete that count heap bytes, so the model benchmark can
// report memory per lot exactly instead of reading a noisy RSS. This is a benchmark-only
// instrument: the state below is the one piece of global state in the project, and it lives
// only in the chiptrail-bench executable.
#include "bench/allocation_counter.hpp"

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace {
// Counting happens only inside an AllocationWindow: otherwise every thread's allocations would
// hit these shared atomics, and the multi-threaded sweep benchmark would measure their contention.
std::atomic<bool> counting{false};
// Signed: a block allocated before the window and freed inside it is subtracted but was never
// added.
std::atomic<std::int64_t> in_use{0};
std::atomic<std::int64_t> peak{0};

void* counted_alloc(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  if (!counting.load(std::memory_order_relaxed)) return p;
  const std::int64_t now = in_use += static_cast<std::int64_t>(malloc_usable_size(p));
  std::int64_t seen = peak.load();
  while (now > seen && !peak.compare_exchange_weak(seen, now)) {
  }
  return p;
}

void counted_free(void* p) noexcept {
  if (p == nullptr) return;
  if (counting.load(std::memory_order_relaxed))
    in_use -= static_cast<std::int64_t>(malloc_usable_size(p));
  std::free(p);
}
}  // namespace

void* operator new(std::size_t n) {
  return counted_alloc(n);
}
void* operator new[](std::size_t n) {
  return counted_alloc(n);
}
void operator delete(void* p) noexcept {
  counted_free(p);
}
void operator delete[](void* p) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  counted_free(p);
}

namespace chiptrail::bench {

AllocationWindow::AllocationWindow() {
  in_use.store(0);
  peak.store(0);
  counting.store(true);
}

AllocationWindow::~AllocationWindow() {
  counting.store(false);
}

std::size_t AllocationWindow::peak_bytes() const {
  return static_cast<std::size_t>(std::max<std::int64_t>(0, peak.load()));
}

}  // namespace chiptrail::bench
