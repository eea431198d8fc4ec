// The custom metrics SPEC §4.3 adds to each executor and stage before aggregating.
#pragma once

#include "field_stats.hpp"

#include <spot/json_fields.hpp>

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>

namespace spot::aggregators::aggregate {

// What the summary needs from one executor.
struct ExecutorFacts {
    double total_duration = 0;  // task time, ms
    double core_cost = 0;       // totalCores x lifetime ms
    double max_memory = 0;      // bytes
    double total_input_bytes = 0;
};

// x_startTime, x_stopTime, x_durationMilliseconds, x_durationHours, x_coreCost, x_storageCost,
// x_coreCost_hours, x_storageCost_GbHours. `attempt_start`/`attempt_end` stand in for a missing
// addTime/removeTime.
struct ExecutorMetrics {
    std::optional<std::int64_t> start, stop;
    std::optional<double> duration_ms, core_cost, storage_cost;
    ExecutorFacts facts;
};
ExecutorMetrics executor_metrics(const boost::json::object& e,
                                 std::optional<std::int64_t> attempt_start,
                                 std::optional<std::int64_t> attempt_end);
void add_executor_metrics(const ExecutorMetrics& m, FieldStats& stats);
void write_executor_metrics(const ExecutorMetrics& m, boost::json::object& e);

// What the summary needs from one stage.
struct StageFacts {
    bool timed = false;  // both firstTaskLaunchedTime and completionTime
    std::int64_t first_task = 0, completion = 0, duration = 0;
    double input_bytes = 0, output_bytes = 0;
};

// x_scheduling_overhead, x_duration, throughput_bytes/records (only when the stage is timed and
// x_duration > 0: the -1 placeholders stay out of the statistics), x_executorCpuTime_ms,
// x_average_task_input/output_bytes. Returns false when the stage lacks its times (the caller
// warns, naming it).
StageFacts add_stage_metrics(const boost::json::object& s, FieldStats& stats);

}  // namespace spot::aggregators::aggregate
