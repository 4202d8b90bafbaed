// Replacement global operator new/delete that count heap bytes, so the model benchmark can
// report memory per lot exactly instead of reading a noisy RSS. This is a benchmark-only
// instrument: the state below is the one piece of global state in the project, and it lives
// only in the chiptrail-bench executable.
#include "bench/allocation_counter.hpp"

#include <malloc.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<std::size_t> in_use{0};
std::atomic<std::size_t> peak{0};

void* counted_alloc(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  const std::size_t now = in_use += malloc_usable_size(p);
  std::size_t seen = peak.load();
  while (now > seen && !peak.compare_exchange_weak(seen, now)) {
  }
  return p;
}

void counted_free(void* p) noexcept {
  if (p == nullptr) return;
  in_use -= malloc_usable_size(p);
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

std::size_t heap_bytes_in_use() {
  return in_use.load();
}

AllocationWindow::AllocationWindow() : start_(in_use.load()) {
  peak.store(start_);
}

std::size_t AllocationWindow::peak_bytes() const {
  const std::size_t p = peak.load();
  return p > start_ ? p - start_ : 0;
}

}  // namespace chiptrail::bench
