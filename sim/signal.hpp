#pragma once

#include <cstddef>
#include <vector>

#include "sim/simulator.hpp"

namespace chiptrail::sim {

// A condition that processes wait for and another part of the model announces: `co_await
// signal;` suspends until the next fire(). Firing wakes every process waiting at that moment,
// in the order they began to wait, at the current time; later waiters wait for the next fire.
class Signal {
 public:
  explicit Signal(Simulator& sim) : sim_(sim) {}
  Signal(const Signal&) = delete;
  Signal& operator=(const Signal&) = delete;

  void fire() {
    std::vector<ProcessCoroutine> woken;
    woken.swap(waiters_);
    for (ProcessCoroutine h : woken) sim_.wake(h);
  }
  [[nodiscard]] std::size_t waiting() const { return waiters_.size(); }

  bool await_ready() const noexcept { return false; }
  void await_suspend(ProcessCoroutine h) { waiters_.push_back(h); }
  void await_resume() const noexcept {}

 private:
  Simulator& sim_;
  std::vector<ProcessCoroutine> waiters_;
};

}  // namespace chiptrail::sim
