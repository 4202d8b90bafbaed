#include "sim/event_queue.hpp"

#include <doctest/doctest.h>

#include <array>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "sim/random_stream.hpp"
#include "sim/sampling.hpp"

using chiptrail::sim::EventHandle;
using chiptrail::sim::EventQueue;
using chiptrail::sim::Time;

namespace {
void drain(EventQueue& q) {
  while (!q.empty()) q.pop().second();
}
}  // namespace

TEST_CASE("events pop in time order, ties in the order they were pushed") {
  EventQueue q;
  std::vector<int> order;
  auto record = [&order](int id) { return [&order, id] { order.push_back(id); }; };
  q.push(Time::seconds(5), record(1));
  q.push(Time::seconds(1), record(2));
  q.push(Time::seconds(5), record(3));
  q.push(Time::seconds(3), record(4));
  q.push(Time::seconds(1), record(5));
  q.push(Time::seconds(5), record(6));
  drain(q);
  CHECK(order == std::vector<int>{2, 5, 4, 1, 3, 6});
}

TEST_CASE("the tie rule holds for many events at one time, interleaved with others") {
  EventQueue q;
  std::vector<int> order;
  for (int i = 0; i < 1000; ++i) {
    const Time t = Time::seconds(i % 3 == 0 ? 7 : 1000 - i);
    q.push(t, [&order, i] { order.push_back(i); });
  }
  std::vector<int> at_seven;
  while (!q.empty()) {
    const Time t = q.next_time();
    const std::size_t before = order.size();
    q.pop().second();
    if (t == Time::seconds(7)) at_seven.push_back(order[before]);
  }
  REQUIRE(at_seven.size() == 334);
  for (std::size_t k = 0; k < at_seven.size(); ++k) CHECK(at_seven[k] == static_cast<int>(3 * k));
}

TEST_CASE("a random workload pops in non-decreasing (time, push order)") {
  EventQueue q;
  chiptrail::sim::RandomStream rs({42, 0, 0, 0});
  std::vector<std::pair<std::int64_t, int>> popped;
  int pushed = 0;
  for (int round = 0; round < 20000; ++round) {
    if (q.empty() || rs.uniform01() < 0.55) {
      const auto t = static_cast<std::int64_t>(rs.uniform01() * 50);  // many ties
      const int id = pushed++;
      q.push(Time::seconds(t), [&popped, t, id] { popped.emplace_back(t, id); });
    } else {
      q.pop().second();
    }
  }
  // Within one drain, pops must be ordered; across interleaved pushes ordering is by key only,
  // so check the final drain, which sees a fixed set.
  popped.clear();
  while (!q.empty()) q.pop().second();
  for (std::size_t i = 1; i < popped.size(); ++i) CHECK(popped[i - 1] < popped[i]);
}

TEST_CASE("cancelled events never run; cancel reports whether the event was pending") {
  EventQueue q;
  std::vector<int> order;
  q.push(Time::seconds(1), [&] { order.push_back(1); });
  EventHandle h = q.push(Time::seconds(2), [&] { order.push_back(2); });
  q.push(Time::seconds(3), [&] { order.push_back(3); });
  CHECK(q.size() == 3);
  CHECK(q.cancel(h));
  CHECK_FALSE(q.cancel(h));
  CHECK_FALSE(q.cancel(EventHandle{}));
  CHECK(q.size() == 2);
  // The freed slot is reused; the stale handle must not cancel its new occupant.
  q.push(Time::seconds(4), [&] { order.push_back(4); });
  CHECK_FALSE(q.cancel(h));
  drain(q);
  CHECK(order == std::vector<int>{1, 3, 4});
}

TEST_CASE("cancelling the earliest event exposes the next one") {
  EventQueue q;
  EventHandle first = q.push(Time::seconds(1), [] {});
  q.push(Time::seconds(9), [] {});
  q.cancel(first);
  CHECK(q.next_time() == Time::seconds(9));
}

