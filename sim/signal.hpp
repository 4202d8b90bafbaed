#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include "sim/simulator.hpp"

namespace chiptrail::sim {

// A condition that processes wait for and another part of the model announces: `co_await
// signal;` suspends until the next fire(). Firing wakes every process waiting at that moment,
// in the order they began to wait, at the current time; later waiters wait for the next fire.
// `co_await signal.wait_for(t)` gives up after t and says whether the signal fired.
class Signal {
 public:
  explicit Signal(Simulator& sim) : sim_(sim) {}
  Signal(const Signal&) = delete;
  Signal& operator=(const Signal&) = delete;

  void fire() {
    std::vector<Resumption> woken;
    woken.swap(waiters_);
    for (const Resumption& r : woken) sim_.wake(r);
  }
  // Processes waiting for it now (not those whose wait something else ended).
  [[nodiscard]] std::size_t waiting() const {
    return static_cast<std::size_t>(std::count_if(waiters_.begin(), waiters_.end(),
                                                  [](const Resumption& r) { return r.current(); }));
  }
  // Registers a wait (the wait protocol of Simulator::begin_wait); used by wait-any.
  void add(const Resumption& r) {
    forget_ended();
    waiters_.push_back(r);
  }
  // Drops the registrations of waits something else ended (a timeout, another signal of a
  // wait-any, an interrupt): they could wake nothing, but would be kept until the next fire.
  void forget_ended() {
    std::erase_if(waiters_, [](const Resumption& w) { return !w.current(); });
  }
  // Registrations held, ended waits included (for tests).
  [[nodiscard]] std::size_t registrations() const { return waiters_.size(); }

  class Awaiter {
   public:
    bool await_ready() const noexcept { return false; }
    template <typename Promise>
    void await_suspend(std::coroutine_handle<Promise> h) {
      process_ = &process_of(h);
      signal_.add({h, process_->state(), signal_.sim_.begin_wait(h, *process_), 0});
    }
    void await_resume() const { process_->end_wait(); }

   private:
    friend class Signal;
    explicit Awaiter(Signal& s) : signal_(s) {}
    Signal& signal_;
    ProcessPromise* process_ = nullptr;
  };
  Awaiter operator co_await() { return Awaiter(*this); }

  class WaitFor {
   public:
    bool await_ready() const noexcept { return false; }
    template <typename Promise>
    void await_suspend(std::coroutine_handle<Promise> h) {
      process_ = &process_of(h);
      const std::uint64_t wait = signal_.sim_.begin_wait(h, *process_);
      if (!process_->waits_for(wait)) return;  // interrupted already
      signal_.add({h, process_->state(), wait, 0});
      signal_.sim_.start_timer(*process_, timeout_);
    }
    // True when the signal fired, false when the time ran out (or an interrupt came).
    bool await_resume() const {
      signal_.forget_ended();
      process_->end_wait();
      return process_->woken_by() != ProcessPromise::kTimedOut;
    }

   private:
    friend class Signal;
    WaitFor(Signal& s, Time t) : signal_(s), timeout_(t) {}
    Signal& signal_;
    Time timeout_;
    ProcessPromise* process_ = nullptr;
  };
  [[nodiscard]] WaitFor wait_for(Time timeout) { return WaitFor(*this, timeout); }

 private:
  Simulator& sim_;
  std::vector<Resumption> waiters_;
};

}  // namespace chiptrail::sim
