#include "sim/simulator.hpp"

#include <stdexcept>

namespace chiptrail::sim {

Simulator::~Simulator() {
  // Frames of processes still waiting are ours to free; their pending wake-ups die with queue_.
  while (processes_ != nullptr) {
    ProcessPromise& p = *processes_;
    p.state_->waiters.clear();  // processes waiting for each other would keep their states alive
    p.state_->promise = nullptr;
    unlink(p);
    ProcessCoroutine::from_promise(p).destroy();
  }
}

EventHandle Simulator::schedule_at(Time t, Action&& action) {
  if (t < now_) {
    throw std::invalid_argument("cannot schedule at " + t.to_string() + ", before now (" +
                                now_.to_string() + ")");
  }
  return queue_.push(t, std::move(action));
}

EventHandle Simulator::schedule_in(Time delay, Action&& action) {
  if (delay < Time::zero()) {
    throw std::invalid_argument("cannot schedule with negative delay " + delay.to_string());
  }
  return queue_.push(now_ + delay, std::move(action));
}

void Simulator::loop(Time limit) {
  if (running_) throw std::logic_error("Simulator::run called from inside a running event");
  running_ = true;
  stopped_ = false;
  struct Reset {
    bool& flag;
    ~Reset() { flag = false; }
  } reset{running_};
  Time t;
  Action action;
  while (!stopped_ && queue_.pop_due(limit, t, action)) {
    now_ = t;
    ++events_processed_;
    action();
    if (watchdog_every_ != 0 && --watchdog_countdown_ == 0) {
      watchdog_countdown_ = watchdog_every_;
      watchdog_();
    }
  }
}

void Simulator::run() {
  loop(Time::max());
}

void Simulator::run_until(Time t) {
  if (t < now_) {
    throw std::invalid_argument("run_until(" + t.to_string() + ") is before now (" +
                                now_.to_string() + ")");
  }
  loop(t);
  if (!stopped_) now_ = t;
}

ProcessHandle Simulator::spawn(std::string name, Process process) {
  ProcessCoroutine h = process.release();
  if (!h) throw std::invalid_argument("spawn: process '" + name + "' was moved from");
  ProcessPromise& p = h.promise();
  p.sim_ = this;
  p.state_ = std::make_shared<ProcessState>();
  p.state_->name = std::move(name);
  p.state_->promise = &p;
  p.next_ = processes_;
  if (processes_ != nullptr) processes_->prev_ = &p;
  processes_ = &p;
  ++live_processes_;
  ProcessPromise* promise = &p;
  std::coroutine_handle<> leaf = h;
  queue_.push(now_, [this, leaf, promise] { resume(leaf, *promise); });
  return ProcessHandle{p.state_};
}

bool Simulator::interrupt(const ProcessHandle& process) {
  if (!process.state_ || process.state_->promise == nullptr) return false;
  ProcessPromise& p = *process.state_->promise;
  p.interrupted_ = true;
  end_wait(p, ProcessPromise::kTimedOut);  // at once if it waits; else at its next wait
  return true;
}

Simulator::DelayAwaiter Simulator::delay(Time d) {
  if (d < Time::zero()) {
    throw std::invalid_argument("cannot delay by negative time " + d.to_string());
  }
  return DelayAwaiter{*this, d};
}

std::uint64_t Simulator::begin_wait(std::coroutine_handle<> leaf, ProcessPromise& p) {
  p.leaf_ = leaf;
  p.waiting_ = true;
  const std::uint64_t wait = ++p.wait_;
  if (p.interrupted_) end_wait(p, ProcessPromise::kTimedOut);  // interrupted before it waited
  return wait;
}

void Simulator::start_timer(ProcessPromise& p, Time timeout) {
  ProcessPromise* promise = &p;
  // The hot path of every model (each delay is one): 24 bytes of capture, stored inline.
  p.timer_ = queue_.push(now_ + timeout, [this, promise] {
    ProcessPromise& q = *promise;
    q.timer_ = {};  // this very event: nothing to cancel
    close_wait(q, ProcessPromise::kTimedOut);
    resume(q.leaf_, q);
  });
}

void Simulator::wake(const Resumption& r) {
  if (r.current()) end_wait(*r.process->promise, r.source);
}

void Simulator::end_wait(ProcessPromise& p, std::size_t woken_by) {
  if (!p.waiting_) return;
  close_wait(p, woken_by);
  ProcessPromise* promise = &p;
  std::coroutine_handle<> leaf = p.leaf_;
  queue_.push(now_, [this, leaf, promise] { resume(leaf, *promise); });
}

void Simulator::resume(std::coroutine_handle<> leaf, ProcessPromise& p) {
  leaf.resume();
  const ProcessCoroutine process = ProcessCoroutine::from_promise(p);
  if (process.done()) finish(process);
}

void Simulator::finish(ProcessCoroutine h) {
  ProcessPromise& p = h.promise();
  const std::shared_ptr<ProcessState> state = p.state_;
  const std::exception_ptr error = p.error_;
  if (p.timer_.valid()) queue_.cancel(p.timer_);
  unlink(p);
  h.destroy();
  state->done = true;
  state->promise = nullptr;
  std::vector<Resumption> waiters;
  waiters.swap(state->waiters);
  for (const Resumption& r : waiters) wake(r);
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const RunStopped&) {
    throw;
  } catch (...) {
    throw ProcessError(state->name, now_, error);
  }
}

std::uint64_t begin_wait(std::coroutine_handle<> leaf, ProcessPromise& process) {
  return process.simulator().begin_wait(leaf, process);
}

void Simulator::unlink(ProcessPromise& p) {
  if (p.prev_ != nullptr)
    p.prev_->next_ = p.next_;
  else
    processes_ = p.next_;
  if (p.next_ != nullptr) p.next_->prev_ = p.prev_;
  p.prev_ = p.next_ = nullptr;
  --live_processes_;
}

}  // namespace chiptrail::sim
