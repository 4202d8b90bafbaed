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
// Layout: 16-byte keys (time, sequence, slot) plus a slab of actions indexed by slot; only keys
// move, actions stay put until they run. The keys live in three tiers, split by time so that
// every key of a lower tier is earlier than every key of a higher one (equal times always share
// a tier):
//   - the bottom, a 4-ary min-heap holding the keys due up to `bottom_last_`;
//   - a ladder of rungs, each an array of time buckets (unsorted), a deeper rung splitting one
//     bucket of the rung above it — the ladder queue of Tang, Goh and Thng (ACM TOMACS 2005);
//   - the top, an unsorted array of keys later than every rung.
// A push appends to the bucket or the top that covers its time (O(1)) unless it falls in the
// bottom's range. When the bottom runs dry, the next non-empty bucket is heapified into it, or
// split into a deeper rung when it is large and its times differ; when the ladder runs dry, the
// top becomes its first rung. Each key is thus moved a bounded number of times and the heap
// stays small (tens of keys), so a pop costs O(1) amortised where a single heap costs
// O(log n): the hold benchmark's lever at 10^5 pending events. A bucket whose keys share one
// time goes to the heap whole, which then orders it by sequence; a hostile workload can only
// degrade the queue to one heap.
//
// Cancellation is O(1): the slot is released and its key becomes stale (its sequence no longer
// matches the slot's), to be skipped when it surfaces. Stale keys are compacted away when they
// outnumber live ones, so cancel-heavy models do not grow without bound.
//
// Sequence numbers are 32-bit to keep keys small. When the counter would wrap, the pending
// events are renumbered 1..n in their current order, so the tie rule holds for any run length.
// Handles name a slot and its generation (bumped on every reuse), so renumbering does not
// invalidate them.
class EventQueue {
 public:
  // `first_sequence` lets tests start the counter near its wrap-around point.
  explicit EventQueue(std::uint32_t first_sequence = 1) : next_seq_(first_sequence) {
    rungs_.reserve(kMaxRungs);  // refill holds references into it while adding a rung
  }

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
  // Keys held in all tiers, stale ones (of cancelled events) included: what compaction bounds.
  [[nodiscard]] std::size_t keys_held() const { return keys_; }

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
  // An array of time buckets: bucket i holds the keys with start + i*width <= time, up to
  // `last` (inclusive, so that no bound overflows at the end of time).
  struct Rung {
    Time::Rep start = 0;
    Time::Rep last = 0;
    std::uint64_t width = 1;
    std::size_t next = 0;   // the first bucket not yet handed down
    std::size_t count = 0;  // buckets in use (the vector keeps more, with their capacity)
    std::vector<std::vector<Key>> buckets;
    [[nodiscard]] std::size_t index(Time t) const;
  };

  [[nodiscard]] bool stale(const Key& k) const { return slots_[k.slot].seq != k.seq; }
  void place(const Key& k);
  void sift_up(std::size_t i);
  void remove_top();
  // Makes the heap's front the earliest live key, refilling the heap from the ladder; false
  // when nothing is pending.
  bool surface();
  bool refill();
  // Spreads `keys` (times in [lo, hi]) over a new rung below the active ones, which takes
  // every later push due up to `last`.
  void add_rung(std::vector<Key>& keys, Time::Rep lo, Time::Rep hi, Time::Rep last);
  void heapify_into_bottom(std::vector<Key>& keys, Time::Rep last);
  void compact();
  void renumber();
  void release(std::uint32_t slot);

  static constexpr std::size_t kArity = 4;
  static constexpr std::uint32_t kNoSlot = UINT32_MAX;
  // Buckets are sized to hold about this many keys; a bucket larger than kSplitAbove is split
  // into a deeper rung (at most kMaxRungs deep) rather than heapified.
  static constexpr std::size_t kBucketKeys = 8;
  static constexpr std::size_t kSplitAbove = 32;
  static constexpr std::size_t kMaxRungs = 8;

  std::vector<Key> heap_;
  Time::Rep bottom_last_ = Time::kMin;  // the heap holds every key due at or before this
  std::vector<Rung> rungs_;             // kept with their buckets' capacity; rungs_in_use_ active
  std::size_t rungs_in_use_ = 0;
  std::vector<Key> top_;
  std::size_t keys_ = 0;
  std::vector<Slot> slots_;
  std::uint32_t free_head_ = kNoSlot;
  std::uint32_t next_seq_;
  std::size_t live_ = 0;
};

}  // namespace chiptrail::sim
