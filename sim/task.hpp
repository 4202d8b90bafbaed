#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

#include "sim/process.hpp"

namespace chiptrail::sim {

// A sub-coroutine a process awaits, like a function call that may take simulated time:
//
//   sim::Task<bool> inspect(sim::Simulator& sim, Lot lot) {
//     co_await sim.delay(Time::hours(2));     // the awaiting process waits
//     co_return lot.chips > 100;
//   }
//   ... inside a process:  const bool found = co_await inspect(sim, lot);
//
// It runs inside the awaiting process, which it suspends and resumes: no new process, no
// ProcessState, one coroutine frame. It starts when awaited (lazily; a Task never awaited
// does nothing) and an exception it lets escape is rethrown at the co_await.
template <typename T = void>
class Task;

namespace task_detail {

struct PromiseBase {
  std::coroutine_handle<> continuation;  // the coroutine that awaits this one
  ProcessPromise* process = nullptr;     // the process it runs in (process_of)
  std::exception_ptr error;

  std::suspend_always initial_suspend() noexcept { return {}; }
  struct Final {
    bool await_ready() const noexcept { return false; }
    template <typename Promise>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> h) const noexcept {
      return h.promise().continuation;  // back to the awaiting coroutine, at once
    }
    void await_resume() const noexcept {}
  };
  Final final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { error = std::current_exception(); }
};

template <typename T>
struct Promise : PromiseBase {
  std::optional<T> value;
  Task<T> get_return_object();
  template <typename U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
};

template <>
struct Promise<void> : PromiseBase {
  Task<void> get_return_object();
  void return_void() noexcept {}
};

}  // namespace task_detail

template <typename T>
class [[nodiscard]] Task {
 public:
  using promise_type = task_detail::Promise<T>;
  using Handle = std::coroutine_handle<promise_type>;

  Task(Task&& other) noexcept : handle_(std::exchange(other.handle_, {})) {}
  Task& operator=(Task&&) = delete;
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (handle_) handle_.destroy();
  }

  bool await_ready() const noexcept { return false; }
  template <typename Awaiting>
  std::coroutine_handle<> await_suspend(std::coroutine_handle<Awaiting> awaiting) {
    handle_.promise().continuation = awaiting;
    handle_.promise().process = &process_of(awaiting);
    return handle_;  // start the task now, in the same event
  }
  T await_resume() {
    if (handle_.promise().error) std::rethrow_exception(handle_.promise().error);
    if constexpr (!std::is_void_v<T>) return std::move(*handle_.promise().value);
  }

 private:
  friend promise_type;
  explicit Task(Handle h) : handle_(h) {}
  Handle handle_;
};

namespace task_detail {

template <typename T>
Task<T> Promise<T>::get_return_object() {
  return Task<T>(std::coroutine_handle<Promise<T>>::from_promise(*this));
}

inline Task<void> Promise<void>::get_return_object() {
  return Task<void>(std::coroutine_handle<Promise<void>>::from_promise(*this));
}

}  // namespace task_detail

}  // namespace chiptrail::sim
