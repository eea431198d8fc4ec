// Documents every plugin may need to build the same way.
#pragma once

#include <spot/plugin.hpp>

#include <string_view>

namespace spot {

// The err document of SPEC §4.4: appended (no id), one per failure.
// stage: listing, raw, aggregations, enrich:<plugin>, sink:<plugin>, parse, ...
Document make_error_document(const Error& error,
                             std::string_view app_id,
                             std::string_view history_host,
                             std::string_view stage);

}  // namespace spot
