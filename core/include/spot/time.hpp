// Time as Spot writes it: ISO 8601, UTC, milliseconds ("2020-01-15T14:59:33.707Z").
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spot {

using SysMillis = std::chrono::time_point<std::chrono::system_clock, std::chrono::milliseconds>;

std::string iso_utc(SysMillis t);
inline std::string iso_utc_now() {
    return iso_utc(std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now()));
}
// Parses the History Server's "2020-01-15T14:59:33.707GMT" (also with "Z", without
// milliseconds, or a bare "2020-01-15") into epoch milliseconds.
std::optional<std::int64_t> parse_timestamp(std::string_view text);
// Parses "500ms", "10s", "30m", "168h", "7d" (and a bare number of seconds when allowed).
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);
// Parses "64MiB", "5MB", "1k", "1.5g": powers of 1024, case-insensitive units; a bare number
// counts `bare_unit` bytes (Spark reads some settings' bare numbers as KiB or MiB).
std::optional<std::int64_t> parse_size(std::string_view text, std::int64_t bare_unit = 1);

}  // namespace spot
