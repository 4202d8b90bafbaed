#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "sim/action.hpp"
#include "sim/time.hpp"

namespace chiptrail::sim {

// Names one scheduled event so that it can be cancelled. A default-constructed handle names
// nothing; a handle whose event has run or been cancelled is stale and cancelling it is a no-op.
class EventHandle {
 public:
  EventHandle() = default;
  [[nodiscard]] bool valid() const { return generation_ != 0; }

 private:
  friend class EventQueue;
  EventHandle(std::uint32_t slot, std::uint32_t generation)
      : slot_(slot), generation_(generation) {}
  std::uint32_t slot_ = 0;
  std::uint32_t generation_ = 0;  // 0 is never issued
};

// The pending-event set of a simulation.
//
// Tie rule (the only place it is defined): events are ordered by (time, sequence), where the
// sequence number is taken from a per-queue counter when the event is pushed. Events at the same
// time therefore run in the order in which they were scheduled, on every machine and run.
//
// Layout: a 4-ary min-heap of 16-byte keys (time, sequence, slot) plus a slab of actions indexed
// by slot. The heap moves only keys; actions stay put until they run. Cancellation is O(1): the
// slot is released and its key in the heap becomes stale (its sequence no longer matches the
// slot's), to be skipped when it reaches the top. Stale keys are compacted away when they
// outnumber live ones, so cancel-heavy models do not grow without bound.
//
// Sequence numbers are 32-bit to keep keys small. When the counter would wrap, the pending
// events are renumbered 1..n in their current order, so the tie rule holds for any run length.
// Handles name a slot and its generation (bumped on every reuse), so renumbering does not
// invalidate them.
class EventQueue {
 public:
  // `first_sequence` lets tests start the counter near its wrap-around point.
  explicit EventQueue(std::uint32_t first_sequence = 1) : next_seq_(first_sequence) {}

  EventHandle push(Time t, Action&& action);
  // Returns true when the event was pending and is now cancelled.
  bool cancel(EventHandle h);

  [[nodiscard]] bool empty() const { return live_ == 0; }
  [[nodiscard]] std::size_t size() const { return live_; }
  // Time of the earliest pending event; the queue must not be empty.
  [[nodiscard]] Time next_time();
  // Removes the earliest pending event and returns its time and action; must not be empty.
  std::pair<Time, Action> pop();
  // If the earliest pending event is due at or before `limit`, moves it out into (t, action)
  // and returns true; the simulator's loop, one heap inspection per event.
  bool pop_due(Time limit, Time& t, Action& action);

  // Bytes held per pending event at the current capacity (for benchmarks).
  [[nodiscard]] std::size_t bytes_reserved() const;
  // Keys in the heap, stale ones (of cancelled events) included: what compaction bounds.
  [[nodiscard]] std::size_t keys_held() const { return heap_.size(); }

 private:
  struct Key {
    Time time;
    std::uint32_t seq;
    std::uint32_t slot;
  };
  struct Slot {
    Action action;
    std::uint32_t seq = 0;         // sequence of the event occupying the slot; 0 when free
    std::uint32_t generation = 1;  // bumped whenever the slot is freed
    std::uint32_t next_free = 0;
  };

  // Written with bitwise operators so the compiler emits flag arithmetic, not branches: which
  // child of a heap node is smallest is unpredictable, and mispredictions dominated the pop.
  static bool before(const Key& a, const Key& b) {
    return static_cast<bool>(
        static_cast<int>(a.time < b.time) |
        (static_cast<int>(a.time == b.time) & static_cast<int>(a.seq < b.seq)));
  }
  [[nodiscard]] bool stale(const Key& k) const { return slots_[k.slot].seq != k.seq; }
  void sift_up(std::size_t i);
  void remove_top();
  void drop_stale_top();
  void compact();
  void renumber();
  void release(std::uint32_t slot);

  static constexpr std::size_t kArity = 4;
  static constexpr std::uint32_t kNoSlot = UINT32_MAX;

  std::vector<Key> heap_;
  std::vector<Slot> slots_;
  std::uint32_t free_head_ = kNoSlot;
  std::uint32_t next_seq_;
  std::size_t live_ = 0;
};

}  // namespace chiptrail::sim
