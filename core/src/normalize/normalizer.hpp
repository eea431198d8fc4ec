// Normalisation applied by the core to every Run, from any source, before the enrichers
// (SPEC §4.1, §4.2): dates as ISO 8601 UTC, fields that must not be stored removed, maps keyed by
// data turned into {key, value} arrays, Spark properties typed. Never fails a run: a value that
// does not parse stays as it was and one warning is logged.
#pragma once

#include "normalize/spark_properties.hpp"

#include <spot/plugin.hpp>

namespace spot::core {

class Normalizer {
   public:
    Normalizer(PropertyRules rules, std::shared_ptr<spdlog::logger> log)
        : rules_(std::move(rules)), log_(std::move(log)) {}

    void apply(Run& run) const;

   private:
    void attempt(json::object& attempt, std::string_view app_id) const;
    void date(json::object& o, std::string_view field, std::string_view app_id) const;

    PropertyRules rules_;
    std::shared_ptr<spdlog::logger> log_;
};

// {"a": 1, "b": 2} -> [{"key": "a", "value": 1}, {"key": "b", "value": 2}]: object keys that are
// data (kill reasons, resource names, executor ids) must never become index fields.
json::array to_key_value_array(const json::object& map);

}  // namespace spot::core
