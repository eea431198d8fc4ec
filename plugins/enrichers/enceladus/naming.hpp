// Enceladus runs by name (SPEC §6): the three generations of Spark application names Enceladus
// has used, and the classification and tag they give.
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace spot::enrichers::enceladus {

// The classification of an Enceladus run (project, app, type, app_version, dataset,
// dataset_version, info_date, info_date_casted, info_version), or nullopt for any other name,
// including Enceladus-like names with too few or too many words.
std::optional<boost::json::object> classify_name(std::string_view name);

// <type>_<app_version>_<dataset>_<dataset_version>
std::string tag_of(const boost::json::object& classification);

// "Standardization" -> std, "Conformance" -> conform: the additionalInfo key prefix that holds
// what the run itself wrote (its application id, Enceladus version, attempt id).
std::string_view own_prefix(std::string_view type);

}  // namespace spot::enrichers::enceladus
