#pragma once

#include <coroutine>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/event_queue.hpp"
#include "sim/time.hpp"

namespace chiptrail::sim {

class Simulator;
class ProcessPromise;
using ProcessCoroutine = std::coroutine_handle<ProcessPromise>;

// Where a suspended process continues: the innermost frame (the process itself, or a Task it
// awaits) and the process it belongs to, with the process's wait number when it began to wait
// (a wake-up for an older wait is stale: the process was woken by something else meanwhile).
// It holds the process's state, not its promise: a process may finish (its frame freed) while
// a stale registration of it still sits in a signal's queue.
struct ProcessState;
struct Resumption {
  std::coroutine_handle<> leaf;
  std::shared_ptr<ProcessState> process;
  std::uint64_t wait = 0;
  std::size_t source = 0;  // which of the things it waits for this is (wait-any)
  // Whether the process still waits on this wait (a wake-up for it is not stale).
  [[nodiscard]] bool current() const;
};

// What outlives a process's coroutine frame: its name, whether it has finished, and who waits.
struct ProcessState {
  std::string name;
  bool done = false;
  ProcessPromise* promise = nullptr;  // null once done
  std::vector<Resumption> waiters;
};

// Thrown at the co_await of a process that another one interrupted (Simulator::interrupt),
// like SimPy's Interrupt: the process may catch it and go on, or let it end the process.
class Interrupted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A simulated activity written as a C++20 coroutine, in the manner of a SimPy process:
//
//   sim::Process ship(sim::Simulator& sim) {
//     co_await sim.delay(Time::days(3));   // wait for simulated time to pass
//     co_await some_signal;                // wait until another part of the model fires it
//     co_await other_process_handle;       // wait for another process to finish
//     co_await inspect(sim, lot);          // run a Task<> (sim/task.hpp) as part of this one
//   }
//   sim.spawn("ship-1", ship(sim));
//
// A Process does nothing until spawned; the Simulator then owns its frame and destroys it when
// the coroutine finishes, or when the Simulator is destroyed with the process still waiting.
class [[nodiscard]] Process {
 public:
  using promise_type = ProcessPromise;

  Process(Process&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Process& operator=(Process&& other) noexcept;
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  ~Process();

 private:
  friend class ProcessPromise;
  friend class Simulator;
  explicit Process(ProcessCoroutine h) : handle_(h) {}
  ProcessCoroutine release() { return std::exchange(handle_, {}); }
  ProcessCoroutine handle_;
};

class ProcessPromise {
 public:
  Process get_return_object() { return Process{ProcessCoroutine::from_promise(*this)}; }
  std::suspend_always initial_suspend() noexcept { return {}; }
  std::suspend_always final_suspend() noexcept { return {}; }
  void return_void() noexcept {}
  void unhandled_exception() noexcept { error_ = std::current_exception(); }

  [[nodiscard]] Simulator& simulator() const { return *sim_; }

  // Whether the process still waits on wait number `wait` (a wake-up for it is not stale).
  [[nodiscard]] bool waits_for(std::uint64_t wait) const { return waiting_ && wait == wait_; }
  // Called by awaitables as the process resumes: throws Interrupted if it was interrupted.
  void end_wait() {
    if (!interrupted_) return;
    interrupted_ = false;
    throw Interrupted("process '" + state_->name + "' interrupted");
  }
  // This process's lasting state, for Resumptions.
  [[nodiscard]] const std::shared_ptr<ProcessState>& state() const { return state_; }
  // Which source ended the last wait (wait-any), or kTimedOut.
  [[nodiscard]] std::size_t woken_by() const { return woken_by_; }
  static constexpr std::size_t kTimedOut = static_cast<std::size_t>(-1);

 private:
  friend class Simulator;
  Simulator* sim_ = nullptr;
  std::shared_ptr<ProcessState> state_;
  std::exception_ptr error_;
  // The wait it is suspended on, if any: where to resume, its number, the timer that ends it.
  bool waiting_ = false;
  bool interrupted_ = false;
  std::uint64_t wait_ = 0;
  std::size_t woken_by_ = 0;
  std::coroutine_handle<> leaf_;
  EventHandle timer_;
  // Intrusive list of the simulator's live processes, so leftover frames can be destroyed.
  ProcessPromise* prev_ = nullptr;
  ProcessPromise* next_ = nullptr;
};

inline bool Resumption::current() const {
  return process->promise != nullptr && process->promise->waits_for(wait);
}

// The process a coroutine belongs to: itself, or for a Task the process that awaits it.
inline ProcessPromise& process_of(ProcessCoroutine h) {
  return h.promise();
}
template <typename Promise>
ProcessPromise& process_of(std::coroutine_handle<Promise> h) {
  return *h.promise().process;
}

// Starts a wait of `process` suspended at `leaf`; returns its number (Simulator::begin_wait).
std::uint64_t begin_wait(std::coroutine_handle<> leaf, ProcessPromise& process);

// A reference to a spawned process: ask whether it is done, or `co_await` it from another
// process to wait until it finishes (at once if it already has).
class ProcessHandle {
 public:
  ProcessHandle() = default;
  [[nodiscard]] bool done() const { return state_ && state_->done; }
  [[nodiscard]] const std::string& name() const { return state_->name; }

  class Awaiter {
   public:
    bool await_ready() const noexcept { return !state_ || state_->done; }
    template <typename Promise>
    void await_suspend(std::coroutine_handle<Promise> waiter) {
      process_ = &process_of(waiter);
      state_->waiters.push_back({waiter, process_->state(), begin_wait(waiter, *process_), 0});
    }
    void await_resume() const {
      if (process_ != nullptr) process_->end_wait();
    }

   private:
    friend class ProcessHandle;
    explicit Awaiter(ProcessState* s) : state_(s) {}
    ProcessState* state_;
    ProcessPromise* process_ = nullptr;
  };
  Awaiter operator co_await() const { return Awaiter(state_.get()); }
  // Registers a wait on its finishing (the wait protocol of Simulator::begin_wait; wait-any).
  void add_waiter(const Resumption& r) const { state_->waiters.push_back(r); }
  // Drops registrations of waits something else ended (wait-any's losers).
  void forget_ended_waits() const {
    std::erase_if(state_->waiters, [](const Resumption& w) { return !w.current(); });
  }

 private:
  friend class Simulator;
  explicit ProcessHandle(std::shared_ptr<ProcessState> s) : state_(std::move(s)) {}
  std::shared_ptr<ProcessState> state_;
};

// Thrown on purpose to end a whole run (a guard found it too large, say), not a fault of the
// process it happens in: Simulator::run lets it through as it is, unwrapped.
class RunStopped : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown from Simulator::run when a process lets an exception escape; names the process and
// keeps the original exception for callers that want to inspect it.
class ProcessError : public std::runtime_error {
 public:
  ProcessError(const std::string& process_name, Time when, std::exception_ptr cause);
  [[nodiscard]] const std::string& process_name() const { return process_name_; }
  [[nodiscard]] std::exception_ptr cause() const { return cause_; }

 private:
  std::string process_name_;
  std::exception_ptr cause_;
};

}  // namespace chiptrail::sim
