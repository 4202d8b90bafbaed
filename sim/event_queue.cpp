#include "sim/event_queue.hpp"

#include <algorithm>
#include <cassert>

namespace chiptrail::sim {

namespace {

// Offsets between times are taken in unsigned arithmetic: a span may exceed int64's range.
std::uint64_t offset(Time::Rep from, Time::Rep to) {
  return static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from);
}

}  // namespace

std::size_t EventQueue::Rung::index(Time t) const {
  return static_cast<std::size_t>(
      std::min<std::uint64_t>(offset(start, t.count()) / width, count - 1));
}

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
  place(Key{t, seq, slot});
  ++keys_;
  ++live_;
  return EventHandle{slot, s.generation};
}

void EventQueue::place(const Key& k) {
  const Time::Rep t = k.time.count();
  if (t <= bottom_last_) {
    heap_.push_back(k);
    sift_up(heap_.size() - 1);
    return;
  }
  for (std::size_t r = rungs_in_use_; r-- > 0;) {  // deepest (earliest) rung first
    Rung& rung = rungs_[r];
    if (t <= rung.last) {
      rung.buckets[rung.index(k.time)].push_back(k);
      return;
    }
  }
  top_.push_back(k);
}

bool EventQueue::cancel(EventHandle h) {
  if (!h.valid() || h.slot_ >= slots_.size()) return false;
  Slot& s = slots_[h.slot_];
  if (s.seq == 0 || s.generation != h.generation_) return false;
  s.action = nullptr;
  release(h.slot_);
  if (keys_ > 64 && keys_ > 2 * live_) compact();
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
  [[maybe_unused]] const bool any = surface();
  assert(any);
  return heap_.front().time;
}

std::pair<Time, Action> EventQueue::pop() {
  std::pair<Time, Action> out;
  [[maybe_unused]] const bool popped = pop_due(Time::max(), out.first, out.second);
  assert(popped);
  return out;
}

bool EventQueue::pop_due(Time limit, Time& t, Action& action) {
  if (!surface() || heap_.front().time > limit) return false;
  const Key top = heap_.front();
  remove_top();
  --keys_;
  // The next event's action is far away in the slab when many are pending: start fetching it
  // while this one runs.
  if (!heap_.empty()) __builtin_prefetch(&slots_[heap_.front().slot]);
  t = top.time;
  action = std::move(slots_[top.slot].action);
  release(top.slot);
  return true;
}

bool EventQueue::surface() {
  for (;;) {
    while (!heap_.empty() && stale(heap_.front())) {
      remove_top();
      --keys_;
    }
    if (!heap_.empty()) return true;
    if (!refill()) return false;
  }
}

// The heap is empty: hand it the next non-empty bucket of the deepest rung, splitting large
// buckets into deeper rungs, and start a ladder from the top when every rung is used up.
bool EventQueue::refill() {
  for (;;) {
    if (rungs_in_use_ == 0) {
      if (top_.empty()) return false;
      const auto [lo, hi] = std::minmax_element(
          top_.begin(), top_.end(), [](const Key& a, const Key& b) { return a.time < b.time; });
      const Time::Rep first = lo->time.count();
      const Time::Rep last = hi->time.count();
      if (top_.size() > kSplitAbove && first != last) {
        add_rung(top_, first, last, last);
      } else {
        heapify_into_bottom(top_, last);
      }
      top_.clear();
      if (!heap_.empty()) return true;
      continue;
    }
    Rung& rung = rungs_[rungs_in_use_ - 1];
    while (rung.next < rung.count && rung.buckets[rung.next].empty()) ++rung.next;
    if (rung.next == rung.count) {
      bottom_last_ = rung.last;
      --rungs_in_use_;
      continue;
    }
    const std::size_t b = rung.next++;
    // The bucket's last time, start + (b + 1) * width - 1, capped at the rung's last.
    Time::Rep bucket_last = rung.last;
    std::uint64_t end_offset = 0;
    if (b + 1 < rung.count && !__builtin_mul_overflow(b + 1, rung.width, &end_offset) &&
        end_offset - 1 < offset(rung.start, rung.last)) {
      bucket_last = static_cast<Time::Rep>(static_cast<std::uint64_t>(rung.start) + end_offset - 1);
    }
    std::vector<Key>& bucket = rung.buckets[b];
    const auto [lo, hi] = std::minmax_element(
        bucket.begin(), bucket.end(), [](const Key& x, const Key& y) { return x.time < y.time; });
    const Time::Rep first = lo->time.count();
    const Time::Rep last = hi->time.count();
    if (bucket.size() > kSplitAbove && first != last && rungs_in_use_ < kMaxRungs) {
      add_rung(bucket, first, last, bucket_last);
    } else {
      heapify_into_bottom(bucket, bucket_last);
    }
    bucket.clear();
    if (!heap_.empty()) return true;  // else every key in it was stale: go on
  }
}

