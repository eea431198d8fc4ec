// Which of the Run documents Menas returns for a Spark application id belong to the run, and
// which attempt each one describes (SPEC §6). See README.md for where this differs from the
// reference tool and why.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

namespace spot::enrichers::enceladus {

namespace json = boost::json;

// The runs whose dataset, dataset version, report version, Enceladus version and application
// id match the run's classification. `rejected` gets one reason per run left out.
std::vector<json::object> matching_runs(const json::array& menas_runs,
                                        std::string_view app_id,
                                        const json::object& classification,
                                        std::vector<std::string>& rejected);

// One run (or none) per attempt, attempts in the History Server's order (newest first): by
// <prefix>_spark_attempt_id when every run carries one, else by order (runs by runId, the
// newest run to the newest attempt).
std::vector<std::optional<json::object>> pair_with_attempts(const json::array& attempts,
                                                            std::vector<json::object> runs,
                                                            std::string_view prefix);

}  // namespace spot::enrichers::enceladus