TEST_CASE("heavy cancellation compacts the heap and keeps order") {
  EventQueue q;
  std::vector<EventHandle> handles;
  std::vector<int> order;
  for (int i = 0; i < 10000; ++i) {
    handles.push_back(q.push(Time::seconds(10000 - i), [&order, i] { order.push_back(i); }));
  }
  for (int i = 0; i < 10000; ++i) {
    if (i % 10 != 0) CHECK(q.cancel(handles[static_cast<std::size_t>(i)]));
  }
  CHECK(q.size() == 1000);
  // 9,000 cancelled keys would still be in a heap that never compacts.
  CHECK(q.keys_held() <= 2 * q.size());
  CHECK(q.bytes_reserved() > 0);
  drain(q);
  REQUIRE(order.size() == 1000);
  for (std::size_t k = 0; k < order.size(); ++k) {
    CHECK(order[k] == static_cast<int>(9990 - 10 * k));
  }
}

TEST_CASE("the tie rule and cancellation survive the sequence counter wrapping") {
  EventQueue q(UINT32_MAX - 5);  // six pushes before the wrap
  std::vector<int> order;
  std::vector<EventHandle> handles;
  for (int i = 0; i < 20; ++i) {
    handles.push_back(q.push(Time::seconds(i % 2), [&order, i] { order.push_back(i); }));
  }
  CHECK(q.cancel(handles[4]));   // issued before the wrap
  CHECK(q.cancel(handles[15]));  // after it
  CHECK_FALSE(q.cancel(handles[4]));
  drain(q);
  CHECK(order == std::vector<int>{0, 2, 6, 8, 10, 12, 14, 16, 18, 1, 3, 5, 7, 9, 11, 13, 17, 19});
}

TEST_CASE("actions hold trivial, non-trivial, large and move-only callables") {
  using chiptrail::sim::Action;
  int calls = 0;
  Action small = [&calls] { ++calls; };
  auto shared = std::make_shared<int>(0);
  Action counted = [shared] { ++*shared; };  // non-trivial: must be moved, then destroyed
  CHECK(shared.use_count() == 2);
  std::array<std::int64_t, 16> big{};
  big[15] = 7;
  Action large = [big, &calls] { calls += static_cast<int>(big[15]); };  // stored on the heap
  auto owned = std::make_unique<int>(5);
  Action move_only = [p = std::move(owned), &calls] { calls += *p; };

  Action moved = std::move(counted);
  CHECK_FALSE(static_cast<bool>(counted));
  moved();
  CHECK(*shared == 1);
  small();
  large();
  Action large_moved = std::move(large);
  large_moved();
  move_only();
  CHECK(calls == 1 + 7 + 7 + 5);
  moved = nullptr;
  CHECK(shared.use_count() == 1);
}

TEST_CASE("model-based: pushes, pops, pop_due and cancels interleaved agree with an ordered set") {
  // The oracle: a std::set of (time, push number, id), whose order is the tie rule by
  // definition. Every operation is applied to both; every pop must give the oracle's first.
  // Run near the sequence counter's wrap too, so renumbering is exercised mid-workload.
  for (const std::uint32_t first : {1U, UINT32_MAX - 3000U}) {
    CAPTURE(first);
    EventQueue q(first);
    std::set<std::tuple<std::int64_t, std::uint64_t, int>> oracle;
    std::map<int, std::pair<EventHandle, std::tuple<std::int64_t, std::uint64_t, int>>> live;
    chiptrail::sim::RandomStream rs({11, first, 1, 2});
    int popped_id = -1;
    std::uint64_t pushes = 0;
    int next_id = 0;
    for (int step = 0; step < 60000; ++step) {
      const double u = rs.uniform01();
      if (u < 0.5 || oracle.empty()) {
        // Few distinct times, so ties are common.
        const auto t = static_cast<std::int64_t>(rs.uniform01() * 50);
        const int id = next_id++;
        const auto key = std::tuple{t, pushes++, id};
        live[id] = {q.push(Time::seconds(t), [&popped_id, id] { popped_id = id; }), key};
        oracle.insert(key);
      } else if (u < 0.75) {
        // Cancel a live event (the oldest-numbered one at a random offset), or a stale one.
        auto it = live.lower_bound(static_cast<int>(rs.uniform01() * next_id));
        if (it == live.end()) it = live.begin();
        CHECK(q.cancel(it->second.first));
        oracle.erase(it->second.second);
        const EventHandle stale = it->second.first;
        live.erase(it);
        CHECK_FALSE(q.cancel(stale));  // a second cancel is a no-op
      } else if (u < 0.9) {
        const auto expected = *oracle.begin();
        REQUIRE(q.next_time() == Time::seconds(std::get<0>(expected)));
        auto [t, action] = q.pop();
        action();
        REQUIRE(popped_id == std::get<2>(expected));
        oracle.erase(oracle.begin());
        live.erase(popped_id);
      } else {
        // pop_due with a limit that may or may not reach the earliest event.
        const auto limit = static_cast<std::int64_t>(rs.uniform01() * 50);
        Time t;
        chiptrail::sim::Action action;
        const bool due = std::get<0>(*oracle.begin()) <= limit;
        REQUIRE(q.pop_due(Time::seconds(limit), t, action) == due);
        if (due) {
          action();
          REQUIRE(popped_id == std::get<2>(*oracle.begin()));
          oracle.erase(oracle.begin());
          live.erase(popped_id);
        }
      }
      REQUIRE(q.size() == oracle.size());
    }
    while (!oracle.empty()) {
      q.pop().second();
      REQUIRE(popped_id == std::get<2>(*oracle.begin()));
      oracle.erase(oracle.begin());
    }
    CHECK(q.empty());
  }
}

