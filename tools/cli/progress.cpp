#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace chiptrail::cli {

Progress::Progress(std::string what, std::uint64_t total, std::uint64_t already_done,
                   spdlog::logger& log)
    : log_(log),
      what_(std::move(what)),
      total_(total),
      done_(already_done),
      start_done_(already_done),
      tty_(::isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

void Progress::tick() {
  ++done_;
  const auto now = std::chrono::steady_clock::now();
  const auto every = tty_ ? std::chrono::milliseconds(250) : std::chrono::milliseconds(10000);
  if (now - last_ >= every) {
    last_ = now;
    print(false);
  }
}

void Progress::finish() {
  print(true);
}

void Progress::print(bool final) {
  if (!log_.should_log(spdlog::level::info)) return;  // --quiet, --log-level warn and below
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = seconds > 0 ? static_cast<double>(done_ - start_done_) / seconds : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : 0.0;
  const auto e = static_cast<unsigned long long>(eta);
  char line[256];
  std::snprintf(line, sizeof line, "%s: %llu/%llu runs, %.1f runs/s, ETA %02llu:%02llu:%02llu",
                what_.c_str(), static_cast<unsigned long long>(done_),
                static_cast<unsigned long long>(total_), rate, e / 3600, e / 60 % 60, e % 60);
  if (!tty_) {
    log_.info("{}", line);
    return;
  }
  // On a terminal, one line rewritten in place: a display, not a record, so not a log line.
  std::fprintf(stderr, "\r%s%s", line, final ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace chiptrail::cli
