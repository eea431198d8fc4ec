// An advice as a person or a tool takes it: JSON (the advice document's body), text, the
// arguments of spark-submit, or a Spark properties file.
#pragma once

#include "setter.hpp"

#include <boost/json/object.hpp>
#include <string>

namespace spot::advisors::regression {

enum class AdviceFormat { Text, Json, SparkSubmit, Properties };
std::optional<AdviceFormat> advice_format_of(std::string_view name);

boost::json::object to_json(const Advice& a);
std::string format_advice(const Advice& a, AdviceFormat f);
// "768m", "3g": what spark.executor.memory takes.
std::string spark_memory(double bytes);

}  // namespace spot::advisors::regression