TEST_CASE("model-based: a large simulation-like workload through the ladder agrees with a set") {
  // Thousands pending, so keys pass through rungs, deeper rungs and the top: delays drawn from
  // a mix (exponential at two scales, a burst at one instant, the end of time and just before
  // it, the current time), cancellations, and pops that advance a clock as a simulator would.
  EventQueue q;
  std::set<std::tuple<std::int64_t, std::uint64_t, int>> oracle;
  std::vector<std::pair<EventHandle, std::tuple<std::int64_t, std::uint64_t, int>>> handles;
  chiptrail::sim::RandomStream rs({12, 0, 1, 2});
  int popped_id = -1;
  std::uint64_t pushes = 0;
  std::int64_t now = 0;
  const auto push = [&](std::int64_t t) {
    const int id = static_cast<int>(handles.size());
    const auto key = std::tuple{t, pushes++, id};
    handles.emplace_back(q.push(Time::ticks(t), [&popped_id, id] { popped_id = id; }), key);
    oracle.insert(key);
  };
  const auto delay = [&]() -> std::int64_t {
    const double kind = rs.uniform01();
    if (kind < 0.4) return static_cast<std::int64_t>(chiptrail::sim::exponential(rs, 1000.0));
    if (kind < 0.7) return static_cast<std::int64_t>(chiptrail::sim::exponential(rs, 1e6));
    if (kind < 0.85) return 86400 - now % 86400;  // the next midnight: many share it
    if (kind < 0.9) return 0;
    if (kind < 0.95) return Time::kMax - now;  // the end of time
    return Time::kMax - now - 1 - static_cast<std::int64_t>(rs.uniform01() * 3);
  };
  for (int i = 0; i < 5000; ++i) push(delay());
  for (int step = 0; step < 200000; ++step) {
    const double u = rs.uniform01();
    if (u < 0.5) {
      push(now + delay());
    } else if (u < 0.6) {
      auto& [handle, key] =
          handles[static_cast<std::size_t>(rs.uniform01() * static_cast<double>(handles.size()))];
      REQUIRE(q.cancel(handle) == (oracle.erase(key) == 1));
    } else if (!oracle.empty()) {
      const auto expected = *oracle.begin();
      Time t;
      chiptrail::sim::Action action;
      REQUIRE(q.pop_due(Time::max(), t, action));
      action();
      REQUIRE(popped_id == std::get<2>(expected));
      REQUIRE(t.count() == std::get<0>(expected));
      now = t.count() == Time::kMax ? now : t.count();
      oracle.erase(oracle.begin());
    }
    REQUIRE(q.size() == oracle.size());
    REQUIRE(q.keys_held() <= std::max<std::size_t>(64, 2 * q.size()) + 1);
  }
  while (!oracle.empty()) {
    q.pop().second();
    REQUIRE(popped_id == std::get<2>(*oracle.begin()));
    oracle.erase(oracle.begin());
  }
  CHECK(q.empty());
}
