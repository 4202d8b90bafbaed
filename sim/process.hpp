#pragma once

#include <coroutine>
#include <exception>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sim/time.hpp"

namespace chiptrail::sim {

class Simulator;
class ProcessPromise;
using ProcessCoroutine = std::coroutine_handle<ProcessPromise>;

// What outlives a process's coroutine frame: its name, whether it has finished, and who waits.
struct ProcessState {
  std::string name;
  bool done = false;
  std::vector<ProcessCoroutine> waiters;
};

// A simulated activity written as a C++20 coroutine, in the manner of a SimPy process:
//
//   sim::Process ship(sim::Simulator& sim) {
//     co_await sim.delay(Time::days(3));   // wait for simulated time to pass
//     co_await some_signal;                // wait until another part of the model fires it
//     co_await other_process_handle;       // wait for another process to finish
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

 private:
  friend class Simulator;
  Simulator* sim_ = nullptr;
  std::shared_ptr<ProcessState> state_;
  std::exception_ptr error_;
  // Intrusive list of the simulator's live processes, so leftover frames can be destroyed.
  ProcessPromise* prev_ = nullptr;
  ProcessPromise* next_ = nullptr;
};

// A reference to a spawned process: ask whether it is done, or `co_await` it from another
// process to wait until it finishes (at once if it already has).
class ProcessHandle {
 public:
  ProcessHandle() = default;
  [[nodiscard]] bool done() const { return state_ && state_->done; }
  [[nodiscard]] const std::string& name() const { return state_->name; }

  bool await_ready() const noexcept { return !state_ || state_->done; }
  void await_suspend(ProcessCoroutine waiter) const { state_->waiters.push_back(waiter); }
  void await_resume() const noexcept {}

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
