#include "sim/event_queue.hpp"

#include <algorithm>
#include <cassert>

namespace chiptrail::sim {

EventHandle EventQueue::push(Time t, Action&& action) {
  std::uint32_t slot;
  if (free_head_ != kNoSlot) {
    slot = free_head_;
    free_head_ = slots_[slot].next_free;
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  if (next_seq_ == 0) renumber();  // the counter wrapped
  const std::uint32_t seq = next_seq_++;
  Slot& s = slots_[slot];
  s.action = std::move(action);
  s.seq = seq;
  heap_.push_back(Key{t, seq, slot});
  sift_up(heap_.size() - 1);
  ++live_;
  return EventHandle{slot, s.generation};
}

bool EventQueue::cancel(EventHandle h) {
  if (!h.valid() || h.slot_ >= slots_.size()) return false;
  Slot& s = slots_[h.slot_];
  if (s.seq == 0 || s.generation != h.generation_) return false;
  s.action = nullptr;
  release(h.slot_);
  if (heap_.size() > 64 && heap_.size() > 2 * live_) compact();
  return true;
}

void EventQueue::release(std::uint32_t slot) {
  Slot& s = slots_[slot];
  s.seq = 0;
  s.generation = s.generation == UINT32_MAX ? 1 : s.generation + 1;
  s.next_free = free_head_;
  free_head_ = slot;
  --live_;
}

Time EventQueue::next_time() {
  drop_stale_top();
  assert(!heap_.empty());
  return heap_.front().time;
}

std::pair<Time, Action> EventQueue::pop() {
  std::pair<Time, Action> out;
  [[maybe_unused]] const bool popped = pop_due(Time::max(), out.first, out.second);
  assert(popped);
  return out;
}

bool EventQueue::pop_due(Time limit, Time& t, Action& action) {
  drop_stale_top();
  if (heap_.empty() || heap_.front().time > limit) return false;
  const Key top = heap_.front();
  remove_top();
  t = top.time;
  action = std::move(slots_[top.slot].action);
  release(top.slot);
  return true;
}

std::size_t EventQueue::bytes_reserved() const {
  if (live_ == 0) return 0;
  return (heap_.capacity() * sizeof(Key) + slots_.capacity() * sizeof(Slot)) / live_;
}

void EventQueue::sift_up(std::size_t i) {
  const Key moving = heap_[i];
  while (i > 0) {
    const std::size_t parent = (i - 1) / kArity;
    if (!before(moving, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = moving;
}

// Removes the root: the hole left at the top sinks along smallest children to a leaf, then the
// last key fills it and rises (Floyd's bottom-up variant, fewer comparisons than sift-down).
void EventQueue::remove_top() {
  const Key last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return;
  std::size_t hole = 0;
  for (;;) {
    const std::size_t first = hole * kArity + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t end = first + kArity < n ? first + kArity : n;
    for (std::size_t c = first + 1; c < end; ++c) {
      best = before(heap_[c], heap_[best]) ? c : best;
    }
    heap_[hole] = heap_[best];
    hole = best;
  }
  heap_[hole] = last;
  sift_up(hole);
}

void EventQueue::drop_stale_top() {
  while (!heap_.empty() && stale(heap_.front())) remove_top();
}

void EventQueue::compact() {
  std::size_t kept = 0;
  for (const Key& k : heap_) {
    if (!stale(k)) heap_[kept++] = k;
  }
  heap_.resize(kept);
  // Re-heapify; any valid heap works since (time, seq) is a strict total order.
  for (std::size_t i = 1; i < heap_.size(); ++i) sift_up(i);
}

void EventQueue::renumber() {
  compact();
  std::sort(heap_.begin(), heap_.end(), before);  // a sorted array is a valid heap
  std::uint32_t seq = 1;
  for (Key& k : heap_) {
    k.seq = seq++;
    slots_[k.slot].seq = k.seq;
  }
  next_seq_ = seq;
}

}  // namespace chiptrail::sim
