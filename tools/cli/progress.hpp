#pragma once

#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace chiptrail::cli {

// Reports progress of a long job on stderr: on a terminal a single line rewritten in place
// (done/total, runs/s, ETA) at most four times a second; otherwise (logs, CI, batch jobs) a
// plain line every ten seconds. Data never goes to stderr, so piping stdout stays clean.
class Progress {
 public:
  Progress(std::string what, std::uint64_t total, std::uint64_t already_done, spdlog::logger& log);
  void tick();    // one more done
  void finish();  // final line

 private:
  void print(bool final);
  spdlog::logger& log_;
  std::string what_;
  std::uint64_t total_, done_, start_done_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace chiptrail::cli
