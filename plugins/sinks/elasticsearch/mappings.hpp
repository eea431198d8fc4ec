// Explicit types for every field Spot writes, so that no type is left to dynamic mapping's guess
// (a figure that is 0 in the first document would map as long and truncate every later fraction;
// a date-like string would become a date). Two parts, both compiled in from mappings/:
// <stream>.json, the fields of that stream's documents (written by tools/gen-mappings.py from
// documents of every fixture), and families.json, path templates for the fields whose names
// come from data: statistics typed by their suffix, configuration maps, enricher data.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace spot::sinks::elasticsearch {

// The path templates of families.json, in order (the first that matches wins).
const boost::json::array& family_templates();

// The properties of the streams' documents, merged (several streams may share one index).
// A stream without a mapping file contributes nothing.
boost::json::object stream_properties(const std::vector<std::string>& streams);

// How many fields the properties map, objects and subfields included, as the field limit counts.
std::size_t mapped_fields(const boost::json::object& properties);

}  // namespace spot::sinks::elasticsearch
