#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "sim/process.hpp"
#include "sim/signal.hpp"
#include "sim/simulator.hpp"

namespace chiptrail::sim {

// `co_await WaitAny(sim, {&a, &b}, {handle}, timeout)`: waits until the first of some signals
// fires or some processes finish, or the timeout passes, and returns which: the index of the
// signal, or signals.size() + the index of the process, or ProcessPromise::kTimedOut. Instead
// of polling (waking every so often to look): the process sleeps until something happens.
// Signals and processes that end the wait later are ignored (they do not wake it again).
class WaitAny {
 public:
  WaitAny(Simulator& sim, std::vector<Signal*> signals, std::vector<ProcessHandle> processes = {},
          std::optional<Time> timeout = std::nullopt)
      : sim_(sim),
        signals_(std::move(signals)),
        processes_(std::move(processes)),
        timeout_(timeout) {}

  bool await_ready() {
    for (std::size_t i = 0; i < processes_.size(); ++i) {
      if (processes_[i].done()) {
        ready_ = signals_.size() + i;
        return true;
      }
    }
    return false;
  }
  template <typename Promise>
  void await_suspend(std::coroutine_handle<Promise> h) {
    process_ = &process_of(h);
    const std::uint64_t wait = sim_.begin_wait(h, *process_);
    if (!process_->waits_for(wait)) return;  // interrupted already
    for (std::size_t i = 0; i < signals_.size(); ++i) {
      signals_[i]->add({h, process_->state(), wait, i});
    }
    for (std::size_t i = 0; i < processes_.size(); ++i) {
      processes_[i].add_waiter({h, process_->state(), wait, signals_.size() + i});
    }
    if (timeout_) sim_.start_timer(*process_, *timeout_);
  }
  // Whatever ended the wait, the others' registrations of it go (the losers are cancelled).
  std::size_t await_resume() const {
    if (ready_) return *ready_;
    for (Signal* s : signals_) s->forget_ended();
    for (const ProcessHandle& p : processes_) p.forget_ended_waits();
    process_->end_wait();
    return process_->woken_by();
  }

 private:
  Simulator& sim_;
  std::vector<Signal*> signals_;
  std::vector<ProcessHandle> processes_;
  std::optional<Time> timeout_;
  std::optional<std::size_t> ready_;
  ProcessPromise* process_ = nullptr;
};

}  // namespace chiptrail::sim
