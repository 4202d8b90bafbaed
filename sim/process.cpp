#include "sim/process.hpp"

namespace chiptrail::sim {

Process& Process::operator=(Process&& other) noexcept {
  if (this != &other) {
    if (handle_) handle_.destroy();
    handle_ = std::exchange(other.handle_, {});
  }
  return *this;
}

Process::~Process() {
  if (handle_) handle_.destroy();  // never spawned: nobody else owns the frame
}

namespace {
std::string describe(std::exception_ptr cause) {
  try {
    if (cause) std::rethrow_exception(cause);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
  return "no exception";
}
}  // namespace

ProcessError::ProcessError(const std::string& process_name, Time when, std::exception_ptr cause)
    : std::runtime_error("process '" + process_name + "' failed at t=" + when.to_string() + ": " +
                         describe(cause)),
      process_name_(process_name),
      cause_(std::move(cause)) {}

}  // namespace chiptrail::sim
