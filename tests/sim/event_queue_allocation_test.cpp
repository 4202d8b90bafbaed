// The event queue's steady state allocates nothing: once its heap and slab have grown to the
// model's size, pushing and popping events (of inline-sized actions) reuses them. Counted by
// replacing operator new for this test executable, which is why it is a file of its own.
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "sim/event_queue.hpp"

namespace {
// Not product state: a replacement operator new can count nowhere else.
std::atomic<std::size_t> allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

using namespace chiptrail::sim;

TEST_CASE("the event queue allocates nothing in steady state, cancellations included") {
  EventQueue q;
  int fired = 0;
  // Warm up: 1,000 pending events, some cancelled and replaced, so every vector has grown.
  std::vector<EventHandle> handles(1000);
  for (std::size_t i = 0; i < handles.size(); ++i) {
    handles[i] = q.push(Time::seconds(static_cast<std::int64_t>(i)), [&fired] { ++fired; });
  }
  bool all_due = true;  // no doctest assertion inside the counted loop: they may allocate
  const auto cycle = [&](std::int64_t round) {
    for (std::size_t i = 0; i < handles.size(); ++i) {
      Time t;
      Action action;
      if (!q.pop_due(Time::max(), t, action)) {
        all_due = false;
        return;
      }
      action();
      const Time next = t + Time::seconds(1000 + round % 7);
      if (i % 5 == 0) {  // a patrol called off and rescheduled
        const EventHandle extra = q.push(next, [&fired] { ++fired; });
        q.cancel(extra);
      }
      handles[i] = q.push(next, [&fired] { ++fired; });
    }
  };
  for (std::int64_t round = 0; round < 3; ++round) cycle(round);
  const std::size_t before = allocations.load();
  for (std::int64_t round = 3; round < 20; ++round) cycle(round);
  CHECK(allocations.load() == before);
  CHECK(all_due);
  CHECK(q.size() == 1000);
  CHECK(fired == 20 * 1000);
}
