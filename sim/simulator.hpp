#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "sim/event_queue.hpp"
#include "sim/process.hpp"
#include "sim/time.hpp"

namespace chiptrail::sim {

// One discrete-event simulation: a clock, the pending events, and the processes alive in it.
// A Simulator is a plain value with no shared or global state, so any number of them can run
// side by side on different threads. It is not itself thread-safe: one thread drives one
// simulator. It is neither copyable nor movable because processes hold a pointer to it.
class Simulator {
 public:
  Simulator() = default;
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;
  ~Simulator();

  [[nodiscard]] Time now() const { return now_; }

  // Schedules an action; throws std::invalid_argument for a time in the past.
  EventHandle schedule_at(Time t, Action&& action);
  EventHandle schedule_in(Time delay, Action&& action);
  bool cancel(EventHandle h) { return queue_.cancel(h); }

  // Runs events in (time, sequence) order until none are left or stop() is called.
  void run();
  // Runs every event with time <= t, then advances the clock to t (unless stopped first).
  void run_until(Time t);
  // Makes run/run_until return after the event that is executing now.
  void stop() { stopped_ = true; }

  // Calls `check` after every `every` events (between events): a guard that may throw to end a
  // run that has grown too large (too many events, too much memory). Costs one decrement per
  // event. every = 0 removes it.
  void set_watchdog(std::uint64_t every, std::function<void()> check) {
    watchdog_every_ = every;
    watchdog_countdown_ = every;
    watchdog_ = std::move(check);
  }

  [[nodiscard]] std::size_t pending_events() const { return queue_.size(); }
  [[nodiscard]] std::uint64_t events_processed() const { return events_processed_; }
  [[nodiscard]] std::size_t live_processes() const { return live_processes_; }
  [[nodiscard]] const EventQueue& queue() const { return queue_; }

  // Starts a process: it first runs at the current time, after the events already scheduled
  // for that time (the tie rule: first scheduled, first run). SimPy differs here: it starts a
  // new process before the events already due at that time. The simulator takes ownership of
  // its frame.
  ProcessHandle spawn(std::string name, Process process);

  // Interrupts a process: the wait it is suspended on ends now (its timer cancelled, its place
  // in signals' queues given up) and the co_await throws Interrupted; a process not waiting
  // (about to run) gets it at its next wait. False when the process has already finished.
  bool interrupt(const ProcessHandle& process);

  // `co_await sim.delay(d)` inside a process (or a Task): resume after d of simulated time.
  class DelayAwaiter {
   public:
    bool await_ready() const noexcept { return false; }
    template <typename Promise>
    void await_suspend(std::coroutine_handle<Promise> h) {
      process_ = &process_of(h);
      sim_.start_delay(h, *process_, delay_);
    }
    void await_resume() const { process_->end_wait(); }

   private:
    friend class Simulator;
    DelayAwaiter(Simulator& sim, Time d) : sim_(sim), delay_(d) {}
    Simulator& sim_;
    Time delay_;
    ProcessPromise* process_ = nullptr;
  };
  [[nodiscard]] DelayAwaiter delay(Time d);

  // The wait protocol of the awaitables of this library (delays, signals, process completion,
  // wait-any): a process begins a wait, registers Resumptions with what may end it, and the
  // first wake() of that wait resumes it at the current time, through the event queue so the
  // tie rule holds; later wake-ups of the same wait are stale and ignored.
  std::uint64_t begin_wait(std::coroutine_handle<> leaf, ProcessPromise& process);
  void wake(const Resumption& r);
  // Ends the current wait of `process` after `timeout` unless something else ends it first
  // (then woken_by() is ProcessPromise::kTimedOut).
  void start_timer(ProcessPromise& process, Time timeout);
  // The hot path of every model (each delay is one), inline: no registrations, so no wait
  // number; the timer's action captures 24 bytes, stored in the event itself.
  void start_delay(std::coroutine_handle<> leaf, ProcessPromise& process, Time delay) {
    process.leaf_ = leaf;
    process.waiting_ = true;
    if (process.interrupted_) {  // interrupted before it waited: the delay ends at once
      end_wait(process, ProcessPromise::kTimedOut);
      return;
    }
    ProcessPromise* promise = &process;
    process.timer_ = queue_.push(now_ + delay, [this, leaf, promise] {
      promise->timer_ = {};  // this very event: nothing to cancel
      close_wait(*promise, ProcessPromise::kTimedOut);
      resume(leaf, *promise);
    });
  }

 private:
  // Ends the wait the process is suspended on and schedules its resumption now.
  void end_wait(ProcessPromise& process, std::size_t woken_by);
  // The one place every wait ends, whatever ends it (a wake-up, an interrupt, its timer): the
  // wait's number moves on, so every registration of it still held by a signal or a process
  // is stale (a later wait is never ended by an earlier one's signal), and its timer, if still
  // pending, is cancelled.
  void close_wait(ProcessPromise& process, std::size_t woken_by) {
    process.waiting_ = false;
    process.woken_by_ = woken_by;
    ++process.wait_;
    if (process.timer_.valid()) {
      queue_.cancel(process.timer_);
      process.timer_ = {};
    }
  }
  void resume(std::coroutine_handle<> leaf, ProcessPromise& process);
  void finish(ProcessCoroutine h);
  void unlink(ProcessPromise& p);
  void loop(Time limit);

  EventQueue queue_;
  Time now_ = Time::zero();
  bool stopped_ = false;
  bool running_ = false;
  std::uint64_t events_processed_ = 0;
  std::uint64_t watchdog_every_ = 0;
  std::uint64_t watchdog_countdown_ = 0;
  std::function<void()> watchdog_;
  ProcessPromise* processes_ = nullptr;  // head of the intrusive list of live processes
  std::size_t live_processes_ = 0;
};

}  // namespace chiptrail::sim
