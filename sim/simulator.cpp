#include "sim/simulator.hpp"

#include <stdexcept>

namespace chiptrail::sim {

Simulator::~Simulator() {
  // Frames of processes still waiting are ours to free; their pending wake-ups die with queue_.
  while (processes_ != nullptr) {
    ProcessPromise& p = *processes_;
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
  p.next_ = processes_;
  if (processes_ != nullptr) processes_->prev_ = &p;
  processes_ = &p;
  ++live_processes_;
  wake(h);
  return ProcessHandle{p.state_};
}

Simulator::DelayAwaiter Simulator::delay(Time d) {
  if (d < Time::zero()) {
    throw std::invalid_argument("cannot delay by negative time " + d.to_string());
  }
  return DelayAwaiter{*this, d};
}

void Simulator::DelayAwaiter::await_suspend(ProcessCoroutine h) const {
  Simulator* sim = &sim_;
  sim_.queue_.push(sim_.now_ + delay_, [sim, h] { sim->resume(h); });
}

void Simulator::wake(ProcessCoroutine h) {
  queue_.push(now_, [this, h] { resume(h); });
}

void Simulator::resume(ProcessCoroutine h) {
  h.resume();
  if (h.done()) finish(h);
}

void Simulator::finish(ProcessCoroutine h) {
  ProcessPromise& p = h.promise();
  const std::shared_ptr<ProcessState> state = p.state_;
  const std::exception_ptr error = p.error_;
  unlink(p);
  h.destroy();
  state->done = true;
  for (ProcessCoroutine waiter : state->waiters) wake(waiter);
  state->waiters.clear();
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const RunStopped&) {
    throw;
  } catch (...) {
    throw ProcessError(state->name, now_, error);
  }
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
