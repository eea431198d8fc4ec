// Explicit types for the fields whose type dynamic mapping would guess wrong or change between
// documents: the run analysis (SPEC §8; a figure that is 0 in the first document would map as
// long and truncate every later fraction). Merged into every index template the sink installs.
#pragma once

#include <boost/json/object.hpp>

namespace spot::sinks::elasticsearch {

// {"properties": ..., "dynamic_templates": [...]}, to merge into the template's mappings.
const boost::json::object& explicit_mappings();

}  // namespace spot::sinks::elasticsearch
