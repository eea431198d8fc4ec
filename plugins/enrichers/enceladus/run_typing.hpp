// What a Menas Run document becomes in Spot's documents (SPEC §6): additionalInfo values typed
// (numbers, memory sizes in bytes, size ratios, command lines parsed with secrets removed),
// dates parsed, and the checkpoints replaced by their aggregation.
#pragma once

#include <spot/result.hpp>

#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace spot::enrichers::enceladus {

namespace json = boost::json;

// The zone of Atum timestamps written without one: UTC, a fixed offset ("+02:00"), a POSIX TZ
// rule ("CET-1CEST,M3.5.0,M10.5.0/3"), or an IANA name whose rule is read from the system's
// zoneinfo (its current rule: historical changes are not applied).
class TimeZone {
   public:
    TimeZone() = default;  // UTC
    static Result<TimeZone> parse(const std::string& spec);
    // Offset from UTC of a local wall-clock time (seconds since the epoch as if it were UTC).
    [[nodiscard]] std::chrono::seconds offset_at_local(std::int64_t local_seconds) const;

   private:
    struct Rule;
    std::shared_ptr<const Rule> rule_;
};

// Atum's "dd-MM-yyyy HH:mm:ss [Z]" (days and months may lack a leading zero) or
// "yyyy-MM-dd HH:mm:ss [Z]", as epoch milliseconds.
std::optional<std::int64_t> parse_atum_time(std::string_view text, const TimeZone& zone);

// "--a x --b y" -> {"a": " x", "b": " y"} (the value keeps the space that followed its flag, as
// the reference tool wrote it); the values of secret flags become "spot_removed".
json::object parse_command_line(std::string_view args);

// additionalInfo typed in place (SPEC §6).
void type_additional_info(json::object& info);

// The checkpoints of a control measure aggregated: {elements_count, agg_checkpoints,
// controls_match, num_controls, controls_error?}.
json::object aggregate_checkpoints(const json::array& checkpoints, const TimeZone& zone);

// The whole Run document as stored: typed additionalInfo, startDateTime, str:-prefixed info
// dates, aggregated checkpoints.
void type_run(json::object& run, const TimeZone& zone);

}  // namespace spot::enrichers::enceladus
