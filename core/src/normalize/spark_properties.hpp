// environment.sparkProperties: [[key, value], ...] -> {key_with_underscores: typed value}
// (SPEC §4.2), with host-specific keys removed and secrets redacted.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <optional>
#include <regex>
#include <spdlog/logger.h>
#include <string>
#include <vector>

namespace spot::core {

enum class PropertyType { Int, Float, Bool, Bytes, KiB, MiB, Seconds };

struct PropertyRules {
    std::map<std::string, PropertyType, std::less<>> typed;  // by original (dotted) key
    std::regex redact;                                       // matched case-insensitively
};

// The table of SPEC §4.2 and the default redaction pattern.
PropertyRules default_property_rules();
// Adds keys from the configuration to the typed table.
void add_typed_keys(PropertyRules& rules, PropertyType type, const std::vector<std::string>& keys);

// A typed value, or nullopt when the text does not parse (the caller keeps the string).
std::optional<boost::json::value> type_property(std::string_view text, PropertyType type);

// Never fails: a value that does not parse stays a string and `log` gets one warning.
boost::json::object normalize_spark_properties(const boost::json::array& pairs,
                                               const PropertyRules& rules,
                                               spdlog::logger& log,
                                               std::string_view app_id);

}  // namespace spot::core