void EventQueue::add_rung(std::vector<Key>& keys, Time::Rep lo, Time::Rep hi, Time::Rep last) {
  if (rungs_in_use_ == rungs_.size()) rungs_.emplace_back();
  Rung& rung = rungs_[rungs_in_use_++];
  const std::uint64_t span = offset(lo, hi);
  std::size_t count = std::max<std::size_t>(1, keys.size() / kBucketKeys);
  if (span < count - 1) count = static_cast<std::size_t>(span) + 1;  // a bucket per tick at most
  rung.start = lo;
  rung.last = last;
  rung.width = span / count + 1;  // so that count * width > span: every key has a bucket
  rung.next = 0;
  rung.count = count;
  if (rung.buckets.size() < count) rung.buckets.resize(count);
  bottom_last_ = lo - 1;  // lo > bottom_last_: nothing pending lies between them
  for (const Key& k : keys) {
    if (stale(k)) {
      --keys_;
    } else {
      rung.buckets[rung.index(k.time)].push_back(k);
    }
  }
}

void EventQueue::heapify_into_bottom(std::vector<Key>& keys, Time::Rep last) {
  bottom_last_ = last;
  for (const Key& k : keys) {
    if (stale(k)) {
      --keys_;
      continue;
    }
    heap_.push_back(k);
    sift_up(heap_.size() - 1);
  }
}

std::size_t EventQueue::bytes_reserved() const {
  if (live_ == 0) return 0;
  std::size_t keys = heap_.capacity() + top_.capacity();
  for (const Rung& rung : rungs_) {
    for (const std::vector<Key>& bucket : rung.buckets) keys += bucket.capacity();
  }
  return (keys * sizeof(Key) + slots_.capacity() * sizeof(Slot)) / live_;
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

void EventQueue::compact() {
  const auto drop_stale = [this](std::vector<Key>& keys) {
    std::erase_if(keys, [this](const Key& k) { return stale(k); });
  };
  drop_stale(heap_);
  // Re-heapify; any valid heap works since (time, seq) is a strict total order.
  for (std::size_t i = 1; i < heap_.size(); ++i) sift_up(i);
  for (std::size_t r = 0; r < rungs_in_use_; ++r) {
    Rung& rung = rungs_[r];
    for (std::size_t b = rung.next; b < rung.count; ++b) drop_stale(rung.buckets[b]);
  }
  drop_stale(top_);
  keys_ = live_;
}

// Every key goes back into the heap in (time, sequence) order, renumbered 1..n; the ladder
// starts afresh above the latest of them.
void EventQueue::renumber() {
  compact();
  for (std::size_t r = 0; r < rungs_in_use_; ++r) {
    Rung& rung = rungs_[r];
    for (std::size_t b = rung.next; b < rung.count; ++b) {
      heap_.insert(heap_.end(), rung.buckets[b].begin(), rung.buckets[b].end());
      rung.buckets[b].clear();
    }
  }
  rungs_in_use_ = 0;
  heap_.insert(heap_.end(), top_.begin(), top_.end());
  top_.clear();
  std::sort(heap_.begin(), heap_.end(), before);  // a sorted array is a valid heap
  std::uint32_t seq = 1;
  for (Key& k : heap_) {
    k.seq = seq++;
    slots_[k.slot].seq = k.seq;
  }
  if (!heap_.empty()) bottom_last_ = std::max(bottom_last_, heap_.back().time.count());
  next_seq_ = seq;
}

}  // namespace chiptrail::sim
