// Loggers: one per plugin instance (<pipeline>.<id>) and per core module (core.config, ...).
// Text on a terminal, JSON lines under systemd or Docker (STYLE §6).
#pragma once

#include <memory>
#include <spdlog/logger.h>
#include <string>

namespace spot::logging {

enum class Format { Text, Json };

// Sets the default level and format for every logger, existing and future.
void setup(spdlog::level::level_enum level, Format format);
// Returns the logger with this name, creating it with the current sink and format.
std::shared_ptr<spdlog::logger> get(const std::string& name);
// "auto" picks JSON when stderr is not a terminal (systemd journal, Docker).
Format parse_format(const std::string& text);

}  // namespace spot::logging
