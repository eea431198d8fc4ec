// attempt.aggs.summary (SPEC §4.3): how parallel the run was and what it cost.
#pragma once

#include "custom_metrics.hpp"

#include <boost/json/object.hpp>
#include <optional>
#include <vector>

namespace spot::aggregators::aggregate {

struct SummaryInput {
    std::int64_t duration = 0;             // attempt duration, ms
    std::vector<ExecutorFacts> executors;  // without the driver
    std::vector<StageFacts> stages;        // all stages
    double block_size = 128.0 * 1024 * 1024;
};

// Present only with at least one executor besides the driver and one timed stage.
std::optional<boost::json::object> summarize(const SummaryInput& in);

}  // namespace spot::aggregators::aggregate
