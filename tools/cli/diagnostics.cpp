#include "cli/diagnostics.hpp"

#include <spdlog/sinks/ansicolor_sink.h>

#include <cstdlib>

namespace chiptrail::cli {

std::shared_ptr<spdlog::logger> make_diagnostics() {
  auto sink = std::make_shared<spdlog::sinks::ansicolor_stderr_sink_mt>(
      std::getenv("NO_COLOR") != nullptr && *std::getenv("NO_COLOR") != '\0'
          ? spdlog::color_mode::never
          : spdlog::color_mode::automatic);  // automatic: only on a terminal
  auto log = std::make_shared<spdlog::logger>("chiptrail", std::move(sink));
  log->set_pattern("%^%v%$");
  log->set_level(spdlog::level::info);
  log->flush_on(spdlog::level::trace);  // every message at once: progress and errors interleave
  return log;
}

std::optional<spdlog::level::level_enum> parse_log_level(const std::string& name) {
  if (name == "off") return spdlog::level::off;
  if (name == "error") return spdlog::level::err;
  if (name == "warn") return spdlog::level::warn;
  if (name == "info") return spdlog::level::info;
  if (name == "debug") return spdlog::level::debug;
  return std::nullopt;
}

}  // namespace chiptrail::cli
