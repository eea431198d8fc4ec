// Reading fields of a Run's JSON that may be missing or of another type, without throwing:
// what aggregators and the analysis read from attempts, executors and stages.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spot {

// A number of any JSON kind, as double; nullopt when missing or not a number.
std::optional<double> number_of(const boost::json::object& o, std::string_view key);
// A date as the normaliser leaves it (ISO text) or as a source gives it (epoch ms), as epoch ms.
std::optional<std::int64_t> time_of(const boost::json::object& o, std::string_view key);
// A string, or empty when missing or not a string.
std::string string_of(const boost::json::object& o, std::string_view key);
// A numeric Spark property from a normalised sparkProperties object (SPEC §4.2: dots as '_'),
// asked by its dotted name; a value left as text is read as a number when it is one.
std::optional<double> property_of(const boost::json::object& spark_properties,
                                  std::string_view dotted);

}  // namespace spot
