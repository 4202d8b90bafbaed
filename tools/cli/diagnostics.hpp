#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <optional>
#include <string>

namespace chiptrail::cli {

// The command line's diagnostics: errors, warnings, progress, what a run is doing and how long
// it took, all through one spdlog logger on stderr (stdout carries data only, untouched by any
// of this). Messages are written as they are, with no prefix added (they start "chiptrail:"
// or "file:line:column:" themselves); colour marks the level on a terminal, never elsewhere nor
// when NO_COLOR is set (https://no-color.org).
std::shared_ptr<spdlog::logger> make_diagnostics();

// The level named by --log-level: off, error, warn, info or debug; nullopt for anything else.
std::optional<spdlog::level::level_enum> parse_log_level(const std::string& name);

}  // namespace chiptrail::cli
