#pragma once

#include <boost/json/object.hpp>
#include <string_view>

namespace spot::enrichers::classify {

// SPEC §5: {app: name, type: name, "1": part1, ...}; parts split on any of ` ;,.-%_`, empty parts
// kept so that positions stay stable between runs of one application.
constexpr std::string_view kDefaultSeparators = " ;,.-%_";
boost::json::object classification_of(std::string_view name,
                                      std::string_view separators = kDefaultSeparators);

}  // namespace spot::enrichers::classify
